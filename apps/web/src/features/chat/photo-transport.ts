import type { Message } from '@youngchat/shared';
import { refreshSession } from '../auth/auth.session.ts';
import { getAccessToken } from '../auth/auth.store.ts';
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

async function withRenewal<T>(attempt: () => Promise<T>, unauthorized: (error: unknown) => boolean): Promise<T> {
  const hadToken = getAccessToken() !== null;
  try {
    return await attempt();
  } catch (error) {
    if (!hadToken || !unauthorized(error) || (await refreshSession()) !== 'renewed') throw error;
    return attempt();
  }
}

const isUnauthorizedUpload = (error: unknown) => error instanceof UploadError && error.data?.appCode === 'UNAUTHORIZED';

/** messages.sendPhoto with progress (0…1) and a way to stop it; rejects with an UploadError or an AbortError. */
export function uploadPhoto(photo: PhotoToSend, onProgress: (share: number) => void, signal: AbortSignal): Promise<Message> {
  return withRenewal(() => sendOnce(photo, onProgress, signal), isUnauthorizedUpload);
}

function sendOnce(photo: PhotoToSend, onProgress: (share: number) => void, signal: AbortSignal): Promise<Message> {
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
    const token = getAccessToken();
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

async function fetchPhoto(url: string): Promise<Blob> {
  return withRenewal(
    async () => {
      const token = getAccessToken();
      const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, credentials: 'omit' });
      if (!res.ok) throw new PhotoFetchError(res.status);
      return res.blob();
    },
    (error) => error instanceof PhotoFetchError && error.status === 401,
  );
}

/** Thumbnails of a few screens of history stay ready (each a few tens of KB). */
const KEEP_UNUSED = 60;

let cache: { userId: string; photos: BlobCache } | null = null;

/** The signed-in person's pictures; another person signing in on this tab starts with none. */
export function photosFor(userId: string): BlobCache {
  if (cache?.userId !== userId) {
    cache?.photos.clear();
    cache = {
      userId,
      photos: new BlobCache({ load: fetchPhoto, createUrl: (blob) => URL.createObjectURL(blob), revokeUrl: (u) => URL.revokeObjectURL(u), keepUnused: KEEP_UNUSED }),
    };
  }
  return cache.photos;
}

/** On logout. */
export function forgetPhotos(): void {
  cache?.photos.clear();
  cache = null;
}
