import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Typing, TYPING_SHOWN_MS } from './chat.typing.ts';

describe('Typing', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000 }));
  afterEach(() => vi.useRealTimers());

  it('shows someone for a few seconds after their last typing event, and not after their message', () => {
    const typing = new Typing();
    let changes = 0;
    typing.rooms.subscribe(() => changes++);
    typing.note('r', 'bo');
    vi.advanceTimersByTime(1_000);
    typing.note('r', 'cy');
    typing.note('s', 'di');
    expect(typing.rooms.get().get('r')).toEqual(['bo', 'cy']);

    // Bo's runs out by itself: the readers hear it without any new event.
    vi.advanceTimersByTime(TYPING_SHOWN_MS);
    expect(typing.rooms.get().get('r')).toEqual(['cy']);
    const before = changes;
    typing.stop('r', 'cy');
    expect(typing.rooms.get().has('r')).toBe(false);
    expect(changes).toBe(before + 1);
    // Nobody to stop: nobody is told.
    typing.stop('r', 'cy');
    expect(changes).toBe(before + 1);

    typing.clear();
    expect(typing.rooms.get().size).toBe(0);
    // Nothing left to wake up for.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps nothing between instances', () => {
    new Typing().note('r', 'bo');
    expect(new Typing().rooms.get().size).toBe(0);
  });
});
