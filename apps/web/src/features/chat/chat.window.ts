/**
 * Which of the loaded messages the conversation draws: at most `size` consecutive ones (a window), so a room with
 * thousands of loaded messages stays light. All loaded messages stay in memory; only the window is in the DOM.
 *
 * The window is named by its newest message's key (`end`), or null to follow the newest message. Indices below are
 * into the loaded messages, oldest first; a window is the half-open range [start, end).
 */

/** How many messages are drawn at most. */
export const WINDOW_SIZE = 200;
/** How far the window slides at a time (well under its size, so what is on screen stays drawn). */
export const WINDOW_STEP = 80;

export interface Slice {
  start: number;
  end: number;
}

/** The slice to draw for `endKey` (null: the newest). An end no longer loaded falls back to the newest. */
export function sliceFor(keys: readonly string[], endKey: string | null, size = WINDOW_SIZE): Slice {
  const n = keys.length;
  const at = endKey === null ? -1 : keys.indexOf(endKey);
  const end = at < 0 ? n : at + 1;
  const start = Math.max(0, end - size);
  // Near the oldest message the window still holds `size` messages, if there are that many.
  return { start, end: Math.min(n, Math.max(end, start + size)) };
}

/** The `end` key naming a slice that ends at index `end` (null when that is the newest). */
function endKeyOf(keys: readonly string[], end: number): string | null {
  return end >= keys.length ? null : (keys[Math.max(end, 1) - 1] ?? null);
}

/**
 * Slide toward older messages by `step`; `keep` (the index of a row holding focus, if any) stays inside.
 * Returns the new end key, or undefined when the window cannot move.
 */
export function slideOlder(keys: readonly string[], slice: Slice, step = WINDOW_STEP, keep?: number, size = WINDOW_SIZE): string | null | undefined {
  if (slice.start <= 0) return undefined;
  let end = Math.max(Math.min(keys.length, size), slice.end - step);
  if (keep !== undefined && keep >= end) end = Math.min(keys.length, keep + 1);
  return end === slice.end ? undefined : endKeyOf(keys, end);
}

/** Slide toward newer messages by `step` (null once it reaches the newest); undefined when it cannot move. */
export function slideNewer(keys: readonly string[], slice: Slice, step = WINDOW_STEP, keep?: number, size = WINDOW_SIZE): string | null | undefined {
  if (slice.end >= keys.length) return undefined;
  let end = Math.min(keys.length, slice.end + step);
  if (keep !== undefined && keep < end - size) end = keep + size;
  return end === slice.end ? undefined : endKeyOf(keys, end);
}

/**
 * Where the window goes so that the message at `index` is drawn: unchanged (undefined) when it already is,
 * otherwise with the target in the middle.
 */
export function sliceAround(keys: readonly string[], index: number, current: Slice, size = WINDOW_SIZE): string | null | undefined {
  if (index < 0 || index >= keys.length) return undefined;
  if (index >= current.start && index < current.end) return undefined;
  const end = Math.min(keys.length, Math.max(index + 1, index + Math.ceil(size / 2)));
  return endKeyOf(keys, end);
}

/**
 * The rows of the messages in `slice`, each with the date and new-messages lines drawn right above it; the first
 * drawn message always has its day's line above it (so what is on top does not change when the window starts at
 * the first message of a day, or does not).
 */
export function rowsIn<Row extends { kind: string }>(rows: readonly Row[], slice: Slice): Row[] {
  const out: Row[] = [];
  let pending: Row[] = [];
  let day: Row | undefined;
  let index = 0;
  for (const row of rows) {
    if (row.kind !== 'message') {
      pending.push(row);
      if (row.kind === 'day') day = row;
      continue;
    }
    if (index >= slice.start && index < slice.end) {
      if (!out.length && day && !pending.includes(day)) out.push(day);
      out.push(...pending, row);
    }
    pending = [];
    index++;
    if (index >= slice.end) break;
  }
  return out;
}
