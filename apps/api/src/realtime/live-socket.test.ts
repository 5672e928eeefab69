import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { enterTrace, runWithTrace } from '../observability/trace.ts';
import { claimLiveSocket, liveRequestsIn } from './live-socket.ts';

const subscribe = (id: number | string, input: unknown, extra: Record<string, unknown> = {}) => ({
  id,
  method: 'subscription',
  params: { path: 'events.live', input, ...extra },
});
const raw = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('events.live requests on a socket', () => {
  it('are read from single and batched messages, with where each resumes (a reconnect puts it in params)', () => {
    expect(liveRequestsIn(raw(subscribe(1, {})))).toEqual([{ id: 1, jsonrpc: undefined, lastEventId: null }]);
    expect(liveRequestsIn(raw([subscribe('a', { lastEventId: '7' }), subscribe(2, {}, { lastEventId: '9' })]))).toEqual([
      { id: 'a', jsonrpc: undefined, lastEventId: '7' },
      { id: 2, jsonrpc: undefined, lastEventId: '9' },
    ]);
  });

  it('are not looked for in other messages', () => {
    expect(liveRequestsIn(raw({ id: 3, method: 'mutation', params: { path: 'messages.send', input: { body: 'x' } } }))).toBeUndefined();
    expect(liveRequestsIn(raw({ id: 4, method: 'query', params: { path: 'rooms.list', input: { note: 'events.live' } } }))).toEqual([]);
    expect(liveRequestsIn(Buffer.from('{"events.live" not json'))).toBeUndefined();
  });

  it('give the procedure its subscription id within the message that asked, in tRPC’s frame format', () => {
    const sent: string[] = [];
    const ws = { send: (frame: string) => sent.push(frame) } as unknown as WebSocket;
    runWithTrace('outside', () => expect(claimLiveSocket(ws, null)).toBeUndefined());
    runWithTrace('message', () => {
      enterTrace('message', liveRequestsIn(raw({ ...subscribe(5, { lastEventId: '41' }), jsonrpc: '2.0' })));
      expect(claimLiveSocket(ws, null)).toBeUndefined();
      const socket = claimLiveSocket(ws, '41')!;
      expect(claimLiveSocket(ws, '41')).toBeUndefined();
      socket.durable('42', '{"type":"room.read","seq":1}');
      socket.ephemeral({ type: 'typing', roomId: 'r', userId: 'u' });
    });
    expect(sent.map((frame) => JSON.parse(frame))).toEqual([
      { id: 5, jsonrpc: '2.0', result: { type: 'data', id: '42', data: { id: '42', data: { type: 'room.read', seq: 1 } } } },
      { id: 5, jsonrpc: '2.0', result: { type: 'data', data: { type: 'typing', roomId: 'r', userId: 'u' } } },
    ]);
  });

  it('encode a durable event once for the subscribers whose frames are the same bytes', () => {
    const claim = (id: number) => {
      const sent: (string | Buffer)[] = [];
      const ws = {
        // A Buffer goes as a text frame, as a string would: a browser's tRPC client cannot read a binary one.
        send: (frame: string | Buffer, options?: { binary?: boolean }) => sent.push(typeof frame === 'string' || options?.binary === false ? frame : 'binary frame'),
      } as unknown as WebSocket;
      return runWithTrace(`claim ${id}`, () => {
        enterTrace(`claim ${id}`, liveRequestsIn(raw(subscribe(id, {}))));
        return { socket: claimLiveSocket(ws, null)!, sent };
      });
    };
    const [a, b, other] = [claim(1), claim(1), claim(2)];
    for (const { socket } of [a, b, other]) socket.durable('7', '{"type":"room.read","seq":3}');
    a.socket.durable('8', '{"type":"room.read","seq":4}');
    expect(a.sent[0]).toBeInstanceOf(Buffer);
    expect(b.sent[0]).toBe(a.sent[0]);
    expect(other.sent[0]).not.toBe(a.sent[0]);
    expect([a.sent[1], other.sent[0]].map((frame) => JSON.parse(String(frame)))).toEqual([
      { id: 1, result: { type: 'data', id: '8', data: { id: '8', data: { type: 'room.read', seq: 4 } } } },
      { id: 2, result: { type: 'data', id: '7', data: { id: '7', data: { type: 'room.read', seq: 3 } } } },
    ]);
  });
});
