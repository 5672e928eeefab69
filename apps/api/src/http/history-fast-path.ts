import type { IncomingMessage, ServerResponse } from 'node:http';
import { messagesListInput, type MessagePage } from '@youngchat/shared';
import type { AppDeps } from '../deps.ts';
import { bearer } from '../trpc/context.ts';

const PATH = '/trpc/messages.list';

/**
 * messages.list over HTTP GET — how people page through history — answered without tRPC's fetch adapter, which
 * builds a Request, its Headers and an AbortController for every call: most of the CPU of a page. Only the plain
 * success is answered here, in tRPC's own envelope (`{"result":{"data":…}}`, in an array for a batch of one).
 * Anything else — another path, a batch of several, a streaming client, no valid token, a bad input, not a member,
 * any failure — returns false untouched, and tRPC answers it as it always does.
 */
export function createHistoryFastPath(deps: AppDeps) {
  /** A page's JSON, for the readers who share the page (messages.service.ts). */
  const bodies = new WeakMap<MessagePage, string>();
  const bodyOf = (page: MessagePage) => {
    let body = bodies.get(page);
    if (body === undefined) bodies.set(page, (body = `{"result":{"data":${JSON.stringify(page)}}}`));
    return body;
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' || !req.url?.startsWith(PATH) || req.headers['trpc-accept']) return false;
    const url = new URL(req.url, 'http://x');
    if (url.pathname !== PATH) return false;
    const batch = url.searchParams.get('batch') === '1';
    const token = bearer(req.headers.authorization);
    if (!token) return false;
    try {
      const raw = JSON.parse(url.searchParams.get('input') ?? (batch ? '{}' : 'null')) as unknown;
      const input = messagesListInput.safeParse(batch ? (raw as Record<string, unknown>)['0'] : raw);
      if (!input.success || (batch && Object.keys(raw as object).length !== 1)) return false;
      const auth = await deps.services.auth.authenticate(token);
      const page = await deps.services.messages.list(auth.userId, input.data);
      const body = bodyOf(page);
      res.writeHead(200, { 'content-type': 'application/json', vary: 'trpc-accept, accept' });
      res.end(batch ? `[${body}]` : body);
      return true;
    } catch {
      return false;
    }
  };
}
