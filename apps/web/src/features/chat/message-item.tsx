import { useMutation, useQueryClient } from '@tanstack/react-query';
import { LIMITS, type Room } from '@youngchat/shared';
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isRetryable, toProblem, type Problem } from '../../lib/problems.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { ProblemMessage } from '../../ui/messages.tsx';
import { applyMine } from './chat.cache.ts';
import { longTime, nicknameOf, notSentMessage, preview, shortTime } from './chat.format.ts';
import type { ShownMessage } from './chat.history.ts';
import { linkify } from './linkify.ts';

interface MessageItemProps {
  message: ShownMessage;
  room: Room;
  /** Senders no longer in the room who deleted their account. */
  deletedSenders: ReadonlySet<string>;
  me: string;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
}

/** Text only: React escapes it, and the only links are http(s) ones, opened without handing over this page. */
function Body({ text }: { text: string }) {
  return (
    <p className="message-body">
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
  );
}

type Mode = 'view' | 'options' | 'editing' | 'confirm-delete';

export function MessageItem({ message, room, deletedSenders, me, onRetry, onDiscard }: MessageItemProps) {
  const { t, i18n } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mine = message.senderId === me;
  const deleted = message.deletedAt !== null;
  const [mode, setMode] = useState<Mode>('view');
  const [draft, setDraft] = useState(message.body);
  const [problem, setProblem] = useState<Problem | null>(null);
  const optionsRef = useRef<HTMLButtonElement>(null);
  const editRef = useRef<HTMLTextAreaElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const editId = useId();
  const edit = useMutation(trpc.messages.edit.mutationOptions());
  const remove = useMutation(trpc.messages.delete.mutationOptions());
  const returnFocus = useRef(false);

  useEffect(() => {
    if (mode === 'editing') editRef.current?.focus();
    if (mode === 'confirm-delete') confirmRef.current?.focus();
    if ((mode === 'options' || mode === 'view') && returnFocus.current) {
      returnFocus.current = false;
      optionsRef.current?.focus();
    }
  }, [mode]);

  const back = () => {
    returnFocus.current = true;
    setProblem(null);
    setMode('options');
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
          applyMine(queryClient, updated, me);
          returnFocus.current = true;
          setMode('view');
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
          applyMine(queryClient, gone, me);
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

  const sender = mine ? t('chat.you') : nicknameOf(room, message.senderId, t, deletedSenders);
  const canChange = mine && message.status === 'sent' && !deleted && message.id !== null;
  // Without a known reason (the page went away mid-send, or the person was signed out), trying again may work.
  const canRetry = !message.problem || isRetryable(message.problem.code);
  const whyId = `${editId}-why`;

  return (
    <li className={mine ? 'message mine' : 'message theirs'} data-key={message.key} data-status={message.status ?? undefined}>
      <div className="bubble">
        <p className={mine ? 'message-sender visually-hidden' : 'message-sender'}>{sender}</p>
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
              <button type="submit" className="button-primary">
                {edit.isPending ? t('chat.saving') : t('chat.save')}
              </button>
              <button type="button" className="button-secondary" onClick={back}>
                {t('chat.cancel')}
              </button>
            </span>
          </form>
        ) : (
          <Body text={message.body} />
        )}
        <div className="message-foot">
          <p className="message-meta">
            <time dateTime={message.createdAt} title={longTime(message.createdAt, i18n.language)}>
              {shortTime(message.createdAt, i18n.language)}
            </time>
            {message.editedAt && !deleted ? <span className="message-edited">{t('chat.edited')}</span> : null}
            {message.unreadCount > 0 && !deleted ? (
              <span className="message-unread">
                <span aria-hidden="true">{message.unreadCount}</span>
                <span className="visually-hidden">{t('chat.unreadBy', { count: message.unreadCount })}</span>
              </span>
            ) : null}
            {message.status ? (
              <span className="message-status" data-status={message.status}>
                {t(`chat.${message.status}`)}
              </span>
            ) : null}
          </p>
          {canChange && mode !== 'editing' ? (
            <span className="row message-options">
              <button
                type="button"
                ref={optionsRef}
                className="button-secondary button-small"
                aria-expanded={mode === 'options' || mode === 'confirm-delete'}
                aria-label={t('chat.optionsFor', { body: preview(message.body, 40) })}
                onClick={() => {
                  setProblem(null);
                  setMode(mode === 'view' ? 'options' : 'view');
                }}
              >
                {t('chat.options')}
              </button>
              {mode === 'options' ? (
                <>
                  <button
                    type="button"
                    className="button-secondary button-small"
                    onClick={() => {
                      setDraft(message.body);
                      setMode('editing');
                    }}
                  >
                    {t('chat.edit')}
                  </button>
                  <button type="button" className="button-danger button-small" onClick={() => setMode('confirm-delete')}>
                    {t('chat.delete')}
                  </button>
                </>
              ) : null}
            </span>
          ) : null}
        </div>
        {message.status === 'failed' ? (
          <>
            {/* Not an alert: the log already reads new lines out, and a resend that fails again would repeat it. */}
            {message.problem ? (
              <p id={whyId} className="problem">
                {notSentMessage(t, message.problem)}
              </p>
            ) : null}
            <span className="row">
              {canRetry ? (
                <button
                  type="button"
                  className="button-primary"
                  aria-describedby={message.problem ? whyId : undefined}
                  onClick={() => onRetry(message.clientId)}
                >
                  {t('chat.retry')}
                </button>
              ) : null}
              <button
                type="button"
                className={canRetry ? 'button-secondary' : 'button-primary'}
                aria-describedby={message.problem ? whyId : undefined}
                onClick={() => onDiscard(message.clientId)}
              >
                {t('chat.discard')}
              </button>
            </span>
          </>
        ) : null}
        {canChange && mode === 'confirm-delete' ? (
          <div className="confirm" role="group" aria-labelledby={`${editId}-q`}>
            <p id={`${editId}-q`}>{t('chat.deleteQuestion')}</p>
            <span className="row">
              {/* The safe answer first and focused: a stray Enter keeps the message. */}
              <button type="button" ref={confirmRef} className="button-secondary" onClick={back}>
                {t('chat.deleteNo')}
              </button>
              <button type="button" className="button-danger" onClick={onDelete}>
                {remove.isPending ? t('chat.deleting') : t('chat.deleteYes')}
              </button>
            </span>
          </div>
        ) : null}
        <ProblemMessage problem={problem} />
      </div>
    </li>
  );
}
