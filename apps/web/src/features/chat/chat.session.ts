import type { QueryClient } from '@tanstack/react-query';
import { toProblem } from '../../lib/problems.ts';
import { navigate } from '../../lib/router.ts';
import { Store } from '../../lib/store.ts';
import type { Api } from '../../lib/trpc.ts';
import type { AuthSession } from '../auth/auth.session.ts';
import { ChatCache } from './chat.cache.ts';
import { browserStorage, clearDrafts } from './chat.drafts.ts';
import type { OutgoingMessage } from './chat.history.ts';
import { LiveFeed, type LiveStatus } from './chat.live.ts';
import { notifyArrived } from './chat.notify.ts';
import type { BlobCache } from './chat.photos.ts';
import { Outbox, type Delivery } from './chat.outbox.ts';
import { NOBODY, presenceAfter, type OnlineSet } from './chat.presence.ts';
import { Typing } from './chat.typing.ts';
import { photoCache, uploadPhoto, type PhotoToSend } from './photo-transport.ts';

/** What a notification says when the sender is not known yet, and for a photo without words (in the UI's language). */
export interface NotifyWords {
  title: string;
  photo: string;
}

/**
 * Everything live about one signed-in person: the cache patched by their event stream, whether that stream is up
 * to date, who is online and typing, their messages on the way and their pictures. Made by ChatProvider
 * (chat.context.tsx) for each sign-in, so the next person starts with nothing of the last one's.
 */
export class ChatSession {
  readonly cache: ChatCache;
  /** The live connection in the person's words: connecting, catching up, up to date, offline or open elsewhere. */
  readonly status = new Store<LiveStatus>('connecting');
  /** Who is online among the people I share a room with (chat.presence.ts). */
  readonly online = new Store<OnlineSet>(NOBODY);
  readonly typing = new Typing();
  readonly outbox: Outbox;
  readonly photos: BlobCache;
  /** Messages already notified about. */
  private readonly notified = new Set<string>();
  private readonly delivery: Delivery;

  constructor(
    readonly me: string,
    private readonly deps: { queryClient: QueryClient; api: Pick<Api, 'client' | 'trpc' | 'socket' | 'giveWay'>; auth: AuthSession },
  ) {
    this.cache = new ChatCache(deps.queryClient, deps.api.trpc, me);
    this.outbox = new Outbox(me);
    this.photos = photoCache(deps.auth);
    // Through the API; the answer goes into the cache at once, whether or not its live event comes first.
    this.delivery = {
      send: (input) => deps.api.client.messages.send.mutate(input),
      sent: (message) => this.cache.applyMine(message),
    };
  }

  /**
   * The person's one live event stream, feeding the cache, until the returned stop is called. `words` is read
   * when a notification is shown, so it speaks the language of that moment.
   */
  connect(words: () => NotifyWords): () => void {
    const { api, auth } = this.deps;
    const live = new LiveFeed({
      socket: api.socket,
      online: () => navigator.onLine,
      subscribe: (input, handlers) =>
        api.client.events.live.subscribe(input, {
          onStarted: handlers.onStarted,
          onData: handlers.onData,
          onError: (error) => {
            if (toProblem(error).code === 'UNAUTHORIZED') void auth.renewRefusedSocket();
            handlers.onError(error);
          },
          onComplete: handlers.onComplete,
        }),
      poll: (input, signal) => api.client.events.poll.query(input, { signal }),
      deliver: (events) => {
        for (const event of events) {
          if (event.type === 'typing' && event.userId !== this.me) this.typing.note(event.roomId, event.userId);
          if (event.type === 'message.created') this.typing.stop(event.roomId, event.message.senderId);
        }
        this.online.set(presenceAfter(this.online.get(), events));
        void this.cache.apply(events).then((effects) => {
          if (effects.arrived.length) notifyArrived(this.cache, this.notified, effects.arrived, words(), navigate);
        });
      },
      refetchAll: () => this.cache.refetchShown(),
      // A new stream says again who is online; nobody is known to be until it does.
      started: () => this.online.set(NOBODY),
      backUp: () => void this.resendWaiting(),
      giveWay: api.giveWay,
    });
    const stopStatus = live.subscribeStatus(() => {
      // Without a stream we cannot vouch for anyone being online; the next stream says again who is.
      if (live.status === 'connecting' || live.status === 'offline' || live.status === 'elsewhere') this.online.set(NOBODY);
      this.status.set(live.status);
    });
    live.start();
    this.status.set(live.status);
    return () => {
      stopStatus();
      live.stop();
      this.status.set('connecting');
      this.typing.clear();
      this.online.set(NOBODY);
    };
  }

  /** Sends (or re-sends) a message from the outbox. */
  send(item: OutgoingMessage): Promise<void> {
    return this.outbox.send(item, this.delivery);
  }

  /** The live connection is back: what waited for it goes now, once. */
  resendWaiting(): Promise<void> {
    return this.outbox.resendWaiting(this.delivery);
  }

  uploadPhoto(photo: PhotoToSend, onProgress: (share: number) => void, signal: AbortSignal) {
    return uploadPhoto(this.deps.auth, photo, onProgress, signal);
  }

  /** Logging out on a shared computer: this person's drafts, unsent messages and pictures leave the browser. */
  forget(): void {
    clearDrafts(browserStorage(), this.me);
    this.outbox.clear();
    this.photos.clear();
  }
}
