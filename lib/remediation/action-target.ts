// A runbook action made concrete for one alert: its templates filled from the alert's labels, the result
// checked (Kubernetes names, replica bounds, the URL), and named for people ("deployment shop/checkout")
// and for the rate limit (action type + target). Pure.
import type { RunbookAction } from "../runbooks/runbook-document";
import { parseTemplate, renderTemplate, TemplateError, type TemplateContext } from "../runbooks/param-template";
import { unsafePathSegment } from "./hook-urls";

export type ResolvedAction =
  | { type: "k8s.rollout_restart"; namespace: string; deployment: string }
  | {
      type: "k8s.scale";
      namespace: string;
      deployment: string;
      replicas: number;
      min_replicas: number;
      max_replicas: number;
    }
  | { type: "k8s.delete_pod"; namespace: string; pod: string }
  | { type: "http.post"; url: string; body: Record<string, string | number | boolean> | null };

export interface ActionTarget {
  params: ResolvedAction;
  /** What it acts on, for people. */
  target: string;
  /** Action type + target: at most N runs per hour per key. */
  rateKey: string;
}

/** Why an action cannot be made concrete for this alert (a label it needs is missing, a bad value). */
export class ActionResolutionError extends Error {}

// Kubernetes object names (DNS-1123 subdomain) and namespaces (DNS-1123 label): anything else is refused
// before it reaches an API path.
const objectName = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const namespaceName = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function fill(field: string, template: string, context: TemplateContext, encode?: (v: string) => string): string {
  try {
    return renderTemplate(template, context, encode);
  } catch (error) {
    if (error instanceof TemplateError) throw new ActionResolutionError(`${field}: ${error.message}`);
    throw error;
  }
}

function kubernetesName(field: string, template: string, context: TemplateContext, pattern = objectName): string {
  const value = fill(field, template, context);
  if (!pattern.test(value))
    throw new ActionResolutionError(
      `${field}: "${value}" is not a valid Kubernetes ${pattern === namespaceName ? "namespace" : "name"}`,
    );
  return value;
}

export function resolveActionTarget(
  action: RunbookAction,
  context: TemplateContext,
  overrides: { replicas?: number } = {},
): ActionTarget {
  switch (action.type) {
    case "k8s.rollout_restart": {
      const namespace = kubernetesName("namespace", action.params.namespace, context, namespaceName);
      const deployment = kubernetesName("deployment", action.params.deployment, context);
      return named({ type: action.type, namespace, deployment }, `deployment ${namespace}/${deployment}`);
    }
    case "k8s.scale": {
      const { min_replicas, max_replicas } = action.params;
      const namespace = kubernetesName("namespace", action.params.namespace, context, namespaceName);
      const deployment = kubernetesName("deployment", action.params.deployment, context);
      const replicas = overrides.replicas ?? replicasOf(action.params.replicas, context);
      if (replicas < min_replicas || replicas > max_replicas) {
        throw new ActionResolutionError(
          `replicas: ${replicas} is outside the runbook's bounds ${min_replicas}..${max_replicas}`,
        );
      }
      // Always an absolute count: a retried run sets the same number instead of adding to it again.
      return named(
        { type: action.type, namespace, deployment, replicas, min_replicas, max_replicas },
        `deployment ${namespace}/${deployment}`,
      );
    }
    case "k8s.delete_pod": {
      const namespace = kubernetesName("namespace", action.params.namespace, context, namespaceName);
      const pod = kubernetesName("pod", action.params.pod, context);
      return named({ type: action.type, namespace, pod }, `pod ${namespace}/${pod}`);
    }
    case "http.post": {
      // Values filled into a URL are escaped, and one filled into its path must stay one segment, unless
      // the whole URL comes from the alert ("{{annotations.rollback_url}}"): then its path must be safe.
      const whole = /^\{\{[^{}]*\}\}$/.test(action.params.url);
      const [pathTemplate, queryTemplate] = splitAtQuery(action.params.url);
      const url = whole
        ? fill("url", action.params.url, context)
        : fill("url", pathTemplate, context, pathSegmentValue) +
          fill("url", queryTemplate, context, encodeURIComponent);
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new ActionResolutionError(`url: "${url}" is not a URL`);
      }
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
        throw new ActionResolutionError(`url: "${url}" is not http(s)`);
      const unsafe = whole
        ? parsed.pathname
            .split("/")
            .map(unsafePathSegment)
            .find((problem) => problem !== null)
        : null;
      if (unsafe) throw new ActionResolutionError(`url: ${unsafe} in "${url}"`);
      const body = action.params.body
        ? Object.fromEntries(
            Object.entries(action.params.body).map(([key, value]) => [
              key,
              typeof value === "string" ? fill(`body.${key}`, value, context) : value,
            ]),
          )
        : null;
      return named({ type: action.type, url: parsed.toString(), body }, `POST ${parsed.origin}${parsed.pathname}`);
    }
  }
}

/**
 * A label value filled into a URL's path, escaped. Neither it nor what it says percent-decoded may be `.`
 * or `..` (the URL parser, or a server, would walk up a level) or hold a slash or backslash (a server may
 * decode it into another path).
 */
function pathSegmentValue(value: string): string {
  if ([value, decodedOrSelf(value)].some((v) => v === "." || v === ".." || v.includes("/") || v.includes("\\"))) {
    throw new ActionResolutionError(
      `url: "${value}" cannot be filled into a URL's path: no ".", ".." or slash or backslash, plain or encoded`,
    );
  }
  return encodeURIComponent(value);
}

function decodedOrSelf(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The template cut where its query or fragment starts, outside any hole: holes before the cut fill the path. */
function splitAtQuery(template: string): [string, string] {
  let offset = 0;
  for (const part of parseTemplate(template)) {
    const text = part.kind === "text" ? part.text : part.raw;
    const at = part.kind === "text" ? text.search(/[?#]/) : -1;
    if (at !== -1) return [template.slice(0, offset + at), template.slice(offset + at)];
    offset += text.length;
  }
  return [template, ""];
}

function replicasOf(value: number | string, context: TemplateContext): number {
  if (typeof value === "number") return value;
  const text = fill("replicas", value, context);
  if (!/^\d{1,4}$/.test(text)) throw new ActionResolutionError(`replicas: "${text}" is not a whole number`);
  return Number(text);
}

const named = (params: ResolvedAction, target: string): ActionTarget => ({
  params,
  target,
  rateKey: `${params.type} ${target}`,
});

/** The namespace a Kubernetes action touches (the policy checks it against REMEDIATION_NAMESPACES). */
export const namespaceOf = (params: ResolvedAction): string | null => ("namespace" in params ? params.namespace : null);
