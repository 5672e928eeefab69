import type { QueryClient } from '@tanstack/react-query';
import type { Message } from '@youngchat/shared';
import { roomKey, roomsKey } from './chat.cache.ts';
import { preview } from './chat.format.ts';
import { roomPath } from '../../lib/router.ts';
import { readPrefs } from '../settings/settings.prefs.ts';
import { browserStorage } from './chat.drafts.ts';

export function notificationsSupported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

const shown = new Set<string>();

/**
 * A browser notification for messages from other people while this tab is hidden. Permission is only ever asked
 * from the settings' switch (never on page load); without it, or with the switch off, this does nothing.
 */
export function notifyArrived(
  queryClient: QueryClient,
  messages: readonly Message[],
  /** The title when the sender is not known yet, and what a photo without words says. */
  words: { title: string; photo: string },
  open: (path: string) => void,
): void {
  if (!notificationsSupported() || Notification.permission !== 'granted' || document.visibilityState !== 'hidden') return;
  if (!readPrefs(browserStorage()).notifications) return;
  for (const message of messages) {
    if (shown.has(message.id) || message.deletedAt) continue;
    shown.add(message.id);
    const room = queryClient.getQueryData(roomsKey())?.find((r) => r.id === message.roomId) ?? queryClient.getQueryData(roomKey(message.roomId));
    const sender = room?.members.find((m) => m.id === message.senderId)?.nickname;
    try {
      const body = message.attachment && !message.body.trim() ? words.photo : message.body;
      const notification = new Notification(sender ?? words.title, { body: preview(body), tag: message.roomId });
      notification.onclick = () => {
        window.focus();
        open(roomPath(message.roomId));
        notification.close();
      };
    } catch {
      // Some browsers (Android Chrome) only allow notifications from a service worker; the badge still shows.
    }
  }
}
