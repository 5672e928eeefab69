import type { StorageLike } from '../chat/chat.drafts.ts';

/**
 * How this browser shows the app: text size, contrast, and whether new messages may notify. Kept in localStorage
 * (per browser, not per account: the eyes at this screen are the same whoever signs in) and applied to <html>
 * before the first render, so a large-text reader never sees the small page first.
 */
export const TEXT_SIZES = ['normal', 'large', 'larger', 'largest'] as const;
export type TextSize = (typeof TEXT_SIZES)[number];

/** Multiples of the base text (18 px with the browser's default); the largest is half as big again. */
export const TEXT_SCALES: Record<TextSize, number> = { normal: 1, large: 1.15, larger: 1.3, largest: 1.5 };

export interface Prefs {
  textSize: TextSize;
  highContrast: boolean;
  /** The person's own switch; the browser's permission is asked separately and only from a button. */
  notifications: boolean;
}

export const DEFAULT_PREFS: Prefs = { textSize: 'normal', highContrast: false, notifications: true };

const KEY = 'youngchat.settings';

/** What was saved, each setting checked on its own: one bad value falls back alone, never the others. */
export function readPrefs(storage: StorageLike | null): Prefs {
  let saved: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(KEY) ?? '{}');
    if (typeof parsed === 'object' && parsed !== null) saved = parsed as Record<string, unknown>;
  } catch {
    // unreadable: the defaults
  }
  return {
    textSize: (TEXT_SIZES as readonly unknown[]).includes(saved.textSize) ? (saved.textSize as TextSize) : DEFAULT_PREFS.textSize,
    highContrast: typeof saved.highContrast === 'boolean' ? saved.highContrast : DEFAULT_PREFS.highContrast,
    notifications: typeof saved.notifications === 'boolean' ? saved.notifications : DEFAULT_PREFS.notifications,
  };
}

export function writePrefs(storage: StorageLike | null, prefs: Prefs): void {
  try {
    storage?.setItem(KEY, JSON.stringify(prefs));
  } catch {
    // Storage full or disabled: the change still holds for this visit.
  }
}

/** The CSS reads these: `--text-scale` sizes the root font (everything is in rem), `data-contrast` the colours. */
export function applyPrefs(root: HTMLElement, prefs: Prefs): void {
  root.style.setProperty('--text-scale', String(TEXT_SCALES[prefs.textSize]));
  if (prefs.highContrast) root.dataset.contrast = 'high';
  else delete root.dataset.contrast;
}
