// Live clients whose deliveries are booked: one per simulated user, resuming by themselves after a reconnect and
// refetching history after a resync, so the books can say whether anything acknowledged never arrived.
import type { Message } from '@youngchat/shared';
import type { SeededRooms } from '../api/database.ts';
import type { FanoutLedger } from '../metrics.ts';
import type { RoomPlan } from '../room-plan.ts';
import { CONNECT_TIMEOUT_MS, connectAll } from './connect-all.ts';
import { openLiveClient, type LiveClient } from './live-client.ts';

const HISTORY_PAGE = 100;

/** Clients whose deliveries are booked in `ledger` (a scenario may swap it between phases). */
export interface Crowd {
  ledger: FanoutLedger;
  notes: Map<string, number>;
  /** When each client's socket reopened after `dropAt` (performance.now()). */
  openAt: (number | undefined)[];
  /** When each client's stream restarted after `dropAt`. */
  backAt: (number | undefined)[];
  dropAt: number | undefined;
}

/**
 * What the SPA does when told to resync, or when its stream restarts with no position to resume from (a client
 * that had not received a durable event yet starts "from now"): refetch. Here, the messages of each of the
 * user's rooms after the last seq it had, booked as recovered, so the books can tell whether anything is missing.
 */
async function refetch(live: LiveClient, crowd: Crowd, user: number, me: string, roomIds: string[], lastSeq: Map<string, number>): Promise<void> {
  for (const roomId of roomIds) {
    const known = lastSeq.get(roomId) ?? 0;
    const missed: Message[] = [];
    for (let cursor: number | null = null, more = true; more; ) {
      const page = await live.trpc.messages.list.query({ roomId, cursor, limit: HISTORY_PAGE });
      const newer = page.items.filter((m) => m.seq > known);
      missed.push(...newer);
      cursor = page.nextCursor;
      more = cursor !== null && newer.length === page.items.length;
    }
    for (const m of missed) if (m.senderId !== me) crowd.ledger.recover(String(user), m.clientId, performance.now());
  }
}

/** Connects one live client per user of the plan, at `urlOf(user)`, booking what each receives in the crowd's ledger. */
export async function connectCrowd(urlOf: (user: number) => string, plan: RoomPlan, seeded: SeededRooms & { tokens: string[] }, crowd: Crowd) {
  const note = (what: string) => crowd.notes.set(what, (crowd.notes.get(what) ?? 0) + 1);
  return connectAll(plan.roomsOf.length, async (user) => {
    const me = seeded.userIds[user]!;
    const roomIds = plan.roomsOf[user]!.map((r) => seeded.roomIds[r]!);
    const lastSeq = new Map<string, number>();
    // Events arrive only after this returns (from the socket), so the handler below can wait on it.
    const opened: Promise<LiveClient> = openLiveClient(
      urlOf(user),
      seeded.tokens[user]!,
      {
        note,
        onOpen: () => {
          if (crowd.dropAt !== undefined) crowd.openAt[user] ??= performance.now();
        },
        onStarted: () => {
          if (crowd.dropAt === undefined || crowd.backAt[user] !== undefined) return;
          crowd.backAt[user] = performance.now();
          void opened.then((live) => {
            if (live.position !== null) return;
            note('restarted with no position to resume from: refetched');
            return refetch(live, crowd, user, me, roomIds, lastSeq);
          }).catch(() => note('refetch failed'));
        },
        onEvent: (event) => {
          if (event.type === 'resync') {
            note('resync: refetched');
            void opened.then((live) => refetch(live, crowd, user, me, roomIds, lastSeq)).catch(() => note('refetch failed'));
          } else if (event.type === 'message.created') {
            lastSeq.set(event.roomId, Math.max(lastSeq.get(event.roomId) ?? 0, event.message.seq));
            if (event.message.senderId !== me) crowd.ledger.deliver(String(user), event.roomId, event.message.clientId, event.message.seq, performance.now());
          }
        },
      },
      CONNECT_TIMEOUT_MS,
    );
    return opened;
  });
}
