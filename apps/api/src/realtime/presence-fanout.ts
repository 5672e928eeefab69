import type { EphemeralEvent } from '@youngchat/shared';
import type { Logger } from 'pino';

export interface PresenceFanoutOptions {
  /** Who shares a room with each of these users (one query for all of them). */
  contactsOf(userIds: string[]): Promise<Map<string, string[]>>;
  /** Tells this instance's subscribers among `userIds`. */
  deliver(userIds: string[], event: EphemeralEvent): void;
  isOnline(userId: string): boolean;
  logger: Logger;
  /** Most users whose contacts one query asks for. */
  batchSize: number;
  /** Least time between two queries. */
  intervalMs: number;
}

/**
 * Tells each presence change to the changed person's contacts on this instance. Every instance hears every change,
 * and an instance that starts or dies turns all its users on or off at once: asked one by one, 10,000 users would
 * be 10,000 queries on every instance. Changes are gathered instead: one query at a time, for at most `batchSize`
 * users, at most one per `intervalMs` — so N changes cost about N ÷ batchSize queries, spread out. The first change
 * after a quiet spell goes out at once. The state is read at delivery, so of two quick changes the last one counts.
 */
export function createPresenceFanout(options: PresenceFanoutOptions) {
  const pending = new Set<string>();
  let running = false;

  async function run(): Promise<void> {
    running = true;
    try {
      while (pending.size > 0) {
        const batch: string[] = [];
        for (const userId of pending) {
          if (batch.length === options.batchSize) break;
          batch.push(userId);
          pending.delete(userId);
        }
        try {
          const contacts = await options.contactsOf(batch);
          for (const userId of batch) {
            options.deliver(contacts.get(userId) ?? [], { type: 'presence', userId, online: options.isOnline(userId) });
          }
        } catch (error) {
          // Presence is ephemeral: a reader hears the state again when it (re)connects.
          options.logger.warn({ err: error, users: batch.length }, 'presence changes not delivered');
        }
        await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
      }
    } finally {
      running = false;
    }
  }

  return {
    changed(userId: string): void {
      pending.add(userId);
      if (!running) void run();
    },
  };
}
