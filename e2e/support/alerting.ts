// Debian's Prometheus and Alertmanager for the specs that run the real alerting pipeline in front of the
// built app: their paths, the shipped Alertmanager configuration pointed at this run's Vigil and fakes,
// starting a binary with its output in e2e/artifacts, and waiting until it is ready.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import type { E2eState } from "./state";

export const PROMETHEUS = "/usr/bin/prometheus";
export const ALERTMANAGER = "/usr/bin/prometheus-alertmanager";
export const MISSING_BINARIES =
  "Prometheus and Alertmanager are not installed: apt-get install --no-install-recommends prometheus prometheus-alertmanager";

/**
 * deploy/alertmanager/alertmanager.yml with test timings, this run's Vigil (and an alerts:write token) as
 * the webhook, and the PagerDuty fake as Alertmanager's own pager. Returns the file written under `dir`.
 */
export function writeAlertmanagerConfig(options: {
  dir: string;
  state: E2eState;
  vigilToken: string;
  pagerDutyRoutingKey: string;
  route: Record<string, string>;
}): string {
  const { dir, state } = options;
  const secrets = path.join(dir, "secrets");
  mkdirSync(secrets, { recursive: true });
  writeFileSync(path.join(secrets, "vigil-token"), options.vigilToken);
  writeFileSync(path.join(secrets, "pagerduty-routing-key"), options.pagerDutyRoutingKey);
  writeFileSync(path.join(secrets, "slack-webhook-url"), "http://127.0.0.1:9/slack");
  const am = YAML.parse(readFileSync("deploy/alertmanager/alertmanager.yml", "utf8"));
  // Alertmanager's direct pages reach the same PagerDuty fake as Vigil's, so a page sent twice would show.
  am.global = { ...am.global, pagerduty_url: `${state.fakes.pagerduty}/v2/enqueue` };
  Object.assign(am.route, options.route);
  for (const receiver of am.receivers) {
    for (const hook of receiver.webhook_configs ?? []) {
      hook.url = `${state.appUrl}/api/v1/webhooks/alertmanager`;
      hook.http_config.authorization.credentials_file = path.join(secrets, "vigil-token");
    }
    for (const pd of receiver.pagerduty_configs ?? [])
      pd.routing_key_file = path.join(secrets, "pagerduty-routing-key");
    for (const slack of receiver.slack_configs ?? []) slack.api_url_file = path.join(secrets, "slack-webhook-url");
  }
  const file = path.join(dir, "alertmanager.yml");
  writeFileSync(file, YAML.stringify(am));
  return file;
}

/** Starts a binary with its output appended to e2e/artifacts/<name>.log. */
export function runBinary(name: string, command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  const log = path.resolve("e2e/artifacts", `${name}.log`);
  child.stdout!.on("data", (c: Buffer) => appendFileSync(log, c));
  child.stderr!.on("data", (c: Buffer) => appendFileSync(log, c));
  return child;
}

export async function waitForReady(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become ready`);
}

/** Stops the children and waits for them to exit. */
export async function stopBinaries(children: (ChildProcess | undefined)[]): Promise<void> {
  for (const child of children) child?.kill("SIGTERM");
  await Promise.all(
    children.map((c) => c && c.exitCode === null && c.signalCode === null && new Promise((r) => c.once("exit", r))),
  );
}
