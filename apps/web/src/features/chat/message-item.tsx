import { useMutation } from '@tanstack/react-query';
import { LIMITS, type Reaction, type Room, type User } from '@youngchat/shared';
import { memo, useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isRetryable, toProblem, type Problem } from '../../lib/problems.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { Avatar } from '../../ui/avatar.tsx';
import { ConfirmStep } from '../../ui/confirm-step.tsx';
import { Menu, useMenu, type MenuAction } from '../../ui/menu.tsx';
import { ProblemMessage } from '../../ui/messages.tsx';
import { clockTime, longTime, notSentMessage, photoAlt, preview, summary } from './chat.format.ts';
import type { ShownMessage } from './chat.history.ts';
import { linkify } from './linkify.ts';
import { MessagePhoto } from './message-photo.tsx';
import { ReactionChips, ReactionPicker } from './reactions.tsx';
import { QuoteButton } from './reply-quote.tsx';
import { useLongPress } from './use-long-press.ts';
import { useChat } from './chat.context.tsx';

/** Longer than this (characters or lines) is folded, with "Show all": one long paste must not bury a conversation. */
const FOLD_CHARS = 600;
const FOLD_LINES = 12;

export interface MessageItemProps {
  message: ShownMessage;
  room: Room;
  /** The sender as this room knows them (a former member included); null when not known. */
  sender: Pick<User, 'nickname' | 'avatarUrl' | 'deleted'> | null;
  senderName: string;
  /** Anyone's name as this room shows it: who a quote is from, who reacted. */
  nameOf: (userId: string) => string;
  me: string;
  /** The first of one person's messages in a row: their picture and (in groups) name show here. */
  firstOfRun: boolean;
  /** Reached from a reply's quote: marked for a moment ('lit'), and focusable so focus can land on it. */
  reached: 'lit' | 'focus' | null;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
  onCopy: (text: string) => void;
  onReply: (message: ShownMessage) => void;
  /** Gives or takes back one of my reactions. */
  onReact: (message: ShownMessage, emoji: Reaction) => void;
  /** A reply's quote was chosen: go to the message it answers. */
  onQuote: (messageId: string) => void;
}

/** Text only: React escapes it, and the only links are http(s) ones, opened without handing over this page. */
function Body({ text }: { text: string }) {
  const { t } = useTranslation();
  const long = text.length > FOLD_CHARS || text.split('\n').length > FOLD_LINES;
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <>
      <p id={id} className={long && !open ? 'message-body folded' : 'message-body'}>
        {linkify(text).map((segment, i) =>
          segment.kind === 'link' ? (
            <a key={i} href={segment.href} target="_blank" rel="noopener noreferrer">
              {segment.text}
            </a>
          ) : (
            <span key={i}>{segment.text}</span>
          ),
        )}
      </p>
      {long ? (
        <button type="button" className="fold-button" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
          {open ? t('chat.showLess') : t('chat.showAll')}
        </button>
      ) : null}
    </>
  );
}

type Mode = 'view' | 'editing' | 'confirm-delete';

/**
 * Whether a drawn row would draw the same: the message by what it says (a page of history arriving, or the live
 * feed patching one message, makes new objects of all the others, unchanged), everything else as it is. The list
 * passes handlers that stay the same, so scrolling through a long history redraws only the rows that come in.
 */
function sameRow(before: MessageItemProps, after: MessageItemProps): boolean {
  for (const key of Object.keys(after) as (keyof MessageItemProps)[]) {
    if (key !== 'message' && before[key] !== after[key]) return false;
  }
  const a = before.message;
  const b = after.message;
  if (a === b) return true;
  const fields = Object.keys(b) as (keyof ShownMessage)[];
  return fields.length === Object.keys(a).length && fields.every((field) => a[field] === b[field]);
}

/**
 * One message: mine on the right in the accent colour, others' on the left under their picture; time and the
 * unread number beside the bubble. Its menu opens the same three ways everywhere: long-press, right-click, and a
 * button that shows on hover and keyboard focus. Drawn again only when what it shows changes (see sameRow).
 */
export const MessageItem = memo(function MessageItem(props: MessageItemProps) {
  const { message, room, sender, senderName, nameOf, me, firstOfRun, reached, onRetry, onDiscard, onCopy, onReply, onReact, onQuote } = props;
  const { t, i18n } = useTranslation();
  const trpc = useTRPC();
  const chat = useChat();
  const mine = message.senderId === me;
  const deleted = message.deletedAt !== null;
  const [mode, setMode] = useState<Mode>('view');
  const [draft, setDraft] = useState(message.body);
  const [problem, setProblem] = useState<Problem | null>(null);
  const menu = useMenu();
  const picker = useMenu();
  const menuButtonRef = useRef<HTMLButtonElement>(null);
  const bubbleRowRef = useRef<HTMLDivElement>(null);
  const editRef = useRef<HTMLTextAreaElement>(null);
  const editId = useId();
  const edit = useMutation(trpc.messages.edit.mutationOptions());
  const remove = useMutation(trpc.messages.delete.mutationOptions());
  const returnFocus = useRef(false);

  useEffect(() => {
    if (mode === 'editing') editRef.current?.focus();
    if (mode === 'view' && returnFocus.current) {
      returnFocus.current = false;
      menuButtonRef.current?.focus();
    }
  }, [mode]);

  const back = () => {
    returnFocus.current = true;
    setProblem(null);
    setMode('view');
  };

  const onSave = (event: FormEvent) => {
    event.preventDefault();
    if (edit.isPending || !message.id) return;
    const body = draft.trim();
    if (!body || body === message.body) return back();
    edit.mutate(
      { messageId: message.id, body },
      {
        onSuccess: (updated) => {
          void chat.cache.applyMine(updated);
          back();
        },
        onError: (error) => setProblem(toProblem(error)),
      },
    );
  };

  const onDelete = () => {
    if (remove.isPending || !message.id) return;
    remove.mutate(
      { messageId: message.id },
      {
        onSuccess: (gone) => {
          void chat.cache.applyMine(gone);
          setMode('view');
        },
        onError: (error) => setProblem(toProblem(error)),
      },
    );
  };

  const onEditKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      back();
    }
  };

  const confirmed = message.status !== 'sending' && message.status !== 'waiting' && message.status !== 'failed' && message.id !== null;
  const canChange = mine && confirmed && !deleted;
  const actions: MenuAction[] = deleted
    ? []
    : [
        ...(confirmed
          ? [
              { key: 'reply', label: t('chat.reply'), onSelect: () => onReply(message) },
              // The picker opens where the menu was, and Escape there goes back to where the menu came from.
              { key: 'react', label: t('chat.react'), onSelect: () => menu.anchor && picker.open(menu.anchor) },
            ]
          : []),
        ...(message.body ? [{ key: 'copy', label: t('chat.copy'), onSelect: () => onCopy(message.body) }] : []),
        ...(canChange
          ? [
              {
                key: 'edit',
                label: t('chat.edit'),
                onSelect: () => {
                  setDraft(message.body);
                  setProblem(null);
                  setMode('editing');
                },
              },
              { key: 'delete', label: t('chat.delete'), onSelect: () => setMode('confirm-delete'), danger: true },
            ]
          : []),
      ];
  const hasMenu = actions.length > 0 && mode === 'view';
  const openAt = (at: { x: number; y: number }) => {
    if (hasMenu && !menu.anchor && !picker.anchor && bubbleRowRef.current) menu.open({ ...at, within: bubbleRowRef.current });
  };
  const longPress = useLongPress(openAt);

  // Without a known reason (the page went away mid-send, or the person was signed out), trying again may work.
  const canRetry = !message.problem || isRetryable(message.problem.code);
  const whyId = `${editId}-why`;
  const showName = !mine && firstOfRun && room.kind === 'group';
  const about = preview(summary(message, t), 40);

  return (
    <li
      className={`message ${mine ? 'mine' : 'theirs'}${reached === 'lit' ? ' reached' : ''}`}
      data-key={message.key}
      data-id={message.id ?? undefined}
      data-status={message.status ?? undefined}
      data-first={firstOfRun || undefined}
      tabIndex={reached ? -1 : undefined}
    >
      {!mine ? (
        <span className="message-avatar">{firstOfRun ? <Avatar user={sender ?? { nickname: senderName, avatarUrl: null }} size="tiny" /> : null}</span>
      ) : null}
      <div className="message-main">
        <p className={showName ? 'message-sender' : 'message-sender visually-hidden'}>{mine ? t('chat.you') : senderName}</p>
        <div
          ref={bubbleRowRef}
          className="bubble-row"
          {...(hasMenu ? longPress : {})}
          onContextMenu={(event) => {
            if (!hasMenu) return;
            event.preventDefault();
            openAt({ x: event.clientX, y: event.clientY });
          }}
        >
          <div className={message.attachment && !deleted ? 'bubble has-photo' : 'bubble'}>
            {message.replyTo && !deleted ? <QuoteButton quote={message.replyTo} name={nameOf(message.replyTo.senderId)} onGo={onQuote} /> : null}
            {message.attachment && !deleted ? (
              <MessagePhoto attachment={message.attachment} alt={photoAlt(message.body, mine ? null : senderName, t)} />
            ) : null}
            {deleted ? (
              <p className="message-body message-deleted">{t('chat.deleted')}</p>
            ) : mode === 'editing' ? (
              <form className="edit-form" onSubmit={onSave} aria-busy={edit.isPending}>
                <label htmlFor={editId} className="visually-hidden">
                  {t('chat.editLabel')}
                </label>
                <textarea
                  id={editId}
                  ref={editRef}
                  rows={3}
                  maxLength={LIMITS.message.maxChars}
                  value={draft}
                  onChange={(e) => setDraft(e.target.value)}
                  onKeyDown={onEditKey}
                />
                <span className="row">
                  <button type="submit" className="button-primary button-small">
                    {edit.isPending ? t('chat.saving') : t('chat.save')}
                  </button>
                  <button type="button" className="button-secondary button-small" onClick={back}>
                    {t('chat.cancel')}
                  </button>
                </span>
              </form>
            ) : message.body ? (
              <Body text={message.body} />
            ) : null}
            {/* In the bubble's corner while shown, so it takes no room beside it (as on WhatsApp's web app). */}
            {hasMenu ? (
              <button
                type="button"
                ref={menuButtonRef}
                className="message-menu-button"
                aria-haspopup="menu"
                aria-expanded={menu.anchor !== null}
                aria-label={mine ? t('chat.optionsFor', { body: about }) : t('chat.optionsForTheirs', { name: senderName, body: about })}
                onClick={(e) =>
                  menu.anchor
                    ? menu.close()
                    : menu.open({ rect: e.currentTarget.getBoundingClientRect(), within: bubbleRowRef.current ?? e.currentTarget }, menuButtonRef.current)
                }
              >
                <span aria-hidden="true">⋯</span>
              </button>
            ) : null}
          </div>
          <p className="message-meta">
            {message.unreadCount > 0 && !deleted ? (
              <span className="message-unread">
                <span aria-hidden="true">{message.unreadCount}</span>
                <span className="visually-hidden">{t('chat.unreadBy', { count: message.unreadCount })}</span>
              </span>
            ) : null}
            {message.editedAt && !deleted ? <span className="message-edited">{t('chat.edited')}</span> : null}
            {message.status && message.status !== 'sent' ? (
              <span className="message-status" data-status={message.status}>
                {t(`chat.${message.status}`)}
              </span>
            ) : null}
            {message.status === 'sent' ? <span className="visually-hidden">{t('chat.sent')}</span> : null}
            <time dateTime={message.createdAt} title={longTime(message.createdAt, i18n.language)}>
              {clockTime(message.createdAt, i18n.language)}
            </time>
          </p>
        </div>
        {!deleted && message.reactions.length > 0 ? (
          <ReactionChips reactions={message.reactions} me={me} nameOf={nameOf} onToggle={confirmed ? (emoji) => onReact(message, emoji) : undefined} />
        ) : null}
        {menu.anchor ? <Menu label={t('chat.messageMenu')} actions={actions} anchor={menu.anchor} onClose={menu.close} /> : null}
        {picker.anchor ? (
          <ReactionPicker reactions={message.reactions} me={me} anchor={picker.anchor} onPick={(emoji) => onReact(message, emoji)} onClose={picker.close} />
        ) : null}
        {message.status === 'failed' ? (
          <>
            {/* Not an alert: the log already reads new lines out, and a resend that fails again would repeat it. */}
            {message.problem ? (
              <p id={whyId} className="problem">
                {notSentMessage(t, message.problem)}
              </p>
            ) : null}
            <span className="row failed-actions">
              {canRetry ? (
                <button
                  type="button"
                  className="button-primary button-small"
                  aria-describedby={message.problem ? whyId : undefined}
                  onClick={() => onRetry(message.clientId)}
                >
                  {t('chat.retry')}
                </button>
              ) : null}
              <button
                type="button"
                className={canRetry ? 'button-secondary button-small' : 'button-primary button-small'}
                aria-describedby={message.problem ? whyId : undefined}
                onClick={() => onDiscard(message.clientId)}
              >
                {t('chat.discard')}
              </button>
            </span>
          </>
        ) : null}
        {canChange && mode === 'confirm-delete' ? (
          <ConfirmStep
            question={t('chat.deleteQuestion')}
            no={t('chat.deleteNo')}
            yes={t('chat.deleteYes')}
            busyYes={t('chat.deleting')}
            busy={remove.isPending}
            problem={problem}
            onNo={back}
            onYes={onDelete}
          />
        ) : (
          <ProblemMessage problem={problem} />
        )}
      </div>
    </li>
  );
}, sameRow);
