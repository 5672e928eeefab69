import type { EphemeralEvent } from '@youngchat/shared';
import type { RawData, WebSocket } from 'ws';
import { currentSocketMessage } from '../observability/trace.ts';

/** An events.live subscription request as it arrived on a socket: tRPC's operation id and where to resume. */
interface LiveRequest {
  id: string | number;
  jsonrpc: unknown;
  lastEventId: string | null;
}

/** Writes one subscription's frames straight to its socket, each event's JSON as it was serialised once. */
export interface LiveSocket {
  durable(id: string, json: string): void;
  ephemeral(event: EphemeralEvent): void;
}

const PATH = '"events.live"';

/**
 * The events.live subscription requests in a socket message, if any (most messages are other calls and are not
 * parsed here). server.ts keeps them with the message's trace, so the procedure the message starts finds its own.
 */
export function liveRequestsIn(data: RawData): LiveRequest[] | undefined {
  if (!Buffer.isBuffer(data) || !data.includes(PATH)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8'));
  } catch {
    return undefined; // tRPC answers the parse error
  }
  const requests: LiveRequest[] = [];
  for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
    const { id, jsonrpc, method, params } = (message ?? {}) as { id?: unknown; jsonrpc?: unknown; method?: unknown; params?: Record<string, unknown> };
    if (method !== 'subscription' || params?.path !== 'events.live' || (typeof id !== 'string' && typeof id !== 'number')) continue;
    // tRPC merges a reconnect's lastEventId into the input the same way.
    const lastEventId = params.lastEventId ?? (params.input as { lastEventId?: unknown } | undefined)?.lastEventId;
    requests.push({ id, jsonrpc, lastEventId: typeof lastEventId === 'string' ? lastEventId : null });
  }
  return requests;
}

/** Bytes sent as a text frame, as a string would be: a browser hands a binary one to tRPC as a Blob it cannot read. */
const TEXT = { binary: false };

let lastFrame = { head: '', id: '', json: '', bytes: Buffer.alloc(0) };

/**
 * A durable event's frame, encoded once for every local subscriber it goes to. The stream hands one entry to all of
 * them in a row, and their frames are the same bytes whenever their subscription ids are (a wsLink numbers its calls,
 * so nearly always): one Buffer then goes to every socket, instead of a string each socket's sender encodes anew.
 */
function durableFrame(head: string, id: string, json: string): Buffer {
  if (lastFrame.json !== json || lastFrame.id !== id || lastFrame.head !== head) {
    lastFrame = { head, id, json, bytes: Buffer.from(`${head}"id":"${id}","data":{"id":"${id}","data":${json}}}}`) };
  }
  return lastFrame.bytes;
}

/**
 * For events.live called over a WebSocket: a writer that sends this subscription's frames directly, in tRPC's wire
 * format, instead of through a generator and a serialisation per subscriber. Undefined when the call did not come
 * from a socket message we read (the caller then yields through tRPC as usual).
 */
export function claimLiveSocket(ws: WebSocket, lastEventId: string | null): LiveSocket | undefined {
  const requests = currentSocketMessage() as LiveRequest[] | undefined;
  const index = requests?.findIndex((r) => r.lastEventId === lastEventId) ?? -1;
  if (index < 0) return undefined;
  const [request] = requests!.splice(index, 1);
  const rpc = request!.jsonrpc === undefined ? '' : `"jsonrpc":${JSON.stringify(request!.jsonrpc)},`;
  const head = `{"id":${JSON.stringify(request!.id)},${rpc}"result":{"type":"data",`;
  return {
    durable: (id, json) => ws.send(durableFrame(head, id, json), TEXT),
    ephemeral: (event) => ws.send(`${head}"data":${JSON.stringify(event)}}}`),
  };
}
