import { useQueryClient } from '@tanstack/react-query';
import { LIMITS } from '@youngchat/shared';
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { trpcClient } from '../../lib/trpc.ts';
import { browserStorage, loadDraft, saveDraft } from './chat.drafts.ts';
import { newClientId, outboxFor } from './chat.outbox.ts';
import { sendFromOutbox } from './chat.send.ts';
import { TYPING_SEND_EVERY_MS } from './chat.typing.ts';

/**
 * A big box and a big Send button. Enter sends, Shift+Enter makes a new line; what is typed is kept as a draft
 * for this room, so a reload or a lost connection loses nothing.
 */
export function Composer({ roomId, me }: { roomId: string; me: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const id = useId();
  const boxRef = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState(() => loadDraft(browserStorage(), me, roomId));
  const [tooLong, setTooLong] = useState(false);
  const lastTyping = useRef(0);

  useEffect(() => {
    saveDraft(browserStorage(), me, roomId, text);
  }, [me, roomId, text]);

  const announceTyping = () => {
    const now = Date.now();
    if (now - lastTyping.current < TYPING_SEND_EVERY_MS) return;
    lastTyping.current = now;
    // Best effort: typing is a courtesy, never worth an error on screen.
    trpcClient.rooms.setTyping.mutate({ roomId }).catch(() => undefined);
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
    void sendFromOutbox(queryClient, outboxFor(me), me, {
      clientId: newClientId(),
      roomId,
      body,
      createdAt: new Date().toISOString(),
      status: 'sending',
    });
    boxRef.current?.focus();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // While an input method is composing (Korean, Japanese…), Enter confirms the syllable, it does not send.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    send();
  };

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
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
      <div className="composer-row">
        <textarea
          id={id}
          ref={boxRef}
          rows={2}
          value={text}
          maxLength={LIMITS.message.maxChars}
          aria-describedby={tooLong ? `${errorId} ${hintId}` : hintId}
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
