import { useInfiniteQuery } from '@tanstack/react-query';
import type { Reaction, ReplyQuote, Room, User } from '@youngchat/shared';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage, toProblem } from '../../lib/problems.ts';
import { useTRPC, useTRPCClient } from '../../lib/trpc.ts';
import { ProblemMessage } from '../../ui/messages.tsx';
import { PAGE_SIZE } from './chat.cache.ts';
import { useChat } from './chat.context.tsx';
import { dayLabel, senderOf } from './chat.format.ts';
import { mergeMessages, quoteOf, type ShownMessage } from './chat.history.ts';
import { firstUnreadKey, layoutMessages } from './chat.layout.ts';
import { rowsIn, sliceAround, sliceFor, slideNewer, slideOlder } from './chat.window.ts';
import { copyText } from './copy-text.ts';
import { MessageItem } from './message-item.tsx';

/** Within this many pixels of the end counts as "at the newest message". */
const BOTTOM_SLACK_PX = 48;
const MARK_READ_RETRY_MS = 5_000;
/** How long "Copied" stays said. */
const NOTICE_MS = 3_000;
/** Earlier pages fetched to find a quoted message before asking the person to scroll up themselves. */
const SEEK_PAGES = 5;
/** How long a message reached from its quote stays marked. */
const HIGHLIGHT_MS = 2_500;
/** Within this many pixels of the drawn rows' top or bottom, the window of drawn messages slides that way. */
const EDGE_PX = 800;

interface Anchor {
  /** A drawn row on screen, and where it was: the view is kept still on it when the rows change. */
  key: string | undefined;
  top: number;
  /** The log's scroll position then. */
  scroll: number;
  last: string | undefined;
}

/** One room's history pages (TanStack infinite query on the keyset cursor), newest page first. */
export function useRoomHistory(roomId: string) {
  const trpc = useTRPC();
  return useInfiniteQuery(
    trpc.messages.list.infiniteQueryOptions({ roomId, limit: PAGE_SIZE }, { getNextPageParam: (last) => last.nextCursor, initialCursor: null }),
  );
}

interface MessageListProps {
  room: Room;
  me: string;
  visible: boolean;
  history: ReturnType<typeof useRoomHistory>;
  /** Senders no longer in the room, by their profile (see useFormerSenders). */
  former: ReadonlyMap<string, User>;
  /** Anyone's name as this room shows it ("You" for me). */
  nameOf: (userId: string) => string;
  /** Reply was chosen in a message's menu: the composer takes it from here. */
  onReply: (quote: ReplyQuote) => void;
  /** Under the messages, beside the jump-to-newest button: who is typing. */
  footer: ReactNode;
}

/**
 * The conversation: history pages loaded upwards as the person scrolls, live messages merged in by the event
 * feed, my messages on their way shown with their state; date lines, and where the new messages start. A polite
 * live region (role="log"), so screen readers read new messages as they arrive.
 */
export function MessageList({ room, me, visible, history, former, nameOf, onReply, footer }: MessageListProps) {
  const { t, i18n } = useTranslation();
  const client = useTRPCClient();
  const chat = useChat();
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = history;
  const { outbox } = chat;
  const outgoing = useSyncExternalStore(
    useCallback((listener: () => void) => outbox.subscribe(listener), [outbox]),
    () => outbox.inRoom(room.id),
  );
  const shown = useMemo(() => mergeMessages(history.data?.pages, outgoing, me), [history.data, outgoing, me]);

  // Where the new messages started when the room opened: fixed then, as in every messenger, while reading
  // lowers the count to nothing.
  const [unreadAtOpen] = useState(room.unreadCount);
  const [firstUnread, setFirstUnread] = useState<string | null | undefined>(undefined);
  if (firstUnread === undefined && history.data) setFirstUnread(firstUnreadKey(shown, me, unreadAtOpen));
  const allRows = useMemo(() => layoutMessages(shown, firstUnread ?? null), [shown, firstUnread]);

  // ---- Only a window of the loaded messages is drawn (see chat.window.ts): named by its newest, null = the newest ----
  const keys = useMemo(() => shown.map((m) => m.key), [shown]);
  const [windowEnd, setWindowEnd] = useState<string | null>(null);
  // A window that ends at the newest message follows it (were the message after its end to go, it would stop there).
  if (windowEnd !== null && windowEnd === keys.at(-1)) setWindowEnd(null);
  const slice = useMemo(() => sliceFor(keys, windowEnd), [keys, windowEnd]);
  const rows = useMemo(() => rowsIn(allRows, slice), [allRows, slice]);
  /** The newest message is drawn (the window follows what arrives). */
  const following = slice.end >= keys.length;
  const atOldest = slice.start === 0;
  // Rows that only come back into the window are not news: the log says it is busy while they go in.
  const [settling, setSettling] = useState(false);
  const moveWindow = (end: string | null) => {
    if (end === windowEnd) return;
    setSettling(true);
    setWindowEnd(end);
  };
  useEffect(() => {
    if (!settling) return;
    const timer = setTimeout(() => setSettling(false), 100);
    return () => clearTimeout(timer);
  }, [settling]);

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
  /** Jump to the newest was asked for while it was not drawn: go to the end once it is. */
  const pendingEnd = useRef(false);

  const measureBottom = () => {
    const el = logRef.current;
    if (!el) return;
    const bottom = following && el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
    atBottomRef.current = bottom;
    setAtBottom(bottom);
  };

  /** The first drawn message row still on screen (its top may be above the view). */
  const rowOnScreen = (el: HTMLElement) => {
    for (const n of el.querySelectorAll<HTMLElement>('li[data-key]')) if (n.offsetTop + n.offsetHeight > el.scrollTop) return n;
    return undefined;
  };
  const noteAnchor = (el: HTMLElement) => {
    const row = rowOnScreen(el);
    anchor.current = { key: row?.dataset.key, top: row?.offsetTop ?? 0, scroll: el.scrollTop, last: anchor.current?.last };
  };

  /** Index of the loaded message whose row holds focus, so the window never slides it away. */
  const focusedIndex = () => {
    const active = document.activeElement;
    const row = active && logRef.current?.contains(active) ? active.closest<HTMLElement>('li[data-key]') : null;
    const at = row?.dataset.key ? keys.indexOf(row.dataset.key) : -1;
    return at < 0 ? undefined : at;
  };

  // Near the top of the drawn rows, older loaded ones come in (and the newest go); near their bottom, the reverse.
  // After a scroll, and after the rows change (a page of older messages arrived while the view is at the top).
  const slideAtEdge = (el: HTMLElement) => {
    const older = el.scrollTop < EDGE_PX && slice.start > 0;
    if (!older && (following || el.scrollHeight - el.scrollTop - el.clientHeight >= EDGE_PX)) return;
    const slide = older ? slideOlder : slideNewer;
    const keep = focusedIndex();
    let next = slide(keys, slice, undefined, keep);
    if (next === undefined && keep !== undefined) {
      // The focused row is far behind: the window goes on without it, and focus stays in the list.
      next = slide(keys, slice);
      if (next !== undefined) el.focus({ preventScroll: true });
    }
    if (next !== undefined) moveWindow(next);
  };

  const onScroll = () => {
    const el = logRef.current;
    if (!el) return;
    measureBottom();
    noteAnchor(el);
    slideAtEdge(el);
  };

  const scrollToEnd = () => {
    const el = logRef.current;
    if (!following) {
      pendingEnd.current = true;
      moveWindow(null);
      return;
    }
    if (el) el.scrollTop = el.scrollHeight;
    measureBottom();
  };

  useLayoutEffect(() => {
    const el = logRef.current;
    if (!el) return;
    const last = shown.at(-1)?.key;
    const before = anchor.current;
    // Where the person was before this change: at the newest message, they stay there whatever grew.
    const wasAtBottom = atBottomRef.current && following;
    /** How far above the top the view would have had to go to keep the row being read still (see below). */
    let short = 0;
    const find = (key: string | undefined) =>
      key ? [...el.querySelectorAll<HTMLElement>('[data-key]')].find((n) => n.dataset.key === key) : undefined;
    if (!before?.last) {
      // First messages on screen: the newest, or where the new ones start if they fill more than the view.
      const line = el.querySelector<HTMLElement>('.unread-line');
      const unreadAt = firstUnread ? keys.indexOf(firstUnread) : -1;
      const toLine = line ? undefined : sliceAround(keys, unreadAt, slice);
      if (toLine !== undefined) {
        moveWindow(toLine); // older than the drawn rows: draw it first, then come back here
        return;
      }
      el.scrollTop = line ? line.offsetTop - 8 : el.scrollHeight; // the browser stops at the end by itself
    } else {
      const old = find(before.key);
      // Rows went in or out above (older pages, the window sliding): move by exactly as much, so what the person
      // was reading stays put. Shorter rows coming in below than went out above may have pulled the view up to the
      // new end already (the browser keeps it in range): then from where it was.
      if (old) {
        const clamped = el.scrollTop < before.scroll && el.scrollTop >= el.scrollHeight - el.clientHeight - 1;
        const target = (clamped ? before.scroll : el.scrollTop) + old.offsetTop - before.top;
        el.scrollTop = target;
        short = target - el.scrollTop;
      }
      const newest = shown.at(-1);
      const mineJustSent = last !== before.last && newest?.senderId === me && newest.status === 'sending';
      if (mineJustSent && !following) {
        pendingEnd.current = true;
        moveWindow(null);
      } else if (wasAtBottom || mineJustSent) el.scrollTop = el.scrollHeight;
    }
    if (pendingEnd.current && following) {
      pendingEnd.current = false;
      el.scrollTop = el.scrollHeight;
    }
    anchor.current = { key: undefined, top: 0, scroll: 0, last };
    noteAnchor(el);
    // At the very top, the row being read grew shorter above its text (the page before it came, and it no longer
    // starts a turn) with nothing above to give way: it is noted where it was, so the rows that come in above next
    // put it back there.
    if (short <= -1 && el.scrollTop === 0 && anchor.current.key === before?.key) anchor.current.top -= short;
    measureBottom();
    if (!pendingEnd.current) slideAtEdge(el);
  }, [rows, me]);

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

  // Reaching the top, with the oldest loaded message drawn, loads the page before (the button does the same for keyboards and screen readers).
  useEffect(() => {
    const root = logRef.current;
    const target = topRef.current;
    if (!root || !target || !atOldest || !hasNextPage || isFetchingNextPage || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) void fetchNextPage();
      },
      { root, rootMargin: '200px 0px 0px 0px' },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [atOldest, hasNextPage, isFetchingNextPage, fetchNextPage]);

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
    client.rooms.markRead
      .mutate({ roomId: room.id, seq })
      .then((read) => {
        marked.current = Math.max(marked.current, seq);
        void chat.cache.apply([{ type: 'room.read', roomId: room.id, userId: me, seq: read.seq }]);
        setMarkAgain((n) => n + 1);
      })
      .catch(() => {
        retry = setTimeout(() => setMarkAgain((n) => n + 1), MARK_READ_RETRY_MS);
      })
      .finally(() => {
        marking.current = false;
      });
    return () => clearTimeout(retry);
  }, [visible, atBottom, newest, newestFromOthers, room.id, me, client, chat, markAgain]);

  const onRetry = (clientId: string) => {
    const item = outbox.get(clientId);
    if (item) void chat.send(item);
  };

  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);
  const onCopy = (text: string) => void copyText(text).then((ok) => setNotice(ok ? t('chat.copied') : t('chat.copyFailed')));

  // Settled by the server's answer (and everyone's by the message.updated that follows it).
  const onReact = (message: ShownMessage, emoji: Reaction) => {
    if (!message.id) return;
    client.messages.react.mutate({ messageId: message.id, emoji }).then(
      (updated) => void chat.cache.applyChanged(updated),
      (error: unknown) => setNotice(problemMessage(t, toProblem(error))),
    );
  };

  // ---- What the rows are given: the same each time unless it changed, so that rows already drawn are not drawn
  // again whenever the list is (a page arriving, the window sliding), which at 200 rows is what scrolling costs ----
  const handlers = useRef({ onRetry, onCopy, onReact, onReply, goToMessage: (_id: string) => {} });
  useLayoutEffect(() => {
    handlers.current = { onRetry, onCopy, onReact, onReply, goToMessage: (id) => void goToMessage(id) };
  });
  const rowHandlers = useMemo(
    () => ({
      onRetry: (clientId: string) => handlers.current.onRetry(clientId),
      onDiscard: (clientId: string) => outbox.remove(clientId),
      onCopy: (text: string) => handlers.current.onCopy(text),
      onReply: (message: ShownMessage) => message.id && handlers.current.onReply(quoteOf({ ...message, id: message.id })),
      onReact: (message: ShownMessage, emoji: Reaction) => handlers.current.onReact(message, emoji),
      onQuote: (id: string) => handlers.current.goToMessage(id),
    }),
    [outbox],
  );
  // Names come from the room's people and former senders (a new map each time the room page draws): the rows get a
  // new nameOf only when one of those, or the language, changed.
  const namesKey = `${i18n.language}\n${JSON.stringify([...former.values()])}`;
  const rowNameOf = useMemo(() => nameOf, [room.members, namesKey, me]);

  // ---- From a quote to the message it answers: found in the loaded pages, or in a few more ----
  const [reached, setReached] = useState<{ id: string; lit: boolean } | null>(null);
  const pendingScroll = useRef<string | null>(null);
  const seeking = useRef(false);
  const goToMessage = async (id: string) => {
    if (seeking.current) return;
    seeking.current = true;
    try {
      let pages = history.data?.pages;
      let more = hasNextPage;
      for (let fetched = 0; !pages?.some((p) => p.items.some((m) => m.id === id)); fetched++) {
        if (!more || fetched === SEEK_PAGES) {
          setNotice(t(more ? 'chat.originalTooFar' : 'chat.originalGone'));
          return;
        }
        setNotice(t('chat.findingOriginal'));
        const result = await fetchNextPage();
        if (result.isError) {
          setNotice(problemMessage(t, toProblem(result.error)));
          return;
        }
        pages = result.data?.pages;
        more = result.hasNextPage;
      }
      setNotice(null);
      pendingScroll.current = id;
      setReached({ id, lit: true });
    } finally {
      seeking.current = false;
    }
  };
  // Once its row is drawn (a page just fetched may render a moment later): there, and focus on it.
  useEffect(() => {
    const id = pendingScroll.current;
    const row = id ? logRef.current?.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"]`) : null;
    if (id && !row) {
      // Loaded but outside the drawn window: move the window to it first (this runs again once it is drawn).
      const next = sliceAround(keys, shown.findIndex((m) => m.id === id), slice);
      if (next !== undefined) moveWindow(next);
      return;
    }
    if (!row) return;
    pendingScroll.current = null;
    row.scrollIntoView({ block: 'center' });
    row.focus({ preventScroll: true });
  }, [rows, reached, keys, shown, slice]);
  useEffect(() => {
    if (!reached?.lit) return;
    const timer = setTimeout(() => setReached({ id: reached.id, lit: false }), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [reached]);

  return (
    <div className="message-log-wrap">
      <div
        ref={logRef}
        className="message-log"
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        aria-label={t('chat.messages')}
        aria-busy={isFetchingNextPage || history.isPending || settling}
        // Scrollable with the keyboard (arrow keys, Page Up) once focused.
        tabIndex={0}
        onScroll={onScroll}
      >
        <div ref={topRef} className="log-top">
          {!atOldest ? (
            // Older messages are loaded but not drawn: the same button brings them in, for keyboards and screen readers.
            <button type="button" className="button-secondary button-small" onClick={() => moveWindow(slideOlder(keys, slice, undefined, focusedIndex()) ?? windowEnd)}>
              {t('chat.loadEarlier')}
            </button>
          ) : hasNextPage ? (
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
          {rows.map((row) =>
            row.kind === 'day' ? (
              <li key={row.key} className="day-line">
                <span>{dayLabel(row.date, i18n.language)}</span>
              </li>
            ) : row.kind === 'unread' ? (
              <li key={row.key} className="unread-line">
                <span>{t('chat.newMessagesLine')}</span>
              </li>
            ) : (
              <MessageItem
                key={row.key}
                message={row.message}
                room={room}
                sender={senderOf(room, row.message.senderId, former)}
                senderName={nameOf(row.message.senderId)}
                nameOf={rowNameOf}
                me={me}
                firstOfRun={row.firstOfRun}
                reached={reached?.id === row.message.id ? (reached.lit ? 'lit' : 'focus') : null}
                {...rowHandlers}
              />
            ),
          )}
        </ol>
      </div>
      {/* Outside the log, so it never covers a message (nor a question asked under one). */}
      <div className="log-foot">
        {footer}
        <p role="status" className="log-notice">
          {notice}
        </p>
        {!atBottom ? (
          <button type="button" className="jump-to-newest button-small" onClick={scrollToEnd}>
            <span aria-hidden="true">↓ </span>
            {t('chat.jumpToNewest')}
          </button>
        ) : null}
      </div>
    </div>
  );
}
