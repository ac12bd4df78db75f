// What global setup tells the specs (they run in other processes): where the app and its database are.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const E2E_ADMIN_TOKEN = "vgl_e2e_admin_token_for_tests_only";
export const E2E_SLACK_SIGNING_SECRET = "e2e-slack-signing-secret-0123456789";
export const e2eStatePath = path.resolve("e2e/artifacts/state.json");

export interface E2eState {
  databaseUrl: string;
  appUrl: string;
  /** POST /down or /up here cuts or restores the web server's database connections. */
  databaseProxyControlPort: number;
  /** Base URLs of the loopback fakes, for their /__fake/ control routes. */
  fakes: { slack: string; pagerduty: string; sms: string; smtp: string };
  /** The environment the worker runs with, for a spec that starts another one. */
  workerEnv: Record<string, string>;
}

export const writeE2eState = (state: E2eState) => writeFileSync(e2eStatePath, JSON.stringify(state));
export const readE2eState = (): E2eState => JSON.parse(readFileSync(e2eStatePath, "utf8")) as E2eState;
