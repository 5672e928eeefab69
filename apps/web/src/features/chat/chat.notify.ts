import type { Message } from '@youngchat/shared';
import type { ChatCache } from './chat.cache.ts';
import { preview } from './chat.format.ts';
import { roomPath } from '../../lib/router.ts';
import { readPrefs } from '../settings/settings.prefs.ts';
import { browserStorage } from './chat.drafts.ts';

export function notificationsSupported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

/**
 * A browser notification for messages from other people while this tab is hidden. Permission is only ever asked
 * from the settings' switch (never on page load); without it, or with the switch off, this does nothing.
 */
export function notifyArrived(
  cache: Pick<ChatCache, 'room'>,
  /** Ids already notified about (a message may arrive twice: live, and again in a catch-up). */
  shown: Set<string>,
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
    const room = cache.room(message.roomId);
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
