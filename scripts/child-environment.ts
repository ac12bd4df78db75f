// The environment `npm start` gives the web server, the worker and the build: its own, with every
// NAME_FILE already read into NAME and the _FILE names dropped, then the values it settled on itself
// (the embedded database's URL, the kept session secret). A child handed both NAME and NAME_FILE would
// refuse to start.
import { resolveSecretFiles } from "@/lib/env";

export function childEnvironment(
  parent: Record<string, string | undefined>,
  settled: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const resolved = resolveSecretFiles(parent);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(resolved)) if (value !== undefined) env[name] = value;
  // Next's types make NODE_ENV required; the parent's value (if any) is in here like every other.
  return { ...env, ...settled } as NodeJS.ProcessEnv;
}
