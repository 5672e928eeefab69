import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { LIMITS, TOO_MANY_CONNECTIONS_CLOSE_CODE } from '@youngchat/shared';
import { WebSocketServer, type RawData } from 'ws';
import { OUTBOX_PAGE_CSP, renderOutboxPage } from './adapters/embedded/dev-outbox.page.ts';
import { closeAll, type AppDeps } from './deps.ts';
import { checkHealth } from './http/health.ts';
import { createHistoryFastPath } from './http/history-fast-path.ts';
import { isSafeBlobKey } from './ports/blob-store.ts';
import { clientIp, isAllowedOrigin, isLoopback } from './http/origin-policy.ts';
import { createSpaHandler } from './http/spa.ts';
import { FILE_CSP, setSecurityHeaders } from './http/security-headers.ts';
import { enterTrace, newTraceId, runWithTrace } from './observability/trace.ts';
import { cutSlowConsumers } from './realtime/slow-consumers.ts';
import { liveRequestsIn } from './realtime/live-socket.ts';
import { createSendFastPath } from './realtime/send-fast-path.ts';
import { appRouter } from './trpc/app-router.ts';
import { bearer, createContextFactory } from './trpc/context.ts';
import { AppError } from './app-error.ts';

export interface RunningServer {
  port: number;
  url: string;
  /** Graceful stop: refuse new work, ask sockets to reconnect elsewhere, drain, close adapters. */
  shutdown(): Promise<void>;
}

const TRACE_ID = /^[A-Za-z0-9_-]{8,64}$/;
const KEEPALIVE = { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 };

export async function startServer(deps: AppDeps): Promise<RunningServer> {
  const { config, logger, metrics } = deps;
  const createContext = createContextFactory(deps);
  // Bodies are cut off (413) past the largest upload (a photo) plus multipart framing, never buffered whole; JSON
  // inputs are far smaller.
  const maxBodySize = Math.max(LIMITS.avatar.maxBytes, LIMITS.photo.maxBytes) + 64 * 1024;
  const trpcHandler = createHTTPHandler({ router: appRouter, createContext, basePath: '/trpc/', maxBodySize });
  const serveSpa = createSpaHandler(config.staticDir, logger);
  const historyFastPath = createHistoryFastPath(deps);
  const openStreams = new Set<ServerResponse>();
  /** Who asks for a photo: the user of the request's access token if it is live (a dependency outage throws). */
  const photoViewer = async (req: IncomingMessage): Promise<string | undefined> => {
    const token = bearer(req.headers.authorization);
    if (!token) return undefined;
    try {
      return (await deps.services.auth.authenticate(token)).userId;
    } catch (error) {
      if (error instanceof AppError && error.appCode === 'UNAUTHORIZED') return undefined;
      throw error;
    }
  };

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void> | void> = {
    healthz: async (_req, res) => {
      const report = await checkHealth(config.instanceId, deps.dependencies);
      sendJson(res, report.status === 'ok' ? 200 : 503, report);
    },
    metrics: async (_req, res) => {
      res.setHeader('Content-Type', metrics.registry.contentType);
      res.end(await metrics.registry.metrics());
    },
    trpc: async (req, res) => {
      if (await historyFastPath(req, res)) return;
      if (req.headers.accept?.includes('text/event-stream')) {
        openStreams.add(res);
        res.on('close', () => openStreams.delete(res));
      }
      return trpcHandler(req, res);
    },
    files: async (req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname.slice('/files/'.length);
      // Keys are plain ASCII (see isSafeBlobKey): anything that needs decoding, or is unsafe, is simply not there.
      if (!isSafeBlobKey(path)) return sendJson(res, 404, { error: 'not found' });
      const isPhoto = path.startsWith('photos/');
      let blob: Awaited<ReturnType<typeof deps.blobStore.get>>;
      try {
        if (isPhoto) {
          // A room's photos are for its members only, whoever else got hold of the URL.
          const viewer = await photoViewer(req);
          if (!viewer) return sendJson(res, 401, { error: 'sign in to see this photo' });
          if (!(await deps.services.messages.mayLoadPhoto(viewer, path))) return sendJson(res, 404, { error: 'not found' });
        }
        blob = await deps.blobStore.get(path);
      } catch (error) {
        // The store or the database is down or slow: say so (the browser may try again), not "there is no such picture".
        logger.warn({ err: error, key: path }, 'file unavailable');
        res.setHeader('Retry-After', '2');
        return sendJson(res, 503, { error: 'file unavailable' });
      }
      if (!blob) return sendJson(res, 404, { error: 'not found' });
      res.writeHead(200, {
        'Content-Type': blob.contentType,
        'Content-Length': blob.size,
        'Content-Security-Policy': FILE_CSP,
        // Keys are never reused, so a copy never goes stale; a photo's copy stays in its viewer's browser only.
        'Cache-Control': `${isPhoto ? 'private' : 'public'}, max-age=31536000, immutable`,
      });
      await pipeline(blob.body, res);
    },
    dev: (req, res) => {
      // Sign-up codes are readable here, so: embedded mail only, never in production, loopback only.
      if (!deps.devOutbox || !isLoopback(req, deps.config.trustProxy) || !req.url?.startsWith('/dev/outbox')) {
        return sendJson(res, 404, { error: 'not found' });
      }
      const entries = deps.devOutbox.list();
      if (new URL(req.url, 'http://x').searchParams.get('format') === 'json') return sendJson(res, 200, entries);
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': OUTBOX_PAGE_CSP });
      res.end(renderOutboxPage(entries));
    },
  };

  const server = http.createServer((req, res) => {
    const incoming = req.headers['x-trace-id'];
    const traceId = typeof incoming === 'string' && TRACE_ID.test(incoming) ? incoming : newTraceId();
    runWithTrace(traceId, () => {
      const started = performance.now();
      const segment = (req.url ?? '/').split(/[/?]/)[1] ?? '';
      const route = segment in routes ? segment : 'static';
      res.setHeader('x-trace-id', traceId);
      setSecurityHeaders(res);
      res.on('finish', () => {
        metrics.httpRequests.inc({ method: req.method ?? '', route, status: res.statusCode });
        metrics.httpDuration.observe({ route }, (performance.now() - started) / 1000);
        if (res.statusCode >= 500) logger.warn({ method: req.method, route, status: res.statusCode }, 'http error');
      });
      const handle = routes[route] ?? ((rq, rs) => serveSpa(rq, rs, () => sendJson(rs, 404, { error: 'not found' })));
      Promise.resolve(handle(req, res)).catch((error: unknown) => {
        logger.error({ err: error, route }, 'request failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        else res.destroy();
      });
    });
  });
  server.keepAliveTimeout = 65_000; // longer than typical load-balancer idle timeouts
  server.headersTimeout = 66_000;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: LIMITS.wsMaxPayloadBytes,
    perMessageDeflate: false, // CPU per message and a known memory-fragmentation trap at scale
  });
  server.on('upgrade', (req, socket, head) => {
    const refuse = (status: number, reason: string) => {
      metrics.wsRejected.inc({ reason });
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/trpc') return refuse(404, 'path');
    if (!isAllowedOrigin(req, config)) return refuse(403, 'origin');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  /** Open sockets by client address. Past the cap the newest is refused: an address is often shared (a school, an
   * office, a mobile carrier's NAT), and letting a new socket push out an old one would let anyone there cut off the
   * others. */
  const socketsByAddress = new Map<string, number>();
  const sendFastPath = createSendFastPath(deps);
  // Registered before tRPC's handler so each message gets its trace before tRPC's listener runs.
  wss.on('connection', (ws, req: http.IncomingMessage) => {
    metrics.wsConnections.inc();
    metrics.wsOpen.inc();
    const address = clientIp(req, config.trustProxy);
    const open = (socketsByAddress.get(address) ?? 0) + 1;
    socketsByAddress.set(address, open);
    ws.once('close', () => {
      const left = socketsByAddress.get(address)! - 1;
      if (left === 0) socketsByAddress.delete(address);
      else socketsByAddress.set(address, left);
    });
    if (open > config.maxSocketsPerAddress) {
      metrics.wsRejected.inc({ reason: 'address-cap' });
      // Accepted, then closed with a code the client can read (a refused upgrade tells a browser nothing).
      ws.close(TOO_MANY_CONNECTIONS_CLOSE_CODE, 'too many connections from this address');
    }
    const send = ws.send.bind(ws);
    ws.send = ((...args: Parameters<typeof ws.send>) => {
      metrics.wsMessagesOut.inc();
      return send(...args);
    }) as typeof ws.send;
    // Each message is seen here before tRPC's listener: it gets its trace, and messages.send is answered here when
    // it can be, in which case tRPC never sees it (an EventEmitter listener cannot stop the others).
    const emit = ws.emit.bind(ws);
    ws.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event !== 'message') return emit(event, ...args);
      const data = args[0] as RawData;
      metrics.wsMessagesIn.inc();
      enterTrace(newTraceId(), liveRequestsIn(data));
      return sendFastPath(ws, data) || emit(event, ...args);
    }) as typeof ws.emit;
    ws.once('close', () => metrics.wsOpen.dec());
  });
  const wsHandler = applyWSSHandler({ wss, router: appRouter, createContext, keepAlive: KEEPALIVE });
  const slowConsumerCheck = setInterval(() => {
    metrics.wsSlowConsumersCut.inc(cutSlowConsumers(wss.clients, config.wsMaxBufferedBytes));
  }, 500);
  slowConsumerCheck.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Thousands of clients reconnecting at once (an instance restarted) must queue, not be reset: Node's default is 511.
    server.listen({ port: config.port, host: config.host, backlog: 4096 }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  logger.info({ port, host: config.host, staticDir: config.staticDir }, 'listening');

  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= (async () => {
      logger.info({ openSockets: wss.clients.size }, 'shutting down');
      clearInterval(slowConsumerCheck);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      deps.stream.detachAll();
      wsHandler.broadcastReconnectNotification();
      server.closeIdleConnections();
      // Streams never finish on their own; their clients reconnect (to another instance) and resume.
      for (const stream of openStreams) stream.end();
      // tRPC clients reconnect at once and close the old socket when their calls on it have answered,
      // so an empty socket set means the WebSocket calls are drained too.
      const socketsGone = Promise.all([...wss.clients].map((ws) => new Promise((resolve) => ws.once('close', resolve))));
      let graceTimer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, config.shutdownGraceMs)));
      await Promise.race([Promise.all([closed, socketsGone]), grace]);
      clearTimeout(graceTimer);
      for (const ws of wss.clients) ws.terminate();
      server.closeAllConnections();
      wss.close();
      for (const job of deps.jobs) job.stop();
      deps.stream.close();
      await deps.presence.close();
      await closeAll(deps.dependencies, logger);
      logger.info('stopped');
    })());

  return { port, url: `http://127.0.0.1:${port}`, shutdown };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}
