import { RawEvent } from './raw-event.ts';

interface TrackedFrame {
  id: string | number | null;
  jsonrpc?: '2.0';
  result?: { type: string; id?: string; data?: { id?: string; data?: unknown } };
}

/**
 * tRPC's WebSocket encoder, with one shortcut: a subscription frame carrying a RawEvent (tracked, as events.live
 * yields it) is written around the event's JSON instead of serialising the event again for every subscriber. The
 * frame holds the same JSON value that serialising the parsed event would give.
 */
export const wsEncoder = {
  encode(frame: unknown): string {
    const { id, jsonrpc, result } = frame as TrackedFrame;
    const event = result?.data?.data;
    if (!(event instanceof RawEvent) || result?.type !== 'data') return JSON.stringify(frame);
    const eventId = JSON.stringify(result.id);
    const rpc = jsonrpc === undefined ? '' : `"jsonrpc":${JSON.stringify(jsonrpc)},`;
    return `{"id":${JSON.stringify(id)},${rpc}"result":{"type":"data","id":${eventId},"data":{"id":${eventId},"data":${event.json}}}}`;
  },
  decode(data: string | ArrayBuffer | Uint8Array): unknown {
    if (typeof data !== 'string') throw new Error('Expected a text frame: this API speaks JSON.');
    return JSON.parse(data);
  },
};
