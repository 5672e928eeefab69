import { getTRPCErrorFromUnknown, getTRPCErrorShape } from '@trpc/server';
import { messagesSendInput } from '@youngchat/shared';
import type { RawData, WebSocket } from 'ws';
import type { AppDeps } from '../deps.ts';
import { appRouter } from '../trpc/app-router.ts';
import { contextOfSocket } from '../trpc/context.ts';
import { answerFailure, msSince } from '../trpc/init.ts';

const PATH = 'messages.send';
const QUOTED_PATH = `"${PATH}"`;

/**
 * `messages.send` over a WebSocket, answered without tRPC's per-call machinery: its middleware chain spreads the call's
 * options at every level, and with an AbortController per call that was a third of the API's garbage per send; without
 * it the API's main thread works 10–20% less per send (decision 0007). Only a lone mutation of messages.send with valid input, on a socket whose
 * sign-in tRPC has checked, is taken; anything else (a batch, a socket not signed in yet, input the schema refuses)
 * is left to tRPC. The answer is the frame tRPC would send: the same service call, a failure mapped and logged as
 * every call's is (trpc/init.ts) and shaped by tRPC's own getErrorShape with our formatter.
 * Returns whether it took the message.
 */
export function createSendFastPath(deps: AppDeps): (ws: WebSocket, data: RawData) => boolean {
  const { logger, services } = deps;
  return (ws, data) => {
    if (!Buffer.isBuffer(data) || !data.includes(QUOTED_PATH)) return false;
    const started = performance.now();
    const ctx = contextOfSocket(ws);
    if (!ctx?.auth) return false;
    let message: { id?: unknown; jsonrpc?: unknown; method?: unknown; params?: { path?: unknown; input?: unknown; lastEventId?: unknown } };
    try {
      message = JSON.parse(data.toString('utf8')) as typeof message;
    } catch {
      return false;
    }
    const { id, jsonrpc, method, params } = message ?? {};
    if (method !== 'mutation' || params?.path !== PATH || params.lastEventId !== undefined) return false;
    if (typeof id !== 'string' && typeof id !== 'number') return false;
    const input = messagesSendInput.safeParse(params.input);
    if (!input.success) return false;

    const head = `{"id":${JSON.stringify(id)},${jsonrpc === undefined ? '' : `"jsonrpc":${JSON.stringify(jsonrpc)},`}`;
    const answer = (frame: string) => {
      ws.send(frame);
      deps.metrics.wsSendSeconds.observe((performance.now() - started) / 1000);
    };
    deps.metrics.wsFastSends.inc();
    services.messages.send(ctx.auth.userId, input.data).then(
      (sent) => {
        logger.debug({ path: PATH, type: 'mutation', ms: msSince(started), transport: 'ws' }, 'call');
        answer(`${head}"result":{"type":"data","data":${JSON.stringify(sent)}}}`);
      },
      (thrown: unknown) => {
        const error = answerFailure(logger, { path: PATH, type: 'mutation', ms: msSince(started) }, getTRPCErrorFromUnknown(thrown));
        const shape = getTRPCErrorShape({ config: appRouter._def._config, error, type: 'mutation', path: PATH, input: params.input, ctx });
        answer(`${head}"error":${JSON.stringify(shape)}}`);
      },
    );
    return true;
  };
}
