import type { Message } from '@youngchat/shared';
import DataLoader from 'dataloader';
import type { Db } from '../../ports/database.ts';
import type { RateLimiter } from '../../ports/rate-limiter.ts';
import type { Stream, StreamEntry } from '../../realtime/stream.ts';
import { messageCreatedEntry } from '../events/events.api.ts';
import { quotedColumns, toMessage } from './messages.mapper.ts';
import { createBatchSlots } from './messages.slots.ts';
import { insertSends, type NewMessage, type StoredSend } from './messages.repository.ts';

/**
 * What became of one send: stored now; refused by the sender's rate limit; or not stored (a retry of a clientId
 * already used, or a sender not in the room).
 */
export type SendOutcome = { stored: true; message: Message } | { stored: false; retryAfterMs?: number };

export interface SendBatcherOptions {
  db: Db;
  stream: Stream;
  /** Messages per sender, counted where every instance counts. */
  limiter: RateLimiter;
  /** Batches written at once; more wait for one of them to finish. */
  inFlight: number;
  /** How long a batch gathers sends after its first before it may be written. */
  gatherMs: number;
  maxBatch: number;
}

const UNIQUE_VIOLATION = '23505';
const NOT_STORED: SendOutcome = { stored: false };

/**
 * Group commit for sends: what arrives while a batch is being written goes into the next one, so under load a
 * send shares its round trip, statement and commit with its neighbours, and when idle it waits only `gatherMs`. Each
 * caller gets its own outcome. (dataloader does the gathering and the per-caller answers; the slots decide when a
 * batch may go: when fewer than `inFlight` are being written.)
 */
export function createSendBatcher({ db, stream, limiter, inFlight, gatherMs, maxBatch }: SendBatcherOptions) {
  const slots = createBatchSlots(inFlight);

  const storeAll = async (sends: NewMessage[]) => {
    const rows = new Map((await insertSends(db, sends)).map((row) => [row.id, row]));
    return sends.map((send) => rows.get(send.id));
  };
  const isRace = (error: unknown) => (error as { code?: string }).code === UNIQUE_VIOLATION;

  /**
   * One statement for the batch. A clientId raced in by a concurrent batch fails it whole; that batch has committed
   * by then, so the second try leaves the retry out. Should that fail too, each send goes alone.
   */
  async function store(sends: NewMessage[]): Promise<(StoredSend | undefined)[]> {
    for (let tries = 0; tries < 2; tries++) {
      try {
        return await storeAll(sends);
      } catch (error) {
        if (!isRace(error)) throw error;
      }
    }
    if (sends.length === 1) return [undefined];
    const alone: (StoredSend | undefined)[] = [];
    for (const send of sends) alone.push(...(await store([send])));
    return alone;
  }

  const write = (sends: readonly NewMessage[]): Promise<SendOutcome[]> =>
    slots.hold(async () => {
      // Asked together, the limits of a whole batch cost one round trip to Redis (pipelined).
      const verdicts = await Promise.all(sends.map((send) => limiter.consume(send.senderId)));
      const outcomes = new Map<NewMessage, SendOutcome>();
      const allowed = sends.filter((send, i) => {
        const verdict = verdicts[i]!;
        if (!verdict.allowed) outcomes.set(send, { stored: false, retryAfterMs: verdict.retryAfterMs });
        return verdict.allowed;
      });
      // The same clientId twice in one batch: the first is the send, the others its retries.
      const firsts = new Map<string, NewMessage>();
      for (const send of allowed) {
        const key = `${send.senderId}:${send.clientId}`;
        if (!firsts.has(key)) firsts.set(key, send);
      }
      const unique = [...firsts.values()];
      const stored = unique.length > 0 ? await store(unique) : [];
      const entries: StreamEntry[] = [];
      unique.forEach((send, i) => {
        const row = stored[i];
        if (!row) return;
        const message = toMessage(
          {
            id: send.id,
            room_id: send.roomId,
            seq: row.seq,
            sender_id: send.senderId,
            body: send.body,
            client_id: send.clientId,
            created_at: send.createdAt,
            edited_at: null,
            deleted_at: null,
            photo: send.photo,
            reactions: {},
            ...quotedColumns(send.replyTo),
          },
          row.unread,
        );
        outcomes.set(send, { stored: true, message });
        entries.push(messageCreatedEntry(row.pos, message));
      });
      stream.publish(entries);
      return sends.map((send) => outcomes.get(send) ?? NOT_STORED);
    });

  const loader = new DataLoader<NewMessage, SendOutcome, NewMessage>(write, {
    cache: false,
    maxBatchSize: maxBatch,
    // Gather for `gatherMs` so that sends arriving close together share a batch (each batch costs a statement and a
    // commit, whatever its size), then wait for a free writer.
    batchScheduleFn: (dispatch) => {
      setTimeout(() => slots.whenFree(dispatch), gatherMs);
    },
  });

  return { send: (message: NewMessage) => loader.load(message) };
}

export type SendBatcher = ReturnType<typeof createSendBatcher>;
