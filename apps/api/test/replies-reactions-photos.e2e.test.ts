import { randomUUID } from 'node:crypto';
import { REACTIONS, type Message, type Room, type Session } from '@youngchat/shared';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import { appCodeOf, createAccount, httpClient } from './clients.ts';
import type { TestServer } from './harness.ts';
import { describeOnBothBlobStores } from './s3rver.ts';
import { listen } from './streams.ts';

/** 40×20, with EXIF orientation 6 (shown 20×40) and a GPS position. */
const exifJpeg = () =>
  sharp({ create: { width: 40, height: 20, channels: 3, background: '#0000ff' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExifMerge({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '37/1 33/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '126/1 58/1 0/1' } })
    .toBuffer();

function photoForm(fields: Record<string, string>, bytes: Uint8Array, name = 'photo.jpg', type = 'image/jpeg'): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('file', new File([bytes], name, { type }));
  return form;
}

function suite(getServer: () => TestServer) {
  let ann: Session;
  let bob: Session;
  let stranger: Session;
  let room: Room;
  const as = (s: Session) => httpClient(getServer(), { accessToken: s.accessToken });
  const send = (s: Session, body: string, replyToId?: string) =>
    as(s).messages.send.mutate({ roomId: room.id, body, clientId: randomUUID(), replyToId });
  const inHistory = async (s: Session, id: string): Promise<Message | undefined> =>
    (await as(s).messages.list.query({ roomId: room.id, limit: 100 })).items.find((m) => m.id === id);
  const fetchFile = (url: string, s?: Session) =>
    fetch(`${getServer().url}${url}`, { headers: s ? { authorization: `Bearer ${s.accessToken}` } : {} });

  beforeAll(async () => {
    [ann, bob, stranger] = await Promise.all([
      createAccount(getServer(), { nickname: 'Ann' }),
      createAccount(getServer(), { nickname: 'Bob' }),
      createAccount(getServer(), { nickname: 'Stranger' }),
    ]);
    room = await as(ann).rooms.createGroup.mutate({ name: 'Family', memberIds: [bob.user.id] });
  });

  it('sends a reply quoting the message it answers, live and in history, and shows the quote deleted once it is', async () => {
    const live = listen(getServer(), ann, 'ws');
    await live.ready;
    try {
      const original = await send(ann, 'Dinner at seven?');
      const reply = await send(bob, 'Yes!', original.id);
      const quote = { id: original.id, senderId: ann.user.id, snippet: 'Dinner at seven?', deleted: false, photo: false };
      expect(reply.replyTo).toEqual(quote);
      expect((await inHistory(ann, reply.id))?.replyTo).toEqual(quote);
      await live.until((r) => r.some((e) => e.event.type === 'message.created' && e.event.message.id === reply.id));
      const created = live.received.find((e) => e.event.type === 'message.created' && e.event.message.id === reply.id)!;
      expect(created.event).toMatchObject({ message: { replyTo: quote } });

      await as(ann).messages.delete.mutate({ messageId: original.id });
      expect((await inHistory(bob, reply.id))?.replyTo).toEqual({ ...quote, snippet: '', deleted: true });
    } finally {
      live.close();
    }
  });

  it('refuses to answer a message of another room, a deleted one or one that does not exist, and keeps a retry single', async () => {
    const elsewhere = await as(ann).rooms.openDirect.mutate({ userId: stranger.user.id });
    const there = await as(ann).messages.send.mutate({ roomId: elsewhere.id, body: 'elsewhere', clientId: randomUUID() });
    const gone = await send(ann, 'soon gone');
    await as(ann).messages.delete.mutate({ messageId: gone.id });
    expect(await appCodeOf(send(bob, 'to another room', there.id))).toBe('NOT_FOUND');
    expect(await appCodeOf(send(bob, 'to a deleted one', gone.id))).toBe('NOT_FOUND');
    expect(await appCodeOf(send(bob, 'to nothing', randomUUID()))).toBe('NOT_FOUND');

    const original = await send(ann, 'question');
    const clientId = randomUUID();
    const replies = await Promise.all(
      [1, 2, 3].map(() => as(bob).messages.send.mutate({ roomId: room.id, body: 'answer', clientId, replyToId: original.id })),
    );
    expect(new Set(replies.map((r) => r.id)).size).toBe(1);
    expect(replies[0]!.replyTo?.id).toBe(original.id);
  });

  it('toggles reactions, one of each per person, counted in REACTIONS order, live and after a resume', async () => {
    const message = await send(ann, 'We have a puppy');
    const before = listen(getServer(), ann, 'ws');
    await before.ready;
    await as(bob).messages.react.mutate({ messageId: message.id, emoji: '❤️' }); // a lastEventId from here on
    await before.until((r) => r.some((e) => e.event.type === 'message.updated'));
    const resumeFrom = before.lastId();
    before.close();

    await as(ann).messages.react.mutate({ messageId: message.id, emoji: '❤️' });
    await as(bob).messages.react.mutate({ messageId: message.id, emoji: '😂' });
    await as(bob).messages.react.mutate({ messageId: message.id, emoji: '❤️' }); // taken back
    const last = await as(ann).messages.react.mutate({ messageId: message.id, emoji: '👍' });
    const expected = [
      { emoji: '❤️', count: 1, userIds: [ann.user.id] },
      { emoji: '👍', count: 1, userIds: [ann.user.id] },
      { emoji: '😂', count: 1, userIds: [bob.user.id] },
    ];
    expect(last.reactions).toEqual(expected);
    expect(expected.map((r) => REACTIONS.indexOf(r.emoji as never))).toEqual([0, 1, 2]);
    expect((await inHistory(bob, message.id))?.reactions).toEqual(expected);

    // Old snapshot + the events since = the fresh snapshot (DESIGN §7.25).
    const resumed = listen(getServer(), bob, 'sse', resumeFrom);
    await resumed.ready;
    try {
      await resumed.until((r) => r.filter((e) => e.event.type === 'message.updated').length === 4);
      const updates = resumed.durable().flatMap((e) => (e.event.type === 'message.updated' ? [e.event.message] : []));
      expect(updates.at(-1)?.reactions).toEqual(expected);
      expect(updates.map((m) => m.reactions.reduce((n, r) => n + r.count, 0))).toEqual([2, 3, 2, 3]);
    } finally {
      resumed.close();
    }

    expect(await appCodeOf(as(bob).messages.react.mutate({ messageId: message.id, emoji: '💩' as never }))).toBe('BAD_INPUT');
    expect(await appCodeOf(as(stranger).messages.react.mutate({ messageId: message.id, emoji: '❤️' }))).toBe('FORBIDDEN');
    await as(ann).messages.delete.mutate({ messageId: message.id });
    expect(await appCodeOf(as(bob).messages.react.mutate({ messageId: message.id, emoji: '❤️' }))).toBe('NOT_FOUND');
    expect((await inHistory(bob, message.id))?.reactions).toEqual([]);
  });

  it('sends a photo re-encoded with a thumbnail, for the room only, once per clientId, and removes both with the message', async () => {
    const store = getServer().deps.blobStore;
    const clientId = randomUUID();
    const form = () => photoForm({ roomId: room.id, clientId, caption: '  Our puppy  ' }, new Uint8Array(0));
    const bytes = await exifJpeg();
    const upload = () => {
      const f = form();
      f.set('file', new File([bytes], '강아지 사진.jpg', { type: 'image/jpeg' }));
      return as(bob).messages.sendPhoto.mutate(f);
    };
    const [photo, retry] = [await upload(), await upload()];
    expect(retry.id).toBe(photo.id);
    expect(photo.body).toBe('Our puppy');
    expect(photo.attachment).toMatchObject({ kind: 'image', width: 20, height: 40 });
    expect(await store.list(`photos/${room.id}/`)).toHaveLength(2);

    const { url, thumbUrl } = photo.attachment!;
    for (const path of [url, thumbUrl]) expect(path).toMatch(new RegExp(`^/files/photos/${room.id}/[0-9a-f-]{36}(\\.thumb)?\\.(jpg|webp)$`));
    const full = await fetchFile(url, ann);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('image/jpeg');
    expect(full.headers.get('cache-control')).toMatch(/^private/);
    const meta = await sharp(Buffer.from(await full.arrayBuffer())).metadata();
    expect({ width: meta.width, height: meta.height, exif: meta.exif, orientation: meta.orientation }).toEqual({
      width: 20,
      height: 40,
      exif: undefined,
      orientation: undefined,
    });
    expect((await fetchFile(thumbUrl, bob)).headers.get('content-type')).toBe('image/webp');
    expect((await fetchFile(url)).status).toBe(401);
    expect((await fetchFile(url, stranger)).status).toBe(404);
    expect((await inHistory(ann, photo.id))?.attachment).toEqual(photo.attachment);

    const edited = await as(bob).messages.edit.mutate({ messageId: photo.id, body: 'Our puppy, Choco' });
    expect(edited).toMatchObject({ body: 'Our puppy, Choco', attachment: photo.attachment });
    const reply = await send(ann, 'So cute', photo.id);
    expect(reply.replyTo).toMatchObject({ id: photo.id, photo: true });

    await as(bob).messages.delete.mutate({ messageId: photo.id });
    expect((await inHistory(ann, photo.id))?.attachment).toBeNull();
    await expect.poll(() => store.list(`photos/${room.id}/`)).toEqual([]);
    expect((await fetchFile(url, ann)).status).toBe(404);
  });

  it('refuses what is not a picture, a pixel bomb and a stranger, storing nothing', async () => {
    const store = getServer().deps.blobStore;
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const huge = await sharp({ create: { width: 8_000, height: 8_000, channels: 3, background: '#000' } }).png({ compressionLevel: 9 }).toBuffer();
    const fields = () => ({ roomId: room.id, clientId: randomUUID() });
    expect(await appCodeOf(as(bob).messages.sendPhoto.mutate(photoForm(fields(), svg, 'a.svg', 'image/svg+xml')))).toBe('UNSUPPORTED_FILE');
    expect(await appCodeOf(as(bob).messages.sendPhoto.mutate(photoForm(fields(), huge, 'huge.png', 'image/png')))).toBe('PAYLOAD_TOO_LARGE');
    expect(await appCodeOf(as(stranger).messages.sendPhoto.mutate(photoForm(fields(), await exifJpeg())))).toBe('FORBIDDEN');
    expect(await appCodeOf(as(bob).messages.sendPhoto.mutate(photoForm({ roomId: 'nope', clientId: randomUUID() }, await exifJpeg())))).toBe(
      'BAD_INPUT',
    );
    expect(await store.list(`photos/${room.id}/`)).toEqual([]);
  });
}

await describeOnBothBlobStores('replies, reactions and photos', suite);
