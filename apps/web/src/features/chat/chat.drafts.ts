/**
 * What the person was writing, per room, kept in localStorage so a reload, a crash or going offline loses
 * nothing. Keyed by account too: two people sharing a browser never see each other's drafts, and logging out
 * removes them.
 */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

const PREFIX = 'youngchat.draft.';

export function draftKey(userId: string, roomId: string): string {
  return `${PREFIX}${userId}.${roomId}`;
}

/** localStorage, or null where it is unavailable (privacy modes throw on access). */
export function browserStorage(): StorageLike | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

export function loadDraft(storage: StorageLike | null, userId: string, roomId: string): string {
  try {
    return storage?.getItem(draftKey(userId, roomId)) ?? '';
  } catch {
    return '';
  }
}

/** Blank text removes the draft rather than keeping whitespace forever. */
export function saveDraft(storage: StorageLike | null, userId: string, roomId: string, text: string): void {
  try {
    if (text.trim()) storage?.setItem(draftKey(userId, roomId), text);
    else storage?.removeItem(draftKey(userId, roomId));
  } catch {
    // Storage full or disabled: the text is still in the box, only not kept across a reload.
  }
}

/** Every draft of one account (on logout). */
export function clearDrafts(storage: StorageLike | null, userId: string): void {
  if (!storage) return;
  try {
    const mine = `${PREFIX}${userId}.`;
    const keys: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key?.startsWith(mine)) keys.push(key);
    }
    for (const key of keys) storage.removeItem(key);
  } catch {
    // nothing more we can do
  }
}
