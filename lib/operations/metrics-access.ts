// Who may read the web server's /metrics. Open by default (a laptop, a private network); with
// METRICS_TOKEN set, only a scraper that sends it as a Bearer token: the web server's port is also the
// public Ingress, and the figures name services, teams and incident counts.
import { createHash, timingSafeEqual } from "node:crypto";
import { bearerToken } from "../http/request";

const digest = (text: string) => createHash("sha256").update(text).digest();

export function metricsAccessAllowed(authorization: string | null, metricsToken: string | undefined): boolean {
  if (!metricsToken) return true;
  const presented = bearerToken(authorization);
  // Digests of equal length, compared in constant time: the answer time says nothing about the token.
  return presented !== undefined && timingSafeEqual(digest(presented), digest(metricsToken));
}
