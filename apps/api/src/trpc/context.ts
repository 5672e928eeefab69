import type { IncomingMessage } from 'node:http';
import type { AppDeps } from '../deps.ts';

export interface RequestInfo {
  ip: string | undefined;
  origin: string | undefined;
  userAgent: string | undefined;
  transport: 'http' | 'ws';
}

export interface Context {
  deps: AppDeps;
  request: RequestInfo;
}

export function createContextFactory(deps: AppDeps) {
  return ({ req }: { req: IncomingMessage }): Context => ({
    deps,
    request: {
      ip: req.socket.remoteAddress,
      origin: req.headers.origin,
      userAgent: req.headers['user-agent'],
      transport: req.headers.upgrade?.toLowerCase() === 'websocket' ? 'ws' : 'http',
    },
  });
}
