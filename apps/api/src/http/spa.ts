import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Logger } from 'pino';
import sirv from 'sirv';
import { SPA_CSP } from './security-headers.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * The built SPA with client-side routes falling back to index.html. When the SPA has not been built (the API
 * run on its own, e.g. in tests or `npm run dev`), the API still starts and pages say how to build it.
 */
export function createSpaHandler(staticDir: string, logger: Logger): Handler {
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    logger.warn({ staticDir }, 'web app not built: pages answer 503 until `npm run build -w @youngchat/web`');
    return (_req, res) => {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('The YOUng Chat web app is not built yet. Run `npm start` (or `npm run build -w @youngchat/web`).\n');
    };
  }
  return sirv(staticDir, {
    single: true,
    etag: true,
    setHeaders: (res, pathname) => {
      res.setHeader('Content-Security-Policy', SPA_CSP);
      // Hashed build assets never change; index.html must always be revalidated.
      res.setHeader('Cache-Control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
