import { useQueries } from '@tanstack/react-query';
import type { Room, User } from '@youngchat/shared';
import { useTRPC } from '../../lib/trpc.ts';
import { formerSenders } from './chat.format.ts';

/** Someone who left rarely comes back, and a deleted account stays deleted: their profile is asked now and then. */
const FORMER_SENDER_STALE_MS = 10 * 60_000;

/**
 * The profiles of senders no longer in the room: they left, blocked me (which takes them out of our 1:1), or
 * deleted their account. The room no longer names them, but their old messages keep their name (or "Deleted
 * user"); one look-up per former sender.
 */
export function useFormerSenders(room: Pick<Room, 'members'>, senderIds: Iterable<string>): ReadonlyMap<string, User> {
  const trpc = useTRPC();
  const answers = useQueries({
    queries: formerSenders(room, senderIds).map((userId) => ({
      ...trpc.profile.get.queryOptions({ userId }),
      staleTime: FORMER_SENDER_STALE_MS,
    })),
  });
  return new Map(answers.flatMap((answer) => (answer.data ? [[answer.data.id, answer.data] as const] : [])));
}
