import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import type { Room } from '@youngchat/shared';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { toProblem } from '../../lib/problems.ts';
import { trpcClient, useTRPC } from '../../lib/trpc.ts';
import { ProblemMessage } from '../../ui/messages.tsx';
import { applyEvents, eventContext, PAGE_SIZE } from './chat.cache.ts';
import { mergeMessages } from './chat.history.ts';
import { useDeletedSenders } from './deleted-senders.ts';
import { outboxFor } from './chat.outbox.ts';
import { sendFromOutbox } from './chat.send.ts';
import { MessageItem } from './message-item.tsx';

/** Within this many pixels of the end counts as "at the newest message". */
const BOTTOM_SLACK_PX = 48;
const MARK_READ_RETRY_MS = 5_000;

interface Anchor {
  key: string | undefined;
  top: number;
  last: string | undefined;
}

/**
 * The conversation: history pages loaded upwards as the person scrolls (TanStack infinite query on the keyset
 * cursor), live messages merged in by the event feed, my messages on their way shown with their state. A polite
 * live region (role="log"), so screen readers read new messages as they arrive.
 */
export function MessageList({ room, me, visible }: { room: Room; me: string; visible: boolean }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const history = useInfiniteQuery(
    trpc.messages.list.infiniteQueryOptions(
      { roomId: room.id, limit: PAGE_SIZE },
      { getNextPageParam: (last) => last.nextCursor, initialCursor: null },
    ),
  );
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = history;
  const outbox = outboxFor(me);
  const outgoing = useSyncExternalStore(
    useCallback((listener: () => void) => outbox.subscribe(listener), [outbox]),
    () => outbox.inRoom(room.id),
  );
  const shown = useMemo(() => mergeMessages(history.data?.pages, outgoing, me), [history.data, outgoing, me]);
  const deletedSenders = useDeletedSenders(room, shown.map((m) => m.senderId));

  // A reload while sending: once the history shows the message arrived, its outbox copy can go.
  useEffect(() => {
    const confirmed = new Set(shown.filter((m) => m.status === 'sent').map((m) => m.clientId));
    const done = outgoing.filter((o) => confirmed.has(o.clientId)).map((o) => o.clientId);
    if (done.length) outbox.confirm(done);
  }, [shown, outgoing, outbox]);

  // ---- Scrolling: start at the newest, keep the view still when older pages arrive on top ----
  const logRef = useRef<HTMLDivElement>(null);
  const topRef = useRef<HTMLDivElement>(null);
  const [atBottom, setAtBottom] = useState(true);
  const atBottomRef = useRef(true);
  const anchor = useRef<Anchor | null>(null);

  const measureBottom = () => {
    const el = logRef.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
    atBottomRef.current = bottom;
    setAtBottom(bottom);
  };

  const scrollToEnd = () => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
    measureBottom();
  };

  useLayoutEffect(() => {
    const el = logRef.current;
    if (!el) return;
    const first = shown[0]?.key;
    const last = shown.at(-1)?.key;
    const before = anchor.current;
    // Where the person was before this change: at the newest message, they stay there whatever grew.
    const wasAtBottom = atBottomRef.current;
    const find = (key: string | undefined) =>
      key ? [...el.querySelectorAll<HTMLElement>('[data-key]')].find((n) => n.dataset.key === key) : undefined;
    if (!before?.last) {
      el.scrollTop = el.scrollHeight; // first messages on screen: the newest
    } else {
      const old = find(before.key);
      // Older messages went in above: move by exactly as much, so what the person was reading stays put.
      if (old && first !== before.key) el.scrollTop += old.offsetTop - before.top;
      const newest = shown.at(-1);
      const mineJustSent = newest?.senderId === me && newest.status === 'sending';
      if (wasAtBottom || (last !== before.last && mineJustSent)) el.scrollTop = el.scrollHeight;
    }
    anchor.current = { key: first, top: find(first)?.offsetTop ?? 0, last };
    measureBottom();
  }, [shown, me]);

  // The log changes size (a phone keyboard opens, the window resizes): stay at the newest if that is where we were.
  useEffect(() => {
    const el = logRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (atBottomRef.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Reaching the top loads the page before (the button does the same for keyboards and screen readers).
  useEffect(() => {
    const root = logRef.current;
    const target = topRef.current;
    if (!root || !target || !hasNextPage || isFetchingNextPage || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) void fetchNextPage();
      },
      { root, rootMargin: '200px 0px 0px 0px' },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  // ---- Reading: the newest message counts as read while the page is on screen and scrolled to the end ----
  let newest = 0;
  let newestFromOthers = 0;
  for (const m of shown) {
    if (m.seq === null) continue;
    newest = Math.max(newest, m.seq);
    if (m.senderId !== me) newestFromOthers = Math.max(newestFromOthers, m.seq);
  }
  const marked = useRef(0);
  const marking = useRef(false);
  const [markAgain, setMarkAgain] = useState(0);
  useEffect(() => {
    if (!visible || !atBottom || newestFromOthers <= marked.current || marking.current) return;
    marking.current = true;
    const seq = newest;
    let retry: ReturnType<typeof setTimeout> | undefined;
    trpcClient.rooms.markRead
      .mutate({ roomId: room.id, seq })
      .then((read) => {
        marked.current = Math.max(marked.current, seq);
        applyEvents(queryClient, [{ type: 'room.read', roomId: room.id, userId: me, seq: read.seq }], eventContext(me));
        setMarkAgain((n) => n + 1);
      })
      .catch(() => {
        retry = setTimeout(() => setMarkAgain((n) => n + 1), MARK_READ_RETRY_MS);
      })
      .finally(() => {
        marking.current = false;
      });
    return () => clearTimeout(retry);
  }, [visible, atBottom, newest, newestFromOthers, room.id, me, queryClient, markAgain]);

  const onRetry = (clientId: string) => {
    const item = outbox.get(clientId);
    if (item) void sendFromOutbox(queryClient, outbox, me, item);
  };

  return (
    <div className="message-log-wrap">
      <div
        ref={logRef}
        className="message-log"
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        aria-label={t('chat.messages')}
        aria-busy={isFetchingNextPage || history.isPending}
        // Scrollable with the keyboard (arrow keys, Page Up) once focused.
        tabIndex={0}
        onScroll={measureBottom}
      >
        <div ref={topRef} className="log-top">
          {hasNextPage ? (
            <button
              type="button"
              className="button-secondary button-small"
              aria-disabled={isFetchingNextPage || undefined}
              onClick={() => {
                if (!isFetchingNextPage) void fetchNextPage();
              }}
            >
              {isFetchingNextPage ? t('chat.loadingEarlier') : t('chat.loadEarlier')}
            </button>
          ) : shown.length > 0 && history.data ? (
            <p className="hint">{t('chat.historyStart')}</p>
          ) : null}
        </div>
        {history.isPending ? <p className="hint">{t('app.loading')}</p> : null}
        {history.isError && !history.data ? (
          <div>
            <ProblemMessage problem={toProblem(history.error)} />
            <button type="button" className="button-secondary" onClick={() => void history.refetch()}>
              {t('chat.tryAgain')}
            </button>
          </div>
        ) : null}
        {history.data && shown.length === 0 ? <p className="hint">{t('chat.noMessagesYet')}</p> : null}
        <ol className="messages">
          {shown.map((message) => (
            <MessageItem
              key={message.key}
              message={message}
              room={room}
              deletedSenders={deletedSenders}
              me={me}
              onRetry={onRetry}
              onDiscard={(id) => outbox.remove(id)}
            />
          ))}
        </ol>
      </div>
      {!atBottom ? (
        <button type="button" className="jump-to-newest button-small" onClick={scrollToEnd}>
          {t('chat.jumpToNewest')}
        </button>
      ) : null}
    </div>
  );
}
