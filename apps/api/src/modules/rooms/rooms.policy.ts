import type { Db } from '../../ports/database.ts';
import { AppError } from '../../app-error.ts';
import { findMembership, type MemberRow } from './rooms.repository.ts';

/**
 * Only current members may read or write a room. An unknown room gets the same answer as someone else's,
 * so room ids cannot be probed.
 */
export async function requireMember(db: Db, roomId: string, userId: string): Promise<MemberRow> {
  const membership = await findMembership(db, roomId, userId);
  if (!membership || membership.left_at !== null) throw notAMember();
  return membership;
}

/** The same rule over the room's current members, when they were fetched anyway. */
export function requireAmong(members: readonly MemberRow[], userId: string): MemberRow {
  const membership = members.find((m) => m.user_id === userId);
  if (!membership) throw notAMember();
  return membership;
}

export const notAMember = () => new AppError('FORBIDDEN', 'You are not a member of this room.');
