# One image per service of the cryptostream pipeline, chosen with the SERVICE build arg:
#   docker build --build-arg SERVICE=binance-producer -t cryptostream/binance-producer .
# SERVICE: binance-producer | binance-processor | twitter-producer | twitter-processor |
#          bluesky-producer | binance-simulator | twitter-simulator | jetstream-simulator | dashboard
# NODE_IMAGE: the Node.js 20 base (any Debian-based image with node + npm and a uid-1000
#             user "node", like the official one); the container test points it at a local
#             stand-in because no registry can be reached there.
# Kept to what the classic builder understands (docker-compose 1.29 builds without BuildKit).
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: the whole workspace with dev deps, then compile only SERVICE and common ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY services/common/package.json services/common/
COPY services/binance-simulator/package.json services/binance-simulator/
COPY services/binance-producer/package.json services/binance-producer/
COPY services/binance-processor/package.json services/binance-processor/
COPY services/twitter-simulator/package.json services/twitter-simulator/
COPY services/twitter-producer/package.json services/twitter-producer/
COPY services/twitter-processor/package.json services/twitter-processor/
COPY services/jetstream-simulator/package.json services/jetstream-simulator/
COPY services/bluesky-producer/package.json services/bluesky-producer/
COPY services/dashboard/package.json services/dashboard/
COPY services/testkit/package.json services/testkit/
# Same for every SERVICE, so this layer is built once and shared by all service images.
# --ignore-scripts: no dependency needs an install script (zeromq ships its prebuilt
# binaries), and npm 11 would not run unapproved ones anyway; same result on any npm.
RUN npm ci --ignore-scripts --no-audit --no-fund
ARG SERVICE
# Only common and SERVICE's own sources: a change elsewhere does not rebuild this image.
# (Every service's tsconfig references ../common only. services/testkit, the test doubles,
# and each service's test/ folder never enter an image; testkit's package.json above is
# only there because npm ci checks every workspace of the lock file.)
COPY services/common ./services/common
COPY services/${SERVICE} ./services/${SERVICE}
RUN { test -n "${SERVICE}" && test -f "services/${SERVICE}/tsconfig.json"; } \
      || { echo "build arg SERVICE must name a folder of services/ (got '${SERVICE}')" >&2; exit 1; } \
 && npx tsc -b "services/${SERVICE}" \
 && find services -path '*/dist/*' \( -name '*.test.*' -o -name '*.tsbuildinfo' \) -delete \
 && mkdir -p "services/${SERVICE}/assets" "services/${SERVICE}/page"

# ---- deps: production dependencies of SERVICE only (danfojs stays in binance-processor,
#      natural in twitter-processor, lightweight-charts in dashboard) ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/services/common/package.json services/common/
COPY --from=build /app/services/binance-simulator/package.json services/binance-simulator/
COPY --from=build /app/services/binance-producer/package.json services/binance-producer/
COPY --from=build /app/services/binance-processor/package.json services/binance-processor/
COPY --from=build /app/services/twitter-simulator/package.json services/twitter-simulator/
COPY --from=build /app/services/twitter-producer/package.json services/twitter-producer/
COPY --from=build /app/services/twitter-processor/package.json services/twitter-processor/
COPY --from=build /app/services/jetstream-simulator/package.json services/jetstream-simulator/
COPY --from=build /app/services/bluesky-producer/package.json services/bluesky-producer/
COPY --from=build /app/services/dashboard/package.json services/dashboard/
COPY --from=build /app/services/testkit/package.json services/testkit/
ARG SERVICE
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
      --workspace "services/${SERVICE}" --include-workspace-root=false

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
WORKDIR /app
COPY --from=deps /app/package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/services/common/package.json services/common/
COPY --from=build /app/services/common/dist services/common/dist
COPY --from=build /app/services/${SERVICE}/package.json services/${SERVICE}/
COPY --from=build /app/services/${SERVICE}/dist services/${SERVICE}/dist
# Data files a service reads at run time (the twitter-processor's lexicons) and static files it
# serves (the dashboard's web page); empty for the others.
COPY --from=build /app/services/${SERVICE}/assets services/${SERVICE}/assets
COPY --from=build /app/services/${SERVICE}/page services/${SERVICE}/page
COPY docker/healthcheck.mjs /usr/local/lib/cryptostream/healthcheck.mjs
# data/ holds the HDF5 files and the producer state; mount a host folder writable by
# uid 1000 (the "node" user) there, or run with `user:` set to the folder's owner.
RUN mkdir -p /app/data && chown node:node /app/data
# MALLOC_MMAP_THRESHOLD_: ZeroMQ's I/O thread receives into 8 KiB buffers; served by mmap
# they return to the system when freed instead of piling up in a malloc arena (measured:
# about 70 MB less resident memory for a processor under full load, see bench/).
ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    MALLOC_MMAP_THRESHOLD_=8192
LABEL org.opencontainers.image.title="cryptostream-${SERVICE}" \
      org.opencontainers.image.source="cryptostream"
USER node
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=5s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/usr/local/lib/cryptostream/healthcheck.mjs"]
# exec: node replaces the shell and is PID 1, so SIGTERM reaches it directly and
# runService stops the service gracefully (exit code 0).
CMD ["sh", "-c", "exec node \"services/${SERVICE}/dist/main.js\""]
