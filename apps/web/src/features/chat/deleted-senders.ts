import { useQueries } from '@tanstack/react-query';
import type { Room } from '@youngchat/shared';
import { useTRPC } from '../../lib/trpc.ts';
import { formerSenders } from './chat.format.ts';

/** A deleted account stays deleted, and someone who left rarely comes back: their profile is asked now and then. */
const FORMER_SENDER_STALE_MS = 10 * 60_000;

/**
 * Which of these senders deleted their account. A deletion takes the person out of every room, so the room no
 * longer names them; only their profile still says so (one look-up per former sender).
 */
export function useDeletedSenders(room: Pick<Room, 'members'>, senderIds: Iterable<string>): ReadonlySet<string> {
  const trpc = useTRPC();
  const answers = useQueries({
    queries: formerSenders(room, senderIds).map((userId) => ({
      ...trpc.profile.get.queryOptions({ userId }),
      staleTime: FORMER_SENDER_STALE_MS,
    })),
  });
  return new Set(answers.flatMap((answer) => (answer.data?.deleted ? [answer.data.id] : [])));
}
