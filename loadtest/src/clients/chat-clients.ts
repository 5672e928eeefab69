// One chat user per connection, the same interface for both targets, so that one generator drives both alike.
import { randomUUID } from 'node:crypto';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '@youngchat/api';
import WebSocket from 'ws';
import type { FanoutLedger } from '../metrics.ts';
import type { RoomPlan } from '../room-plan.ts';
import { appCodeOf, openLiveClient } from './live-client.ts';

/** A chat message from another member, as a transport hands it over. */
export interface Delivery {
  roomId: string;
  clientId: string;
  seq: number;
  /** When it arrived: performance.now() of the thread that read it (client-threads.ts moves it to the main thread's). */
  at: number;
}

export interface ChatHandlers {
  deliver(delivery: Delivery): void;
  /** Counts an oddity for the line under the table (socket closes, resyncs, errors). */
  note(what: string): void;
}

export interface ChatClient {
  /** Resolves when the server acknowledged the send. */
  send(roomId: string, clientId: string, body: string): Promise<void>;
  close(): void;
}

/** Connects user `index` and resolves once it is receiving. */
export type Connect = (index: number, handlers: ChatHandlers) => Promise<ChatClient>;

/**
 * Raw `ws` clients against the bare room server on `portOf(index)`, joined to `roomsOf(index)`; acks and messages
 * matched by clientId.
 */
export function bareWsChat(portOf: (index: number) => number, roomsOf: (index: number) => string[], timeoutMs: number): Connect {
  return async (index, { deliver, note }) => {
    const socket = new WebSocket(`ws://127.0.0.1:${portOf(index)}/?rooms=${roomsOf(index).join(',')}`, {
      perMessageDeflate: false,
      handshakeTimeout: timeoutMs,
    });
    const pending = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
    let closing = false;
    socket.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as { ack?: string; error?: string; clientId: string; roomId: string; seq: number };
      const waiting = pending.get(frame.ack ?? frame.clientId);
      if (frame.ack !== undefined) waiting?.resolve();
      else if (frame.error !== undefined) waiting?.reject(new Error(frame.error));
      else return deliver({ roomId: frame.roomId, clientId: frame.clientId, seq: frame.seq, at: performance.now() });
      pending.delete(frame.ack ?? frame.clientId);
    });
    socket.on('close', () => {
      if (!closing) note('socket closed by server');
      for (const { reject } of pending.values()) reject(new Error('socket closed'));
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return {
      send: (roomId, clientId, body) =>
        new Promise((resolve, reject) => {
          pending.set(clientId, { resolve, reject });
          socket.send(JSON.stringify({ roomId, clientId, body, sentAt: Date.now() }));
        }),
      close() {
        closing = true;
        socket.terminate();
      },
    };
  };
}

/** The real typed client, one per user, spread round-robin over the instances' ports. */
export function trpcChat(ports: number[], userIds: string[], tokens: string[], timeoutMs: number): Connect {
  return async (index, { deliver, note }) => {
    const me = userIds[index]!;
    const live = await openLiveClient(
      `ws://127.0.0.1:${ports[index % ports.length]}/trpc`,
      tokens[index]!,
      {
        note,
        onEvent: (event) => {
          if (event.type === 'resync') note('resync');
          else if (event.type === 'message.created' && event.message.senderId !== me) {
            deliver({ roomId: event.roomId, clientId: event.message.clientId, seq: event.message.seq, at: performance.now() });
          }
        },
      },
      timeoutMs,
    );
    return {
      send: async (roomId, clientId, body) => {
        await live.trpc.messages.send.mutate({ roomId, body, clientId });
      },
      close: live.close,
    };
  };
}

/** messages.send over HTTP as one user: sends that do not depend on that user's socket. */
export function httpSend(port: number, accessToken: string): ChatClient['send'] {
  const trpc = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `http://127.0.0.1:${port}/trpc`, headers: { authorization: `Bearer ${accessToken}` } })],
  });
  return async (roomId, clientId, body) => {
    await trpc.messages.send.mutate({ roomId, body, clientId });
  };
}

export interface SendBooks {
  ledger: FanoutLedger;
  plan: RoomPlan;
  /** Room ids by the plan's room index. */
  roomIds: string[];
  note(what: string): void;
}

/** A send from `user` to one of their rooms at random, booked: once acknowledged, every other member is owed it. */
export function sendToRandomRoom(books: SendBooks, user: number, send: ChatClient['send']): void {
  const mine = books.plan.roomsOf[user]!;
  sendToRoom(books, user, mine[Math.floor(Math.random() * mine.length)]!, send);
}

/** Sends from `user` to the plan's room `room`, booked in the ledger: owed to every other member once acknowledged. */
export function sendToRoom({ ledger, plan, roomIds, note }: SendBooks, user: number, room: number, send: ChatClient['send']): void {
  const clientId = randomUUID();
  const to = plan.rooms[room]!.members.filter((m) => m !== user).map(String);
  ledger.send(clientId, to.length, performance.now(), to);
  send(roomIds[room]!, clientId, `message from user ${user}`).then(
    () => ledger.ack(clientId),
    (error: unknown) => {
      ledger.fail();
      note(`send failed: ${appCodeOf(error)}`);
    },
  );
}
