import { LIMITS, type ReplyQuote } from '@youngchat/shared';
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useTRPCClient } from '../../lib/trpc.ts';
import { useChat } from './chat.context.tsx';
import { browserStorage, loadDraft, saveDraft } from './chat.drafts.ts';
import { newClientId } from './chat.outbox.ts';
import { TYPING_SEND_EVERY_MS } from './chat.typing.ts';
import { PhotoPicker } from './photo-picker.tsx';
import { ReplyingBar } from './reply-quote.tsx';

/** The message being answered, and its sender's name as this room shows it. */
export interface ReplyTarget {
  quote: ReplyQuote;
  name: string;
}

/**
 * A big box and a big Send button, and a photo button beside them. Enter sends, Shift+Enter makes a new line;
 * what is typed is kept as a draft for this room, so a reload or a lost connection loses nothing. While
 * answering a message, what it answers shows above the box (Escape or ✕ to stop answering).
 */
export function Composer({ roomId, me, reply, onReplyDone }: { roomId: string; me: string; reply: ReplyTarget | null; onReplyDone: () => void }) {
  const { t } = useTranslation();
  const client = useTRPCClient();
  const chat = useChat();
  const id = useId();
  const boxRef = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState(() => loadDraft(browserStorage(), me, roomId));
  const [tooLong, setTooLong] = useState(false);
  const lastTyping = useRef(0);

  useEffect(() => {
    saveDraft(browserStorage(), me, roomId, text);
  }, [me, roomId, text]);

  // Choosing Reply brings the person here to write it.
  const replyId = reply?.quote.id;
  useEffect(() => {
    if (replyId) boxRef.current?.focus();
  }, [replyId]);

  const announceTyping = () => {
    const now = Date.now();
    if (now - lastTyping.current < TYPING_SEND_EVERY_MS) return;
    lastTyping.current = now;
    // Best effort: typing is a courtesy, never worth an error on screen.
    client.rooms.setTyping.mutate({ roomId }).catch(() => undefined);
  };

  const send = () => {
    const body = text.trim();
    if (!body) return;
    if (body.length > LIMITS.message.maxChars) {
      setTooLong(true);
      return;
    }
    setTooLong(false);
    setText('');
    lastTyping.current = 0;
    void chat.send({
      clientId: newClientId(),
      roomId,
      body,
      createdAt: new Date().toISOString(),
      ...(reply ? { replyTo: reply.quote } : {}),
      status: 'sending',
    });
    onReplyDone();
    boxRef.current?.focus();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape' && reply) {
      event.preventDefault();
      onReplyDone();
      return;
    }
    // While an input method is composing (Korean, Japanese…), Enter confirms the syllable, it does not send.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    send();
  };

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const replyingId = `${id}-replying`;
  const describedBy = [tooLong ? errorId : null, reply ? replyingId : null, hintId].filter(Boolean).join(' ');
  return (
    <form className="composer" onSubmit={onSubmit}>
      <label htmlFor={id} className="composer-label">
        {t('chat.composerLabel')}
      </label>
      <p id={hintId} className="hint composer-hint">
        {t('chat.composerHint')}
      </p>
      {tooLong ? (
        <p id={errorId} className="field-error" role="alert">
          {t('chat.tooLong', { max: LIMITS.message.maxChars })}
        </p>
      ) : null}
      {reply ? (
        <ReplyingBar
          quote={reply.quote}
          name={reply.name}
          id={replyingId}
          onCancel={() => {
            onReplyDone();
            boxRef.current?.focus();
          }}
        />
      ) : null}
      <div className="composer-row">
        <PhotoPicker roomId={roomId} replyToId={reply?.quote.id ?? null} onSent={onReplyDone} />
        <textarea
          id={id}
          ref={boxRef}
          rows={2}
          value={text}
          maxLength={LIMITS.message.maxChars}
          aria-describedby={describedBy}
          aria-invalid={tooLong || undefined}
          onChange={(e) => {
            setText(e.target.value);
            if (e.target.value.trim()) announceTyping();
          }}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="send-button">
          {t('chat.send')}
        </button>
      </div>
    </form>
  );
}
