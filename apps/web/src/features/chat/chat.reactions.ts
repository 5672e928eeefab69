import type { Reaction, ReactionCount } from '@youngchat/shared';

/** Each reaction's word (locale key chat.reactionNames.*): an emoji alone is read out differently everywhere. */
export const REACTION_NAMES = {
  '❤️': 'heart',
  '👍': 'like',
  '😂': 'funny',
  '😮': 'wow',
  '😢': 'sad',
  '🙏': 'thanks',
} as const satisfies Record<Reaction, string>;

/** Names a chip's label lists before "and N more": a big group's chip must stay a sentence, not a roll call. */
export const NAMES_SHOWN = 8;

export interface ReactionChip {
  emoji: Reaction;
  count: number;
  /** Whether I gave it: the chip is then pressed, and pressing it takes mine back. */
  mine: boolean;
  /** Who gave it, me first, at most NAMES_SHOWN. */
  names: string[];
  /** Those given but not named. */
  more: number;
}

/** The chips under a bubble, in the server's (REACTIONS') order. */
export function reactionChips(reactions: readonly ReactionCount[], me: string, nameOf: (userId: string) => string): ReactionChip[] {
  return reactions
    .filter((r) => r.count > 0)
    .map((r) => {
      const mine = r.userIds.includes(me);
      const ids = mine ? [me, ...r.userIds.filter((id) => id !== me)] : r.userIds;
      const names = ids.slice(0, NAMES_SHOWN).map(nameOf);
      return { emoji: r.emoji, count: r.count, mine, names, more: Math.max(0, r.count - names.length) };
    });
}

/** Whether I gave this reaction to a message: the picker marks it so choosing it again reads as taking it back. */
export function reactedWith(reactions: readonly ReactionCount[], me: string, emoji: Reaction): boolean {
  return reactions.some((r) => r.emoji === emoji && r.userIds.includes(me));
}
