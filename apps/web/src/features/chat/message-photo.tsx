import type { ImageAttachment } from '@youngchat/shared';
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../ui/dialog.tsx';
import { preview } from './chat.format.ts';
import { photoBox } from './chat.photos.ts';
import { useChat } from './chat.context.tsx';

/** A room's picture as a blob: URL, fetched with the access token (and kept while shown; see BlobCache). */
function usePhoto(url: string): { src: string | null; failed: boolean } {
  const { photos } = useChat();
  const [state, setState] = useState<{ url: string; src: string | null; failed: boolean }>({ url, src: null, failed: false });
  useEffect(() => {
    let live = true;
    photos.acquire(url).then(
      (src) => live && setState({ url, src, failed: false }),
      () => live && setState({ url, src: null, failed: true }),
    );
    return () => {
      live = false;
      photos.release(url);
    };
  }, [url, photos]);
  // A new URL (the message changed) shows nothing of the previous picture.
  return state.url === url ? state : { src: null, failed: false };
}

/**
 * A photo in a bubble: its thumbnail in a box of the picture's proportions from the start (no jump when it
 * arrives), a button that opens the whole picture in a dialog.
 */
export function MessagePhoto({ attachment, alt }: { attachment: ImageAttachment; alt: string }) {
  const { t } = useTranslation();
  const thumb = usePhoto(attachment.thumbUrl);
  const [open, setOpen] = useState(false);
  const box = photoBox(attachment.width, attachment.height);
  return (
    <>
      <button
        type="button"
        className="photo-thumb"
        style={{ width: box.width, aspectRatio: `${box.width} / ${box.height}` }}
        aria-label={t('chat.openPhoto', { alt })}
        onClick={() => setOpen(true)}
      >
        {thumb.src ? (
          <img src={thumb.src} alt={alt} />
        ) : (
          <span className="photo-placeholder">{thumb.failed ? t('chat.photoFailed') : t('chat.photoLoading')}</span>
        )}
      </button>
      {/* Outside the message log, so opening it is not read out as a new message. */}
      {open
        ? createPortal(<PhotoDialog attachment={attachment} alt={alt} onClose={() => setOpen(false)} />, document.getElementById('main') ?? document.body)
        : null}
    </>
  );
}

function PhotoDialog({ attachment, alt, onClose }: { attachment: ImageAttachment; alt: string; onClose: () => void }) {
  const { t } = useTranslation();
  const full = usePhoto(attachment.url);
  return (
    <Dialog title={preview(alt, 60)} onClose={onClose}>
      <div className="photo-full" style={{ aspectRatio: `${attachment.width} / ${attachment.height}` }}>
        {full.src ? (
          <img src={full.src} alt={alt} width={attachment.width} height={attachment.height} />
        ) : (
          <p className="photo-placeholder">{full.failed ? t('chat.photoFailed') : t('chat.photoLoading')}</p>
        )}
      </div>
    </Dialog>
  );
}
