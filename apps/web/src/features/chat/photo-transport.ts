import type { Message } from '@youngchat/shared';
import type { RefreshOutcome } from '../auth/auth.session.ts';
import { BlobCache, readEnvelope, UploadError } from './chat.photos.ts';

/**
 * Photos over plain HTTP with the access token: the upload by hand (tRPC's links report no progress and cannot be
 * stopped half-way), and pictures fetched for <img>, which cannot send an Authorization header itself. Both renew
 * an expired token once and try again, as the tRPC client does for every other call.
 */

export interface PhotoToSend {
  roomId: string;
  /** The same on a second try, so a photo whose answer was lost is not stored twice. */
  clientId: string;
  file: Blob;
  caption: string;
  replyToId: string | null;
}

/** The signed-in session, as photos need it (auth.session.ts). */
export interface PhotoAuth {
  store: { accessToken(): string | null };
  refresh(): Promise<RefreshOutcome>;
}

async function withRenewal<T>(auth: PhotoAuth, attempt: () => Promise<T>, unauthorized: (error: unknown) => boolean): Promise<T> {
  const hadToken = auth.store.accessToken() !== null;
  try {
    return await attempt();
  } catch (error) {
    if (!hadToken || !unauthorized(error) || (await auth.refresh()) !== 'renewed') throw error;
    return attempt();
  }
}

const isUnauthorizedUpload = (error: unknown) => error instanceof UploadError && error.data?.appCode === 'UNAUTHORIZED';

/** messages.sendPhoto with progress (0…1) and a way to stop it; rejects with an UploadError or an AbortError. */
export function uploadPhoto(auth: PhotoAuth, photo: PhotoToSend, onProgress: (share: number) => void, signal: AbortSignal): Promise<Message> {
  return withRenewal(auth, () => sendOnce(auth.store.accessToken(), photo, onProgress, signal), isUnauthorizedUpload);
}

function sendOnce(token: string | null, photo: PhotoToSend, onProgress: (share: number) => void, signal: AbortSignal): Promise<Message> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new DOMException('stopped', 'AbortError'));
    const form = new FormData();
    form.append('roomId', photo.roomId);
    form.append('clientId', photo.clientId);
    if (photo.caption) form.append('caption', photo.caption);
    if (photo.replyToId) form.append('replyToId', photo.replyToId);
    form.append('file', photo.file);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/trpc/messages.sendPhoto');
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    const stop = () => xhr.abort();
    signal.addEventListener('abort', stop, { once: true });
    xhr.onloadend = () => signal.removeEventListener('abort', stop);
    xhr.onabort = () => reject(new DOMException('stopped', 'AbortError'));
    xhr.onerror = () => reject(new UploadError(null));
    xhr.onload = () => {
      const answer = readEnvelope(xhr.status, xhr.responseText);
      if (answer.ok) resolve(answer.message);
      else reject(answer.error);
    };
    xhr.send(form);
  });
}

class PhotoFetchError extends Error {
  constructor(readonly status: number) {
    super(`photo answered ${status}`);
  }
}

async function fetchPhoto(auth: PhotoAuth, url: string): Promise<Blob> {
  return withRenewal(
    auth,
    async () => {
      const token = auth.store.accessToken();
      const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, credentials: 'omit' });
      if (!res.ok) throw new PhotoFetchError(res.status);
      return res.blob();
    },
    (error) => error instanceof PhotoFetchError && error.status === 401,
  );
}

/** Thumbnails of a few screens of history stay ready (each a few tens of KB). */
const KEEP_UNUSED = 60;

/** One signed-in person's pictures (chat.session.ts makes one per sign-in, and clears it on the way out). */
export function photoCache(auth: PhotoAuth): BlobCache {
  return new BlobCache({
    load: (url) => fetchPhoto(auth, url),
    createUrl: (blob) => URL.createObjectURL(blob),
    revokeUrl: (u) => URL.revokeObjectURL(u),
    keepUnused: KEEP_UNUSED,
  });
}
