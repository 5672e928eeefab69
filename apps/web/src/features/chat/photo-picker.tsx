import { LIMITS, type Message } from '@youngchat/shared';
import { useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage, toProblem } from '../../lib/problems.ts';
import { Dialog } from '../../ui/dialog.tsx';
import { newClientId } from './chat.outbox.ts';
import { checkPhoto, tooManyPixels } from './chat.photos.ts';
import { useChat } from './chat.context.tsx';

const MAX_MB = Math.round(LIMITS.photo.maxBytes / (1024 * 1024));

interface Chosen {
  file: File;
  /** blob: URL of the file itself, for the preview (the only kind of local image the CSP allows). */
  url: string;
  /** Kept across tries: a photo whose answer was lost is not stored twice. */
  clientId: string;
}

/**
 * The composer's photo button: choose (phones offer the camera too), see it with optional words, send with
 * progress, stop half-way. What is plainly not a photo, or too big, is said before anything is sent.
 */
export function PhotoPicker({ roomId, replyToId, onSent }: { roomId: string; replyToId: string | null; onSent: () => void }) {
  const { t } = useTranslation();
  const chat = useChat();
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [refused, setRefused] = useState<string | null>(null);

  // Every preview URL pins its file in memory until revoked.
  useEffect(() => (chosen ? () => URL.revokeObjectURL(chosen.url) : undefined), [chosen]);

  const tooBig = t('chat.photoTooBig', { maxMb: MAX_MB });
  const onChoose = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    const code = checkPhoto(file);
    if (code) {
      setRefused(code === 'PAYLOAD_TOO_LARGE' ? tooBig : t(`errors.${code}`));
      event.target.value = '';
      return;
    }
    setRefused(null);
    setChosen({ file, url: URL.createObjectURL(file), clientId: newClientId() });
  };

  const close = () => {
    setChosen(null);
    if (inputRef.current) inputRef.current.value = '';
  };

  return (
    <div className="photo-picker">
      {/* The real input stays in the page (keyboard, screen readers, setInputFiles); the label is the button. */}
      <input ref={inputRef} id={inputId} className="file-input" type="file" accept="image/*" onChange={onChoose} />
      <label htmlFor={inputId} className="file-label attach-button" title={t('chat.attachPhoto')}>
        <CameraIcon />
        <span className="visually-hidden">{t('chat.attachPhoto')}</span>
      </label>
      {refused ? (
        <p className="field-error photo-refused" role="alert">
          {refused}
        </p>
      ) : null}
      {chosen ? (
        <PhotoPreview
          chosen={chosen}
          roomId={roomId}
          replyToId={replyToId}
          tooBig={tooBig}
          onCancel={close}
          onSent={(message) => {
            void chat.cache.applyMine(message);
            close();
            onSent();
          }}
        />
      ) : null}
    </div>
  );
}

function PhotoPreview({
  chosen,
  roomId,
  replyToId,
  tooBig,
  onCancel,
  onSent,
}: {
  chosen: Chosen;
  roomId: string;
  replyToId: string | null;
  tooBig: string;
  onCancel: () => void;
  onSent: (message: Message) => void;
}) {
  const { t } = useTranslation();
  const chat = useChat();
  const id = useId();
  const [caption, setCaption] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [blocked, setBlocked] = useState(false);
  const stop = useRef<AbortController | null>(null);
  // Closing the dialog (Cancel, Escape) while sending stops the upload.
  useEffect(() => () => stop.current?.abort(), []);

  const sending = progress !== null;
  const onSend = () => {
    if (sending || blocked) return;
    const controller = new AbortController();
    stop.current = controller;
    setProblem(null);
    setProgress(0);
    chat.uploadPhoto({ roomId, clientId: chosen.clientId, file: chosen.file, caption: caption.trim(), replyToId }, setProgress, controller.signal)
      .then(onSent, (error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') setProblem(t('chat.uploadStopped'));
        else {
          const found = toProblem(error);
          setProblem(found.code === 'PAYLOAD_TOO_LARGE' ? tooBig : problemMessage(t, found));
        }
        setProgress(null);
      });
  };

  const percent = Math.round((progress ?? 0) * 100);
  return (
    <Dialog
      title={t('chat.attachPhoto')}
      onClose={onCancel}
      footer={
        <div className="actions">
          {sending ? (
            <button type="button" className="button-secondary" onClick={() => stop.current?.abort()}>
              {t('chat.stopUpload')}
            </button>
          ) : (
            <>
              <button type="button" className="button-primary" aria-disabled={blocked || undefined} onClick={onSend} data-autofocus>
                {t('chat.send')}
              </button>
              <button type="button" className="button-secondary" onClick={onCancel}>
                {t('chat.cancel')}
              </button>
            </>
          )}
        </div>
      }
    >
      <img
        className="photo-preview"
        src={chosen.url}
        alt={t('chat.photoPreview')}
        onLoad={(e) => {
          // The server would refuse it after the whole upload; the preview already knows.
          if (!tooManyPixels(e.currentTarget.naturalWidth, e.currentTarget.naturalHeight)) return;
          setBlocked(true);
          setProblem(t('chat.photoTooManyPixels', { max: LIMITS.photo.maxPixels / 1_000_000 }));
        }}
      />
      <label htmlFor={`${id}-caption`} className="caption-label">
        {t('chat.caption')}
      </label>
      <textarea
        id={`${id}-caption`}
        rows={2}
        maxLength={LIMITS.message.maxChars}
        value={caption}
        readOnly={sending}
        onChange={(e) => setCaption(e.target.value)}
      />
      {sending ? (
        <div className="upload-progress">
          <label htmlFor={`${id}-progress`}>{t('chat.uploading', { percent })}</label>
          <progress id={`${id}-progress`} max={100} value={percent} />
        </div>
      ) : null}
      {/* Polite and outside the buttons: said once, whatever changed it. */}
      <p className="problem" role="status">
        {problem}
      </p>
    </Dialog>
  );
}

/** A camera, drawn (an emoji would depend on the fonts at hand). */
function CameraIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M9 3 7.2 5H4a2 2 0 0 0-2 2v11a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-3.2L15 3H9zm3 5a5 5 0 1 1 0 10 5 5 0 0 1 0-10zm0 2a3 3 0 1 0 0 6 3 3 0 0 0 0-6z"
      />
    </svg>
  );
}
