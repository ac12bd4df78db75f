// Renders deploy/kubernetes with the real `kubectl kustomize` and gives the tests typed views of the
// resources. Any kubectl works, from Debian's 1.20 (kustomize v2.0) on; KUBECTL names another binary.
import { accessSync, constants } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

export const kubernetesDir = path.dirname(fileURLToPath(import.meta.url));

export interface Metadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface Resource {
  apiVersion: string;
  kind: string;
  metadata: Metadata;
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  rules?: PolicyRule[];
  roleRef?: { apiGroup: string; kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
  automountServiceAccountToken?: boolean;
}

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string };
  };
}

export interface Probe {
  httpGet?: { path: string; port: string | number };
  periodSeconds?: number;
  failureThreshold?: number;
}

export interface Container {
  name: string;
  image: string;
  args?: string[];
  command?: string[];
  ports?: { name: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { cpu?: string; memory?: string } };
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface SecretItems {
  items?: { key: string; path: string }[];
}

export interface Volume {
  name: string;
  emptyDir?: Record<string, unknown>;
  configMap?: { name: string; optional?: boolean };
  secret?: SecretItems & { secretName: string; optional?: boolean };
  projected?: { sources: { secret?: SecretItems & { name: string } }[] };
  persistentVolumeClaim?: { claimName: string };
}

export interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  restartPolicy?: string;
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    runAsGroup?: number;
    seccompProfile?: { type: string };
  };
  containers: Container[];
  volumes?: Volume[];
}

export interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

const INSTALL_HINT =
  "Install it with: apt-get install -y --no-install-recommends kubernetes-client " +
  "(Debian's kubectl 1.20, whose `kubectl kustomize` these manifests are written for; any newer kubectl works too), or set KUBECTL to a kubectl binary.";

export function kubectl(): string {
  const candidates = process.env.KUBECTL
    ? [process.env.KUBECTL]
    : [...(process.env.PATH ?? "").split(path.delimiter), "/usr/bin"]
        .filter(Boolean)
        .map((dir) => path.join(dir, "kubectl"));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(
    `\`kubectl\` is not installed: the Kubernetes manifests are rendered with \`kubectl kustomize\`. ${INSTALL_HINT}`,
  );
}

/** `kubectl kustomize <dir>`, parsed. Newer kubectls warn about `bases` on stderr; only stdout counts. */
export function render(relativeDir: string): Resource[] {
  const dir = path.join(kubernetesDir, relativeDir);
  let out: string;
  try {
    out = execFileSync(kubectl(), ["kustomize", dir], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000,
    });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`kubectl kustomize ${relativeDir} failed:\n${e.stderr ?? e.message}`);
  }
  return YAML.parseAllDocuments(out)
    .map((doc) => doc.toJS() as Resource | null)
    .filter((r): r is Resource => r !== null);
}

export function find(resources: Resource[], kind: string, name: string): Resource {
  const found = resources.find((r) => r.kind === kind && r.metadata.name === name);
  if (!found)
    throw new Error(`no ${kind} ${name} among: ${resources.map((r) => `${r.kind}/${r.metadata.name}`).join(", ")}`);
  return found;
}

/** The pod template of a Deployment or Job. */
export const podTemplate = (workload: Resource): PodTemplate => (workload.spec as { template: PodTemplate }).template;

export const workloads = (resources: Resource[]) =>
  resources.filter(
    (r) => r.kind === "Deployment" || r.kind === "Job" || r.kind === "StatefulSet" || r.kind === "DaemonSet",
  );

export const matches = (selector: Record<string, string>, labels: Record<string, string> | undefined) =>
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);
