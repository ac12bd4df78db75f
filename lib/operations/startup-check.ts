// The web server's first act: refuse to serve with a configuration that cannot work or is unsafe (no
// identity provider in production, no session secret), saying what to set.
import { ConfigError, loadConfig, webServerProblems } from "../env";

export function refuseToStartIfMisconfigured(): void {
  let problems: string[];
  try {
    problems = webServerProblems(loadConfig());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems = [error.message];
  }
  if (problems.length > 0) {
    console.error(`Vigil's web server cannot start:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exit(1);
  }
}
