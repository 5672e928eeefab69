import { useEffect, useState } from 'react';

/**
 * Who is typing where. Typing events are ephemeral: each one shows "… is typing" for a few seconds, and the
 * sender keeps sending them (at most every few seconds) while they type.
 */
export const TYPING_SHOWN_MS = 5_000;
/** How often my own typing is announced, at most. */
export const TYPING_SEND_EVERY_MS = 3_000;

const typing = new Map<string, Map<string, number>>();
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of listeners) listener();
}

export function noteTyping(roomId: string, userId: string, now = Date.now()): void {
  let room = typing.get(roomId);
  if (!room) typing.set(roomId, (room = new Map()));
  room.set(userId, now + TYPING_SHOWN_MS);
  emit();
}

/** Their message arrived: they are done typing it. */
export function stopTyping(roomId: string, userId: string): void {
  if (typing.get(roomId)?.delete(userId)) emit();
}

/** Who is typing in a room now, and when the next of them expires. */
export function typingIn(roomId: string, now = Date.now()): { userIds: string[]; nextExpiry: number | null } {
  const room = typing.get(roomId);
  const userIds: string[] = [];
  let nextExpiry: number | null = null;
  for (const [userId, until] of room ?? []) {
    if (until <= now) {
      room!.delete(userId);
      continue;
    }
    userIds.push(userId);
    nextExpiry = nextExpiry === null ? until : Math.min(nextExpiry, until);
  }
  return { userIds, nextExpiry };
}

export function clearTyping(): void {
  typing.clear();
  emit();
}

/** Re-renders when someone starts or stops, and when a "typing" runs out. */
export function useTypingIn(roomId: string): string[] {
  const [userIds, setUserIds] = useState<string[]>([]);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      clearTimeout(timer);
      const now = Date.now();
      const state = typingIn(roomId, now);
      setUserIds((old) => (old.join() === state.userIds.join() ? old : state.userIds));
      if (state.nextExpiry !== null) timer = setTimeout(refresh, state.nextExpiry - now + 10);
    };
    listeners.add(refresh);
    refresh();
    return () => {
      listeners.delete(refresh);
      clearTimeout(timer);
    };
  }, [roomId]);
  return userIds;
}
