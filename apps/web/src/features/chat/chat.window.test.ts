import { describe, expect, it } from 'vitest';
import { rowsIn, sliceAround, sliceFor, slideNewer, slideOlder } from './chat.window.ts';

const keysOf = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);

describe('sliceFor', () => {
  it('draws everything when there is less than a window', () => {
    expect(sliceFor(keysOf(30), null, 200)).toEqual({ start: 0, end: 30 });
    expect(sliceFor([], null, 200)).toEqual({ start: 0, end: 0 });
  });

  it('follows the newest by default', () => {
    expect(sliceFor(keysOf(10_000), null, 200)).toEqual({ start: 9_800, end: 10_000 });
  });

  it('ends at the named message, and stays on it when older pages or newer messages arrive', () => {
    const keys = keysOf(1_000);
    expect(sliceFor(keys, 'k499', 200)).toEqual({ start: 300, end: 500 });
    const morePages = [...keysOf(1_500).map((k) => `old${k}`), ...keys, 'new1'];
    const slice = sliceFor(morePages, 'k499', 200);
    expect(morePages.slice(slice.start, slice.end)).toEqual(keys.slice(300, 500));
  });

  it('keeps a full window near the oldest message, and falls back to the newest for an unknown end', () => {
    expect(sliceFor(keysOf(1_000), 'k9', 200)).toEqual({ start: 0, end: 200 });
    expect(sliceFor(keysOf(1_000), 'gone', 200)).toEqual({ start: 800, end: 1_000 });
  });
});

describe('sliding', () => {
  const keys = keysOf(1_000);

  it('slides toward older messages by a step, down to the oldest, then no further', () => {
    const newest = sliceFor(keys, null, 200);
    const end = slideOlder(keys, newest, 80, undefined, 200);
    expect(end).toBe('k919');
    expect(sliceFor(keys, end!, 200)).toEqual({ start: 720, end: 920 });
    expect(slideOlder(keys, { start: 50, end: 250 }, 80, undefined, 200)).toBe('k199');
    expect(slideOlder(keys, { start: 0, end: 200 }, 80, undefined, 200)).toBeUndefined();
  });

  it('slides back toward newer messages and follows the newest once it gets there', () => {
    expect(slideNewer(keys, { start: 300, end: 500 }, 80, undefined, 200)).toBe('k579');
    expect(slideNewer(keys, { start: 750, end: 950 }, 80, undefined, 200)).toBeNull();
    expect(slideNewer(keys, { start: 800, end: 1_000 }, 80, undefined, 200)).toBeUndefined();
  });

  it('never slides a focused row out', () => {
    // Focus on the newest drawn row: sliding older keeps it.
    expect(slideOlder(keys, { start: 300, end: 500 }, 80, 499, 200)).toBeUndefined();
    const end = slideOlder(keys, { start: 300, end: 500 }, 80, 450, 200);
    expect(sliceFor(keys, end!, 200)).toEqual({ start: 251, end: 451 });
    expect(slideNewer(keys, { start: 300, end: 500 }, 80, 300, 200)).toBeUndefined();
    expect(sliceFor(keys, slideNewer(keys, { start: 300, end: 500 }, 80, 350, 200)!, 200)).toEqual({ start: 350, end: 550 });
  });
});

describe('sliceAround', () => {
  const keys = keysOf(1_000);

  it('leaves the window alone when the target is drawn', () => {
    expect(sliceAround(keys, 900, { start: 800, end: 1_000 }, 200)).toBeUndefined();
    expect(sliceAround(keys, -1, { start: 800, end: 1_000 }, 200)).toBeUndefined();
  });

  it('puts an older target in the middle of the window', () => {
    const end = sliceAround(keys, 400, { start: 800, end: 1_000 }, 200);
    const slice = sliceFor(keys, end!, 200);
    expect(slice).toEqual({ start: 300, end: 500 });
    expect(400 - slice.start).toBe(slice.end - 400);
  });

  it('follows the newest when the target is near it, and starts at the oldest when near that', () => {
    expect(sliceAround(keys, 950, { start: 0, end: 200 }, 200)).toBeNull();
    expect(sliceFor(keys, sliceAround(keys, 5, { start: 800, end: 1_000 }, 200)!, 200)).toEqual({ start: 0, end: 200 });
  });
});

describe('rowsIn', () => {
  it("keeps the lines right above each drawn message, and the first one's day line", () => {
    const rows = [
      { kind: 'day', key: 'd1' },
      { kind: 'message', key: 'a' },
      { kind: 'message', key: 'b' },
      { kind: 'day', key: 'd2' },
      { kind: 'unread', key: 'u' },
      { kind: 'message', key: 'c' },
      { kind: 'message', key: 'd' },
    ];
    expect(rowsIn(rows, { start: 1, end: 3 }).map((r) => r.key)).toEqual(['d1', 'b', 'd2', 'u', 'c']);
    expect(rowsIn(rows, { start: 2, end: 4 }).map((r) => r.key)).toEqual(['d2', 'u', 'c', 'd']);
    expect(rowsIn(rows, { start: 0, end: 4 }).map((r) => r.key)).toEqual(rows.map((r) => r.key));
    expect(rowsIn(rows, { start: 3, end: 4 }).map((r) => r.key)).toEqual(['d2', 'd']);
  });
});
