# syntax=docker/dockerfile:1
# YOUng Chat: one image, the API process serving the tRPC API, WebSockets, /healthz, /metrics and the built SPA.
#   docker build -t youngchat .
#   docker run -p 3000:3000 -e JWT_SECRET=<32+ chars> -v youngchat-data:/data youngchat   (embedded mode)
# deploy/docker-compose.yml runs two of these behind nginx with PostgreSQL, Redis, RabbitMQ, MinIO and a mail catcher.
# Node 20 as everywhere else in the project (docs/decisions/0002); npm as pinned by package.json's packageManager.
ARG NODE_VERSION=20.20
ARG NPM_VERSION=11.19.1

FROM node:${NODE_VERSION}-bookworm-slim AS base
ARG NPM_VERSION
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
RUN npm install --global "npm@${NPM_VERSION}" && npm cache clean --force
WORKDIR /app

# Every dependency, dev ones included, to build with. The manifests come first so this layer is reused until they
# change. No install scripts: the workspaces' `prepare` needs sources that are not here yet, and the native parts
# (argon2's prebuilds, sharp's @img packages, esbuild's platform package) arrive as ordinary files.
FROM base AS build
ENV TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
COPY package.json package-lock.json .npmrc ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY packages/shared/package.json packages/shared/
COPY loadtest/package.json loadtest/
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts
COPY . .
# apps/api/dist (the server bundle and the PGlite worker) and apps/web/dist (the SPA), exactly as `npm start` builds.
RUN npx turbo run build --filter=@youngchat/api --filter=@youngchat/web

# Production dependencies of the API only: no dev tools, no web or load-test packages. @youngchat/shared is bundled
# into dist/main.js, so the dangling workspace links npm leaves in node_modules/@youngchat are never followed.
# argon2 is compiled here rather than trusting its prebuilt binary: that prebuild segfaults on load on some x86-64
# hosts (ours among them; its install script silently falls back to a source build there), and the image must not
# depend on which CPU built it. Its binding.gyp asks for nothing beyond SSE2, so the result runs on any x86-64.
FROM base AS prod-deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
COPY apps/api/package.json apps/api/
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --workspace=@youngchat/api --include-workspace-root=false \
 && npm_config_build_from_source=true npm_config_nodedir=/usr/local npm rebuild argon2 \
 && rm -rf node_modules/argon2/build/Release/obj.target node_modules/argon2/build/Release/.deps \
           node_modules/argon2/prebuilds

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/data
WORKDIR /app
# The server reads ../package.json from dist/ (its version) and serves ../../web/dist (config.ts's default STATIC_DIR).
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/apps/api/package.json ./apps/api/
COPY --from=build --chown=root:root /app/apps/api/dist ./apps/api/dist
COPY --from=build --chown=root:root /app/apps/web/dist ./apps/web/dist
# The code belongs to root and is read-only for the server; only DATA_DIR (embedded database, files, the generated
# JWT secret when none is given) is the server's to write.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# 503 while a dependency is down (see src/http/health.ts). No curl in slim images: Node's own fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself (main.ts drains sockets within SHUTDOWN_GRACE_MS).
STOPSIGNAL SIGTERM
CMD ["node", "apps/api/dist/main.js"]
