import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import type { AppDeps } from '../deps.ts';
import type { AccessClaims } from '../modules/auth/auth.api.ts';
import { AppError, serviceUnavailable } from '../app-error.ts';
import { clientIp } from '../http/origin-policy.ts';
import { toTRPCError } from './errors.ts';

export interface RequestInfo {
  /** The client's address; behind a proxy (TRUST_PROXY) the first X-Forwarded-For entry. */
  ip: string;
  origin: string | undefined;
  host: string | undefined;
  userAgent: string | undefined;
  cookieHeader: string | undefined;
  transport: 'http' | 'ws';
  /** A streamed batch (`trpc-accept: application/jsonl`): its headers go out before its calls run. */
  streamed: boolean;
}

export interface Context {
  deps: AppDeps;
  request: RequestInfo;
  /** The HTTP response, for Set-Cookie; absent on WebSocket calls. */
  res: ServerResponse | undefined;
  /** The WebSocket the call came on; absent on HTTP calls. */
  socket: WebSocket | undefined;
  /** The verified access token's claims, or null for an anonymous call. */
  auth: AccessClaims | null;
  /** Why a presented token was refused, so protected procedures can say so. */
  authError: Error | null;
}

/** The token of an `Authorization: Bearer …` header. */
export function bearer(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
}

/**
 * HTTP: `Authorization: Bearer <accessToken>` (or, for SSE, `connectionParams.accessToken`). WebSocket:
 * `connectionParams.accessToken`, checked once per connection; the socket is registered so that logout and
 * token expiry can close it.
 */
export function createContextFactory(deps: AppDeps) {
  return async (opts: {
    req: IncomingMessage;
    res: ServerResponse | WebSocket;
    info: { connectionParams: Partial<Record<string, string>> | null };
  }): Promise<Context> => {
    const { req } = opts;
    const isWs = !('setHeader' in opts.res);
    // SSE (EventSource) cannot send headers, so tRPC passes connectionParams in the URL there too.
    const token = (isWs ? undefined : bearer(req.headers.authorization)) ?? opts.info.connectionParams?.accessToken;
    let auth: AccessClaims | null = null;
    let authError: Error | null = null;
    if (token) {
      try {
        auth = await deps.services.auth.authenticate(token);
      } catch (error) {
        // A token we could not check (the store is down or saturated) is not a bad token: the caller retries later.
        // On a WebSocket this closes the socket, and the client reconnects with its backoff.
        if (!(error instanceof AppError)) {
          deps.logger.warn({ err: error }, 'could not check an access token');
          throw toTRPCError(serviceUnavailable());
        }
        authError = error;
      }
    }
    if (isWs && auth) deps.connections.register(opts.res as WebSocket, auth);
    const ctx: Context = {
      deps,
      request: {
        ip: clientIp(req, deps.config.trustProxy),
        origin: req.headers.origin,
        host: req.headers.host,
        userAgent: req.headers['user-agent'],
        cookieHeader: req.headers.cookie,
        transport: isWs ? 'ws' : 'http',
        streamed: req.headers['trpc-accept'] === 'application/jsonl',
      },
      res: isWs ? undefined : (opts.res as ServerResponse),
      socket: isWs ? (opts.res as WebSocket) : undefined,
      auth,
      authError,
    };
    if (isWs) socketContexts.set(opts.res as WebSocket, ctx);
    return ctx;
  };
}

const socketContexts = new WeakMap<WebSocket, Context>();

/** The context tRPC made for a socket's calls, once it has (it checks the sign-in in the socket's first message). */
export const contextOfSocket = (ws: WebSocket): Context | undefined => socketContexts.get(ws);
