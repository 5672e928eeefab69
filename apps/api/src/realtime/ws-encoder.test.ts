import { describe, expect, it } from 'vitest';
import { RawEvent } from './raw-event.ts';
import { wsEncoder } from './ws-encoder.ts';

const event = { type: 'message.created', roomId: 'r', message: { id: 'm', body: 'say "hi" \u2028 안녕', seq: 3 } };

describe('the WebSocket encoder', () => {
  it('writes a tracked RawEvent into the frame as the same JSON value the event would serialise to', () => {
    for (const jsonrpc of [undefined, '2.0' as const]) {
      for (const id of [7, 'op-1']) {
        const frame = { id, jsonrpc, result: { type: 'data', id: '42', data: { id: '42', data: new RawEvent(JSON.stringify(event)) } } };
        const expected = { id, jsonrpc, result: { type: 'data', id: '42', data: { id: '42', data: event } } };
        expect(JSON.parse(wsEncoder.encode(frame))).toEqual(JSON.parse(JSON.stringify(expected)));
      }
    }
  });

  it('serialises every other frame as it is', () => {
    const frames = [{ id: 1, result: { type: 'started' } }, { id: 2, result: { type: 'data', data: { type: 'typing' } } }, { id: null, method: 'reconnect' }];
    for (const frame of frames) expect(wsEncoder.encode(frame)).toBe(JSON.stringify(frame));
  });

  it('reads JSON text frames only', () => {
    expect(wsEncoder.decode('{"id":1}')).toEqual({ id: 1 });
    expect(() => wsEncoder.decode(new Uint8Array([1]))).toThrow();
  });
});
