import { randomUUID } from 'node:crypto';
import zlib from 'node:zlib';
import { TRPCClientError } from '@trpc/client';
import { LIMITS, type Session, type User } from '@youngchat/shared';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertUser } from '../src/modules/users/users.repository.ts';
import type { AppRouter } from '../src/index.ts';
import { createAccount, httpClient } from './clients.ts';
import type { TestServer } from './harness.ts';
import { describeOnBothBlobStores } from './s3rver.ts';

type Api = ReturnType<typeof httpClient>;
interface ErrorData {
  appCode: string;
  httpStatus: number;
  issues?: { path: string; message: string }[];
}

/** The error data of a call that must fail; a call that succeeds fails the test. */
async function refusal(call: Promise<unknown>): Promise<ErrorData> {
  const error = await call.then(
    (value) => {
      throw new Error(`expected a refusal, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return (error as TRPCClientError<AppRouter>).data as ErrorData;
}

function upload(api: Api, bytes: Uint8Array, name: string, type = 'image/png'): Promise<User> {
  const form = new FormData();
  form.append('file', new File([bytes], name, { type }));
  return api.profile.setAvatar.mutate(form);
}

const keyOf = (user: User) => user.avatarUrl?.slice('/files/'.length) ?? '';
const keyPattern = (userId: string) => new RegExp(`^avatars/${userId}/[0-9a-f-]{36}\\.(png|jpg|webp|gif)$`);

/** 40×20, left half red and right half blue, with EXIF orientation 6 (rotate 90° clockwise to view) and GPS. */
function exifImage(format: 'png' | 'jpeg' | 'webp'): Promise<Buffer> {
  const red = { create: { width: 20, height: 20, channels: 3 as const, background: '#ff0000' } };
  return sharp({ create: { width: 40, height: 20, channels: 3, background: '#0000ff' } })
    .composite([{ input: red, left: 0, top: 0 }])
    .toFormat(format)
    .withMetadata({ orientation: 6 })
    .withExifMerge({
      IFD0: { Make: 'AcmeCam' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '37/1 33/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '126/1 58/1 0/1' },
    })
    .toBuffer();
}

/** True when an EXIF block (TIFF structure, with or without the JPEG `Exif\0\0` prefix) points to a GPS IFD. */
function hasGpsIfd(exif: Buffer): boolean {
  const littleEndian = exif.includes('II*\0');
  return exif.includes(Buffer.from(littleEndian ? [0x25, 0x88] : [0x88, 0x25]));
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A 1 KiB PNG whose header declares 20000×20000 grey pixels (400 megapixels, 400 MB decoded). */
function pixelBomb(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(20_000, 0);
  header.writeUInt32BE(20_000, 4);
  header[8] = 8; // bit depth; colour type 0 (grey) is already there
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlib.deflateSync(Buffer.alloc(20_001 * 50))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const solid = (format: 'png' | 'gif', width = 64, height = 48) =>
  sharp({ create: { width, height, channels: 3, background: '#33aa55' } })[format]().toBuffer();

async function fetchFile(server: TestServer, user: User) {
  const res = await fetch(`${server.url}${user.avatarUrl}`);
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

function profileSuite(getServer: () => TestServer) {
  let me: Session;
  let other: Session;
  let third: Session;
  let api: Api;
  const storeList = (userId: string) => getServer().deps.blobStore.list(`avatars/${userId}/`);

  beforeAll(async () => {
    // Sign-up is rate limited per IP, so the suite shares three accounts.
    me = await createAccount(getServer(), { nickname: 'Zebra Kim' });
    other = await createAccount(getServer(), { nickname: 'zebedee Park' });
    third = await createAccount(getServer(), { nickname: 'Azeb Lee' });
    api = httpClient(getServer(), { accessToken: me.accessToken });
  });

  describe('profile.get and profile.update', () => {
    it('shows your own email, and nobody else\'s', async () => {
      const mine = await api.profile.get.query({ userId: me.user.id });
      expect(mine).toEqual({ ...me.user, email: me.user.email });
      expect(mine.email).toMatch(/@example\.com$/);
      const theirs = await api.profile.get.query({ userId: other.user.id });
      expect(theirs).toEqual({ id: other.user.id, nickname: 'zebedee Park', statusMessage: '', avatarUrl: null });
      expect(theirs).not.toHaveProperty('email');
    });

    it('answers NOT_FOUND for an unknown id and BAD_INPUT with the field for a malformed one', async () => {
      expect((await refusal(api.profile.get.query({ userId: randomUUID() }))).appCode).toBe('NOT_FOUND');
      const bad = await refusal(api.profile.get.query({ userId: '../../etc/passwd' }));
      expect(bad).toMatchObject({ appCode: 'BAD_INPUT', httpStatus: 400 });
      expect(bad.issues?.map((i) => i.path)).toEqual(['userId']);
    });

    it('updates your own nickname and status message, trimmed, as others then see them', async () => {
      const thirdApi = httpClient(getServer(), { accessToken: third.accessToken });
      const updated = await thirdApi.profile.update.mutate({ nickname: '  Azeb Lee  ', statusMessage: ' 안녕하세요 👋 ' });
      expect(updated).toMatchObject({ id: third.user.id, email: third.user.email, nickname: 'Azeb Lee', statusMessage: '안녕하세요 👋' });
      const statusOnly = await thirdApi.profile.update.mutate({ statusMessage: 'away' });
      expect(statusOnly).toMatchObject({ nickname: 'Azeb Lee', statusMessage: 'away' });
      expect(await api.profile.get.query({ userId: third.user.id })).toEqual({
        id: third.user.id,
        nickname: 'Azeb Lee',
        statusMessage: 'away',
        avatarUrl: null,
      });
    });

    it('refuses invalid changes with BAD_INPUT naming the field, control and format characters included', async () => {
      const cases: [Parameters<Api['profile']['update']['mutate']>[0], string][] = [
        [{ nickname: 'x'.repeat(LIMITS.nickname.max + 1) }, 'nickname'],
        [{ nickname: '   ' }, 'nickname'],
        [{ nickname: 'Bob\u0000' }, 'nickname'],
        [{ nickname: 'ad\u202Enimda' }, 'nickname'], // right-to-left override: shows as "adadmin"
        [{ nickname: 'zero\u200Bwidth' }, 'nickname'],
        [{ statusMessage: 'ring\u0007' }, 'statusMessage'],
        [{ statusMessage: 'line\nbreak' }, 'statusMessage'],
        [{ statusMessage: 'y'.repeat(LIMITS.statusMessage.max + 1) }, 'statusMessage'],
      ];
      for (const [input, field] of cases) {
        const data = await refusal(api.profile.update.mutate(input));
        expect(data.appCode, JSON.stringify(input)).toBe('BAD_INPUT');
        expect(data.issues?.map((i) => i.path), JSON.stringify(input)).toEqual([field]);
      }
      expect((await refusal(api.profile.update.mutate({}))).appCode).toBe('BAD_INPUT');
      expect((await api.profile.get.query({ userId: me.user.id })).nickname).toBe('Zebra Kim');
    });
  });

  describe('users.search', () => {
    it('finds nickname prefixes case-insensitively, without anyone else\'s email', async () => {
      for (const query of ['zeb', 'ZEB', ' Zeb ']) {
        const found = await api.users.search.query({ query });
        expect(found.map((u) => u.nickname), query).toEqual(['zebedee Park', 'Zebra Kim']);
        expect(found.find((u) => u.id === me.user.id)?.email).toBe(me.user.email);
        expect(found.find((u) => u.id === other.user.id)).not.toHaveProperty('email');
      }
      expect(await api.users.search.query({ query: 'Lee' })).toEqual([]); // a prefix, not a substring
    });

    it('finds an exact email (in any case) but not part of one, and treats LIKE wildcards literally', async () => {
      const found = await api.users.search.query({ query: other.user.email!.toUpperCase() });
      expect(found).toEqual([{ id: other.user.id, nickname: 'zebedee Park', statusMessage: '', avatarUrl: null }]);
      expect(await api.users.search.query({ query: other.user.email!.slice(0, -1) })).toEqual([]);
      for (const query of ['%', '_', '\\', '%eb']) expect(await api.users.search.query({ query }), query).toEqual([]);
    });

    it(`returns at most ${LIMITS.searchResults} users`, async () => {
      const { db } = getServer().deps.database;
      for (let i = 0; i < LIMITS.searchResults + 5; i += 1) {
        await insertUser(db, { id: randomUUID(), email: `many${i}@example.com`, passwordHash: 'x', nickname: `Many ${i}` });
      }
      const found = await api.users.search.query({ query: 'many' });
      expect(found).toHaveLength(LIMITS.searchResults);
      expect(found.every((u) => u.email === undefined)).toBe(true);
    });

    it('meters searches per user, since an exact-email hit tells that the email has an account', async () => {
      const searcher = await createAccount(getServer());
      const client = httpClient(getServer(), { accessToken: searcher.accessToken });
      const answers = await Promise.all(
        Array.from({ length: 61 }, (_, i) => client.users.search.query({ query: `nobody${i}@example.com` }).then(() => 'ok', (e: unknown) => (e as { data?: { appCode?: string } }).data?.appCode)),
      );
      expect(answers.filter((a) => a === 'ok')).toHaveLength(60);
      expect(answers.filter((a) => a === 'RATE_LIMITED')).toHaveLength(1);
    });

    it('refuses an empty, oversized or control-character query with BAD_INPUT', async () => {
      // NUL reached PostgreSQL once and came back as a 500.
      for (const query of ['', '   ', 'q'.repeat(LIMITS.searchQuery.max + 1), '\u0000', 'ab\u0000', 'a\u001b[31m', 'a\u202eb']) {
        expect((await refusal(api.users.search.query({ query }))).issues?.[0]?.path).toBe('query');
      }
    });
  });

  describe('profile.setAvatar and profile.removeAvatar', () => {
    it('answers 503 with Retry-After, not 404, while the file store fails, and logs it', async () => {
      const user = await upload(api, await exifImage('png'), 'store-down.png');
      const store = getServer().deps.blobStore;
      const get = store.get;
      store.get = () => Promise.reject(new Error('the store is down'));
      try {
        const { res } = await fetchFile(getServer(), user);
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('2');
        expect(getServer().logs.lines.some((l) => l.msg === 'file unavailable')).toBe(true);
      } finally {
        store.get = get;
      }
      expect((await fetchFile(getServer(), user)).res.status).toBe(200);
    });

    it.each(['png', 'jpeg', 'webp'] as const)(
      'stores a %s re-encoded: orientation applied, EXIF and GPS gone, served with nosniff',
      async (format) => {
        const original = await exifImage(format);
        const before = await sharp(original).metadata();
        expect(before).toMatchObject({ orientation: 6, width: 40, height: 20 });
        expect(hasGpsIfd(before.exif!)).toBe(true);
        expect(original.includes('AcmeCam')).toBe(true);

        const user = await upload(api, original, `photo.${format}`);
        const ext = format === 'jpeg' ? 'jpg' : format;
        expect(keyOf(user)).toMatch(keyPattern(me.user.id));
        expect(keyOf(user).endsWith(`.${ext}`)).toBe(true);

        const { res, bytes } = await fetchFile(getServer(), user);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe(format === 'jpeg' ? 'image/jpeg' : `image/${format}`);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        const after = await sharp(bytes).metadata();
        expect(after).toMatchObject({ format, width: 20, height: 40 });
        expect(after.exif).toBeUndefined();
        expect(after.orientation).toBeUndefined();
        expect(bytes.includes('AcmeCam')).toBe(false);
        // Rotated 90° clockwise, the red left half is now on top.
        const { data } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
        const topPixel = [data[0], data[1], data[2]];
        expect(topPixel[0]).toBeGreaterThan(200);
        expect(topPixel[2]).toBeLessThan(60);
      },
    );

    it('shrinks a large picture to fit the avatar square', async () => {
      const user = await upload(api, await solid('png', 1600, 900), 'big.png');
      const { bytes } = await fetchFile(getServer(), user);
      expect(await sharp(bytes).metadata()).toMatchObject({ width: LIMITS.avatar.sizePx, height: 288 });
    });

    it('stores a GIF as its first frame in PNG, with a matching extension and type', async () => {
      const user = await upload(api, await solid('gif'), 'moving.gif', 'image/gif');
      expect(keyOf(user)).toMatch(/\.png$/);
      const { res, bytes } = await fetchFile(getServer(), user);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect((await sharp(bytes).metadata()).format).toBe('png');
    });

    it('never uses the file name: Korean in NFC and NFD, a path, a lying Content-Type', async () => {
      const nfc = '프로필 사진.png'.normalize('NFC');
      const nfd = nfc.normalize('NFD');
      expect(nfd).not.toBe(nfc);
      const png = await solid('png');
      for (const [name, type] of [[nfc, 'image/png'], [nfd, 'image/png'], ['../../a.png', 'image/png'], ['x.html', 'text/html']]) {
        const user = await upload(api, png, name!, type);
        expect(keyOf(user), name).toMatch(keyPattern(me.user.id));
        const { res, bytes } = await fetchFile(getServer(), user);
        expect(res.status, name).toBe(200);
        expect(res.headers.get('content-type')).toBe('image/png');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect((await sharp(bytes).metadata()).format).toBe('png');
      }
    });

    it('keeps only the pixels of a valid PNG with HTML appended', async () => {
      const polyglot = Buffer.concat([await solid('png'), Buffer.from('<html><script>alert(document.cookie)</script>')]);
      const user = await upload(api, polyglot, 'poly.png');
      const { bytes } = await fetchFile(getServer(), user);
      expect(bytes.includes('<script')).toBe(false);
    });

    it('refuses anything but a decodable PNG, JPEG, WebP or GIF with a typed code, never a 500', async () => {
      const before = await api.profile.get.query({ userId: me.user.id });
      const keysBefore = await storeList(me.user.id);
      const png = await solid('png');
      const brokenPolyglot = Buffer.concat([png.subarray(0, 33), Buffer.from('<html><script>alert(1)</script></html>')]);
      const bigPng = Buffer.concat([png, Buffer.alloc(LIMITS.avatar.maxBytes + 1 - png.length)]);
      const cases: [string, Uint8Array, string, string][] = [
        ['svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>'), 'a.svg', 'UNSUPPORTED_FILE'],
        ['html', Buffer.from('<!doctype html><script>alert(1)</script>'), 'a.png', 'UNSUPPORTED_FILE'],
        ['pdf', Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF'), 'a.pdf', 'UNSUPPORTED_FILE'],
        ['text renamed .png', Buffer.from('just some text, honest'), 'a.png', 'UNSUPPORTED_FILE'],
        ['PNG header + HTML', brokenPolyglot, 'a.png', 'UNSUPPORTED_FILE'],
        ['TIFF', await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } }).tiff().toBuffer(), 'a.png', 'UNSUPPORTED_FILE'],
        ['empty', new Uint8Array(0), 'a.png', 'UNSUPPORTED_FILE'],
        ['pixel bomb', pixelBomb(), 'bomb.png', 'PAYLOAD_TOO_LARGE'],
        ['one byte over the cap', bigPng, 'big.png', 'PAYLOAD_TOO_LARGE'],
        ['far over the cap', Buffer.concat([png, Buffer.alloc(3 * LIMITS.avatar.maxBytes)]), 'huge.png', 'PAYLOAD_TOO_LARGE'],
      ];
      for (const [label, bytes, name, appCode] of cases) {
        const data = await refusal(upload(api, bytes, name, 'image/png'));
        expect(data.appCode, label).toBe(appCode);
        expect(data.httpStatus, label).toBe(appCode === 'PAYLOAD_TOO_LARGE' ? 413 : 415);
      }
      expect(await api.profile.get.query({ userId: me.user.id })).toEqual(before);
      expect(await storeList(me.user.id)).toEqual(keysBefore);
    });

    it('cuts off a huge body at the HTTP layer instead of buffering it', async () => {
      let sent = 0;
      let stop = false;
      // One body cap for every upload: the largest (a photo's).
      const cap = Math.max(LIMITS.avatar.maxBytes, LIMITS.photo.maxBytes);
      // Ends at 16 times the cap, so that a server without a limit answers too, and fails the last check.
      const huge = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (stop || sent >= 16 * cap) return controller.close();
          sent += 64 * 1024;
          controller.enqueue(new Uint8Array(64 * 1024));
        },
      });
      const res = await fetch(`${getServer().url}/trpc/profile.setAvatar`, {
        method: 'POST',
        body: huge,
        duplex: 'half',
        signal: AbortSignal.timeout(20_000),
        headers: { authorization: `Bearer ${me.accessToken}`, 'content-type': 'multipart/form-data; boundary=x' },
      } as RequestInit);
      stop = true;
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { data: ErrorData } }).error.data.appCode).toBe('PAYLOAD_TOO_LARGE');
      // Cut off before the end: how far the client got first depends on how busy the machine is (CI saw 3.4 × cap).
      expect(sent).toBeLessThan(16 * cap);
    });

    it('refuses a form without a file with BAD_INPUT', async () => {
      const form = new FormData();
      form.append('file', 'not a file');
      const data = await refusal(api.profile.setAvatar.mutate(form));
      expect(data).toMatchObject({ appCode: 'BAD_INPUT', issues: [{ path: 'file' }] });
      expect((await refusal(api.profile.setAvatar.mutate(new FormData()))).appCode).toBe('BAD_INPUT');
    });

    it('deletes the old object on replace and the current one on remove', async () => {
      const theirApi = httpClient(getServer(), { accessToken: other.accessToken });
      const first = await upload(theirApi, await solid('png'), 'a.png');
      expect(await storeList(other.user.id)).toEqual([keyOf(first)]);
      const second = await upload(theirApi, await exifImage('jpeg'), 'b.jpg', 'image/jpeg');
      expect(keyOf(second)).not.toBe(keyOf(first));
      expect(await storeList(other.user.id)).toEqual([keyOf(second)]);
      expect((await fetchFile(getServer(), first)).res.status).toBe(404);
      expect((await api.profile.get.query({ userId: other.user.id })).avatarUrl).toBe(second.avatarUrl);

      const removed = await theirApi.profile.removeAvatar.mutate();
      expect(removed).toMatchObject({ id: other.user.id, email: other.user.email, avatarUrl: null });
      expect(await storeList(other.user.id)).toEqual([]);
      expect((await fetchFile(getServer(), second)).res.status).toBe(404);
      expect((await theirApi.profile.removeAvatar.mutate()).avatarUrl).toBeNull(); // idempotent
    });

    it('leaves exactly one object after concurrent uploads', async () => {
      const thirdApi = httpClient(getServer(), { accessToken: third.accessToken });
      const png = await solid('png');
      await Promise.all(Array.from({ length: 4 }, () => upload(thirdApi, png, 'a.png')));
      const current = await thirdApi.profile.get.query({ userId: third.user.id });
      expect(await storeList(third.user.id)).toEqual([keyOf(current)]);
    });
  });

  it('answers UNAUTHORIZED to every procedure without a token', async () => {
    const anonymous = httpClient(getServer());
    const form = new FormData();
    form.append('file', new File([await solid('png')], 'a.png', { type: 'image/png' }));
    const calls = [
      () => anonymous.profile.get.query({ userId: me.user.id }),
      () => anonymous.profile.update.mutate({ nickname: 'Mallory' }),
      () => anonymous.profile.setAvatar.mutate(form),
      () => anonymous.profile.removeAvatar.mutate(),
      () => anonymous.users.search.query({ query: 'zeb' }),
    ];
    for (const call of calls) expect(await refusal(call())).toMatchObject({ appCode: 'UNAUTHORIZED', httpStatus: 401 });
    expect((await api.profile.get.query({ userId: me.user.id })).nickname).toBe('Zebra Kim');
  });
}

await describeOnBothBlobStores('profiles and avatars', profileSuite);
