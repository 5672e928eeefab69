import { LIMITS } from '@youngchat/shared';
import { describe, expect, it } from 'vitest';
import { toProblem } from '../../lib/problems.ts';
import { message } from './chat.fixtures.ts';
import { BlobCache, checkPhoto, photoBox, readEnvelope, tooManyPixels } from './chat.photos.ts';

describe('checks before an upload', () => {
  it('refuses what is plainly not a photo, or too big, and lets an unknown type through for the server', () => {
    expect(checkPhoto({ size: 1000, type: 'image/jpeg' })).toBeNull();
    expect(checkPhoto({ size: LIMITS.photo.maxBytes, type: 'image/png' })).toBeNull();
    expect(checkPhoto({ size: LIMITS.photo.maxBytes + 1, type: 'image/png' })).toBe('PAYLOAD_TOO_LARGE');
    expect(checkPhoto({ size: 1000, type: 'application/pdf' })).toBe('UNSUPPORTED_FILE');
    expect(checkPhoto({ size: 0, type: 'image/png' })).toBe('UNSUPPORTED_FILE');
    expect(checkPhoto({ size: 1000, type: '' })).toBeNull();
  });

  it('knows a picture with more pixels than the server decodes', () => {
    expect(tooManyPixels(7000, 7000)).toBe(false);
    expect(tooManyPixels(10_000, 5_001)).toBe(true);
  });
});

describe('photoBox (a thumbnail’s size in a bubble)', () => {
  it('keeps the picture’s proportions inside the box', () => {
    expect(photoBox(2048, 1024)).toEqual({ width: 260, height: 130 });
    expect(photoBox(1000, 2000)).toEqual({ width: 160, height: 320 });
    expect(photoBox(200, 100)).toEqual({ width: 200, height: 100 });
  });

  it('makes a tiny picture big enough to tap, and survives a size of nothing', () => {
    expect(photoBox(64, 32)).toEqual({ width: 120, height: 60 });
    expect(photoBox(0, 0)).toEqual({ width: 260, height: 260 });
  });
});

describe('readEnvelope (the answer to a hand-made upload)', () => {
  const sent = message('r1', 4, 'u-ann', { body: '', attachment: { kind: 'image', url: '/files/a', thumbUrl: '/files/b', width: 4, height: 3 } });

  it('gives the message of a successful answer', () => {
    expect(readEnvelope(200, JSON.stringify({ result: { data: sent } }))).toEqual({ ok: true, message: sent });
  });

  it('gives the API’s appCode as toProblem reads any tRPC error, retry time included', () => {
    const refused = readEnvelope(400, JSON.stringify({ error: { message: 'x', code: -32600, data: { appCode: 'UNSUPPORTED_FILE', httpStatus: 400 } } }));
    expect(refused.ok).toBe(false);
    expect(!refused.ok && toProblem(refused.error)).toEqual({ code: 'UNSUPPORTED_FILE', issues: [] });
    const limited = readEnvelope(429, JSON.stringify({ error: { data: { appCode: 'RATE_LIMITED', retryAfterMs: 1500 } } }));
    expect(!limited.ok && toProblem(limited.error)).toEqual({ code: 'RATE_LIMITED', issues: [], retryAfterMs: 1500 });
  });

  it('tells no answer (a proxy’s page) from a server error without our code, and reads a proxy’s 413', () => {
    const codeOf = (status: number, text: string) => {
      const answer = readEnvelope(status, text);
      return answer.ok ? 'ok' : toProblem(answer.error).code;
    };
    expect(codeOf(502, '<html>Bad gateway</html>')).toBe('NETWORK');
    expect(codeOf(500, JSON.stringify({ error: { message: 'boom' } }))).toBe('INTERNAL');
    expect(codeOf(413, '<html>Request Entity Too Large</html>')).toBe('PAYLOAD_TOO_LARGE');
    // A success status around something that is not a message is not taken for one.
    expect(codeOf(200, JSON.stringify({ result: { data: { id: 1 } } }))).toBe('INTERNAL');
  });
});

describe('BlobCache (pictures fetched with the token, shown as blob: URLs)', () => {
  function cache(keepUnused = 1) {
    const loads: string[] = [];
    const revoked: string[] = [];
    const failing = new Set<string>();
    const photos = new BlobCache({
      load: async (url) => {
        loads.push(url);
        if (failing.has(url)) throw new Error('404');
        return new Blob([url]);
      },
      createUrl: () => `blob:${loads.length}`,
      revokeUrl: (u) => void revoked.push(u),
      keepUnused,
    });
    return { photos, loads, revoked, failing };
  }
  const settle = () => new Promise((r) => setTimeout(r, 0));

  it('fetches each picture once, however many show it, and keeps it while shown', async () => {
    const { photos, loads, revoked } = cache(0);
    const [a, b] = await Promise.all([photos.acquire('/p/1'), photos.acquire('/p/1')]);
    expect(a).toBe(b);
    expect(loads).toEqual(['/p/1']);
    photos.release('/p/1');
    await settle();
    expect(revoked).toEqual([]);
    photos.release('/p/1');
    await settle();
    expect(revoked).toEqual([a]);
  });

  it('keeps the most recently shown unused ones, so scrolling back costs nothing, and revokes the older', async () => {
    const { photos, loads, revoked } = cache(1);
    const one = await photos.acquire('/p/1');
    await photos.acquire('/p/2');
    photos.release('/p/1');
    photos.release('/p/2');
    await settle();
    expect(revoked).toEqual([one]);
    await photos.acquire('/p/2');
    expect(loads).toEqual(['/p/1', '/p/2']);
  });

  it('forgets a failed fetch, so the next look tries again; clear revokes everything', async () => {
    const { photos, loads, failing, revoked } = cache(5);
    failing.add('/p/gone');
    await expect(photos.acquire('/p/gone')).rejects.toThrow('404');
    await settle();
    failing.delete('/p/gone');
    const url = await photos.acquire('/p/gone');
    expect(loads).toEqual(['/p/gone', '/p/gone']);
    photos.clear();
    await settle();
    expect(revoked).toEqual([url]);
    expect(photos.size).toBe(0);
  });
});
