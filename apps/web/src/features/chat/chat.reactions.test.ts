import { describe, expect, it } from 'vitest';
import { ann, bo, cy } from './chat.fixtures.ts';
import { NAMES_SHOWN, reactedWith, reactionChips } from './chat.reactions.ts';

const names: Record<string, string> = { [ann.id]: 'you', [bo.id]: 'Bo', [cy.id]: 'Cy' };
const nameOf = (id: string) => names[id] ?? id;

describe('reaction chips under a bubble', () => {
  it('one chip per reaction in the server’s order, pressed when I gave it, me named first', () => {
    const chips = reactionChips(
      [
        { emoji: '❤️', count: 2, userIds: [bo.id, ann.id] },
        { emoji: '😂', count: 1, userIds: [cy.id] },
      ],
      ann.id,
      nameOf,
    );
    expect(chips).toEqual([
      { emoji: '❤️', count: 2, mine: true, names: ['you', 'Bo'], more: 0 },
      { emoji: '😂', count: 1, mine: false, names: ['Cy'], more: 0 },
    ]);
  });

  it('names only a few in a big group and counts the rest', () => {
    const userIds = Array.from({ length: 30 }, (_, i) => `u-${i}`);
    const [chip] = reactionChips([{ emoji: '👍', count: 30, userIds }], ann.id, nameOf);
    expect(chip!.names).toHaveLength(NAMES_SHOWN);
    expect(chip!.more).toBe(30 - NAMES_SHOWN);
    expect(chip!.mine).toBe(false);
  });

  it('knows which reactions I gave (the picker marks them)', () => {
    const given = [{ emoji: '🙏' as const, count: 1, userIds: [ann.id] }];
    expect(reactedWith(given, ann.id, '🙏')).toBe(true);
    expect(reactedWith(given, bo.id, '🙏')).toBe(false);
    expect(reactedWith(given, ann.id, '❤️')).toBe(false);
  });
});
