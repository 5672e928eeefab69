import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { toProblem } from '../../lib/problems.ts';
import { navigate } from '../../lib/router.ts';
import { giveWay, socketSnapshot, subscribeSocket, trpcClient } from '../../lib/trpc.ts';
import { renewRefusedSocket } from '../auth/auth.session.ts';
import { applyEvents, eventContext, forgetRecentEvents, refetchShown, replayAfterFetches } from './chat.cache.ts';
import { LiveFeed, type LiveStatus } from './chat.live.ts';
import { notifyArrived } from './chat.notify.ts';
import { outboxFor } from './chat.outbox.ts';
import { applyPresence, resetPresence } from './chat.presence.ts';
import { resendWaiting } from './chat.send.ts';
import { clearTyping, noteTyping, stopTyping } from './chat.typing.ts';

let status: LiveStatus = 'connecting';
const statusListeners = new Set<() => void>();

function publish(next: LiveStatus): void {
  if (next === status) return;
  status = next;
  for (const listener of statusListeners) listener();
}

function subscribeStatus(listener: () => void): () => void {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

/** The live connection in the person's words: connecting, catching up, up to date, offline or open elsewhere. */
export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(subscribeStatus, () => status);
}

/**
 * The one live event stream of the signed-in person, feeding the query cache. Mounted once in the app shell,
 * keyed by the user id, so signing in as someone else starts a new stream from nothing.
 */
export function ChatLive({ userId }: { userId: string }) {
  const queryClient = useQueryClient();
  const { t } = useTranslation();
  const words = useRef({ title: t('chat.notificationTitle'), photo: t('chat.photo') });
  words.current = { title: t('chat.notificationTitle'), photo: t('chat.photo') };

  useEffect(() => {
    const live = new LiveFeed({
      socket: { get: socketSnapshot, subscribe: subscribeSocket },
      online: () => navigator.onLine,
      subscribe: (input, handlers) =>
        trpcClient.events.live.subscribe(input, {
          onStarted: handlers.onStarted,
          onData: handlers.onData,
          onError: (error) => {
            if (toProblem(error).code === 'UNAUTHORIZED') void renewRefusedSocket();
            handlers.onError(error);
          },
          onComplete: handlers.onComplete,
        }),
      poll: (input, signal) => trpcClient.events.poll.query(input, { signal }),
      deliver: (events) => {
        for (const event of events) {
          if (event.type === 'typing' && event.userId !== userId) noteTyping(event.roomId, event.userId);
          if (event.type === 'message.created') stopTyping(event.roomId, event.message.senderId);
        }
        applyPresence(events);
        const effects = applyEvents(queryClient, events, eventContext(userId));
        if (effects.arrived.length) notifyArrived(queryClient, effects.arrived, words.current, navigate);
      },
      refetchAll: () => refetchShown(queryClient),
      started: resetPresence,
      backUp: () => void resendWaiting(queryClient, outboxFor(userId), userId),
      giveWay,
    });
    const stopReplay = replayAfterFetches(queryClient, userId);
    const stopStatus = live.subscribeStatus(() => {
      // Without a stream we cannot vouch for anyone being online; the next stream says again who is.
      if (live.status === 'connecting' || live.status === 'offline' || live.status === 'elsewhere') resetPresence();
      publish(live.status);
    });
    live.start();
    publish(live.status);
    return () => {
      stopStatus();
      stopReplay();
      forgetRecentEvents();
      live.stop();
      publish('connecting');
      clearTyping();
      resetPresence();
    };
  }, [queryClient, userId]);

  return null;
}
