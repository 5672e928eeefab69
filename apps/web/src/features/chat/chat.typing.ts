import { Store } from '../../lib/store.ts';

/**
 * Who is typing where. Typing events are ephemeral: each one shows "… is typing" for a few seconds, and the
 * sender keeps sending them (at most every few seconds) while they type.
 */
export const TYPING_SHOWN_MS = 5_000;
/** How often my own typing is announced, at most. */
export const TYPING_SEND_EVERY_MS = 3_000;

/** Who is typing, by room; only rooms where someone is. */
export type TypingRooms = ReadonlyMap<string, readonly string[]>;

const NO_ONE: TypingRooms = new Map();

/** One per signed-in person (see chat.session.ts). Runs its own timer, so a "typing" goes away when it runs out. */
export class Typing {
  readonly rooms = new Store<TypingRooms>(NO_ONE);
  /** roomId → userId → until when. */
  private readonly until = new Map<string, Map<string, number>>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  note(roomId: string, userId: string): void {
    let room = this.until.get(roomId);
    if (!room) this.until.set(roomId, (room = new Map()));
    room.set(userId, this.now() + TYPING_SHOWN_MS);
    this.publish();
  }

  /** Their message arrived: they are done typing it. */
  stop(roomId: string, userId: string): void {
    if (this.until.get(roomId)?.delete(userId)) this.publish();
  }

  /** The stream ended, or the person signed out. */
  clear(): void {
    this.until.clear();
    this.publish();
  }

  /** Drops who ran out, tells the readers, and wakes up when the next one runs out. */
  private publish(): void {
    clearTimeout(this.timer);
    const now = this.now();
    const rooms = new Map<string, string[]>();
    let next: number | null = null;
    for (const [roomId, room] of this.until) {
      for (const [userId, until] of room) {
        if (until <= now) {
          room.delete(userId);
          continue;
        }
        rooms.set(roomId, [...(rooms.get(roomId) ?? []), userId]);
        next = next === null ? until : Math.min(next, until);
      }
      if (room.size === 0) this.until.delete(roomId);
    }
    this.rooms.set(rooms.size ? rooms : NO_ONE);
    // A little after, so the clock has surely passed it.
    if (next !== null) this.timer = setTimeout(() => this.publish(), next - now + 10);
  }
}
