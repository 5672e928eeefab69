import { EVENT_VERSION, type EphemeralEvent } from '@youngchat/shared';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessEventBus } from '../adapters/embedded/in-process-event-bus.ts';
import { RESYNC_JSON } from './checked-event.ts';
import { createStream, type Stream, type StreamEntry, type StreamSubscriber } from './stream.ts';
import { sleep, until } from '../../test/wait.ts';

const entry = (pos: number, roomId: string, userId: string | null = null, membership: StreamEntry['membership'] = null): StreamEntry => ({
  pos,
  roomId,
  userId,
  membership,
  json: JSON.stringify({ pos }),
});

/** A log "in the database" that the stream reads when the bus did not bring an entry. */
function fakeLog() {
  const entries: StreamEntry[] = [];
  let reads = 0;
  return {
    entries,
    reads: () => reads,
    readHead: async () => ({ pos: entries.at(-1)?.pos ?? 0, prunedTo: 0 }),
    readRange: async (after: number, upTo: number, limit: number) => {
      reads += 1;
      return entries.filter((e) => e.pos > after && e.pos <= upTo).slice(0, limit);
    },
  };
}

function subscriber(userId: string, rooms: string[]): StreamSubscriber & { got: number[]; ephemerals: EphemeralEvent[] } {
  const got: number[] = [];
  const ephemerals: EphemeralEvent[] = [];
  return { userId, rooms: new Set(rooms), got, ephemerals, deliver: (e) => got.push(e.pos), ephemeral: (e) => ephemerals.push(e) };
}

describe('the stream of one instance', () => {
  const streams: Stream[] = [];
  afterEach(() => {
    for (const s of streams.splice(0)) s.close();
  });

  async function start(log: ReturnType<typeof fakeLog>, options: { headPollMs?: number; ringSize?: number } = {}) {
    const bus = createInProcessEventBus();
    const stream = createStream({
      bus,
      instanceId: 'here',
      logger: pino({ level: 'silent' }),
      readHead: log.readHead,
      readRange: log.readRange,
      ringSize: options.ringSize ?? 100,
      headPollMs: options.headPollMs ?? 60_000,
      fillDelayMs: 20,
      reachTimeoutMs: 1_000,
    });
    await stream.start();
    streams.push(stream);
    return { stream, bus };
  }

  it('delivers entries in position order, whatever order they arrive in', async () => {
    const log = fakeLog();
    const { stream } = await start(log);
    const ann = subscriber('ann', ['r1']);
    stream.attach(ann);
    stream.publish([entry(3, 'r1')]);
    stream.publish([entry(1, 'r1'), entry(2, 'r1')]);
    expect(ann.got).toEqual([1, 2, 3]);
    expect(log.reads()).toBe(0);
  });

  it('reads from the database what the bus lost: a hole before a later entry', async () => {
    const log = fakeLog();
    const { stream } = await start(log);
    const ann = subscriber('ann', ['r1']);
    stream.attach(ann);
    log.entries.push(entry(1, 'r1'), entry(2, 'r1'), entry(3, 'r1'));
    stream.publish([entry(3, 'r1')]);
    expect(ann.got).toEqual([]);
    await until(() => ann.got.length === 3);
    expect(ann.got).toEqual([1, 2, 3]);
  });

  it('keeps its place when the bus brings entries while the database is being read', async () => {
    const log = fakeLog();
    const slowRead = log.readRange;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    log.readRange = async (after, upTo, limit) => {
      const entries = await slowRead(after, upTo, limit);
      await released;
      return entries;
    };
    const { stream } = await start(log);
    const ann = subscriber('ann', ['r1']);
    stream.attach(ann);
    log.entries.push(entry(1, 'r1'), entry(2, 'r1'), entry(3, 'r1'));
    stream.publish([entry(3, 'r1')]);
    await until(() => log.reads() === 1);
    // The read of 1–2 is out; the bus brings them meanwhile.
    stream.publish([entry(1, 'r1'), entry(2, 'r1')]);
    release();
    await sleep(50);
    expect(ann.got).toEqual([1, 2, 3]);
    expect(ann.ephemerals).toEqual([]);
  });

  it('reads from the database what the bus lost with nothing after it, when the head moves', async () => {
    const log = fakeLog();
    const { stream } = await start(log, { headPollMs: 30 });
    const ann = subscriber('ann', ['r1']);
    stream.attach(ann);
    log.entries.push(entry(1, 'r1'));
    await until(() => ann.got.length === 1);
    expect(stream.applied()).toBe(1);
  });

  it('sends each entry to the subscribers of its room, or of its user, and follows joins and leaves', async () => {
    const log = fakeLog();
    const { stream } = await start(log);
    const ann = subscriber('ann', ['r1']);
    const bob = subscriber('bob', ['r2']);
    stream.attach(ann);
    stream.attach(bob);
    stream.publish([entry(1, 'r1'), entry(2, 'r2'), entry(3, 'r2', 'ann', 'join'), entry(4, 'r2'), entry(5, 'r2', 'ann', 'leave'), entry(6, 'r2')]);
    expect(ann.got).toEqual([1, 3, 4, 5]);
    expect(bob.got).toEqual([2, 4, 6]);
    expect([...ann.rooms]).toEqual(['r1']);
  });

  it('stops delivering to a subscriber once detached', async () => {
    const { stream } = await start(fakeLog());
    const ann = subscriber('ann', ['r1']);
    const detach = stream.attach(ann);
    stream.publish([entry(1, 'r1')]);
    detach();
    stream.publish([entry(2, 'r1')]);
    expect(ann.got).toEqual([1]);
    expect(stream.subscriberCount()).toBe(0);
  });

  it('keeps the latest entries in memory for readers catching up, and says how far back it reaches', async () => {
    const { stream } = await start(fakeLog(), { ringSize: 3 });
    stream.publish([1, 2, 3, 4, 5].map((pos) => entry(pos, 'r1')));
    expect(stream.covers(1)).toBe(false);
    expect(stream.covers(2)).toBe(true);
    expect([...stream.since(2)].map((e) => e.pos)).toEqual([3, 4, 5]);
    expect([...stream.since(4)].map((e) => e.pos)).toEqual([5]);
  });

  it('lets a reader wait until a position has been delivered here, reading the database if need be', async () => {
    const log = fakeLog();
    const { stream } = await start(log);
    log.entries.push(entry(1, 'r1'), entry(2, 'r1'));
    await stream.reach(2);
    expect(stream.applied()).toBe(2);
  });

  it('delivers nothing more once every reader is detached (a shutdown, before readers move elsewhere)', async () => {
    const { stream } = await start(fakeLog());
    const ann = subscriber('ann', ['r1']);
    stream.attach(ann);
    stream.publish([entry(1, 'r1')]);
    stream.detachAll();
    stream.publish([entry(2, 'r1'), entry(3, 'r1', 'ann')]);
    expect(ann.got).toEqual([1]);
    expect(stream.subscriberCount()).toBe(0);
  });

    it('relays what one instance publishes to another on the same bus', async () => {
    const log = fakeLog();
    const bus = createInProcessEventBus();
    const make = async (instanceId: string) => {
      const stream = createStream({ bus, instanceId, logger: pino({ level: 'silent' }), ...log, ringSize: 10, headPollMs: 60_000, fillDelayMs: 20, reachTimeoutMs: 1_000 });
      await stream.start();
      streams.push(stream);
      return stream;
    };
    const [a, b] = [await make('a'), await make('b')];
    const bob = subscriber('bob', ['r1']);
    b.attach(bob);
    a.publish([entry(1, 'r1')]);
    await until(() => bob.got.length === 1);
    expect(log.reads()).toBe(0);
  });

  it('gives readers resync in place of a relayed event they cannot read: another version, or not the shape of its type', async () => {
    const bus = createInProcessEventBus();
    const log = fakeLog();
    const here = createStream({ bus, instanceId: 'here', logger: pino({ level: 'silent' }), ...log, ringSize: 10, headPollMs: 60_000, fillDelayMs: 20, reachTimeoutMs: 1_000 });
    await here.start();
    streams.push(here);
    const jsons: string[] = [];
    here.attach({ ...subscriber('bob', ['r1']), deliver: (e) => jsons.push(e.json) });
    const read = JSON.stringify({ type: 'room.read', roomId: 'r1', userId: 'ann', seq: 3 });
    await bus.publish({
      type: 'stream',
      from: 'elsewhere',
      entries: [
        [1, 'r1', null, null, read, EVENT_VERSION + 1],
        [2, 'r1', null, null, JSON.stringify({ type: 'room.read', roomId: 'r1' }), EVENT_VERSION],
        [3, 'r1', null, null, 'not json', EVENT_VERSION],
        [4, 'r1', null, null, read, EVENT_VERSION],
        [5, 'r1', null, null, read], // from an instance older than versions on the bus: version 1
      ],
    });
    await until(() => jsons.length === 5);
    expect(jsons).toEqual([RESYNC_JSON, RESYNC_JSON, RESYNC_JSON, read, RESYNC_JSON]);
  });
});
