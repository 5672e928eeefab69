import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessEventBus } from '../adapters/embedded/in-process-event-bus.ts';
import type { EventBus } from '../ports/event-bus.ts';
import { createPresence, type Presence } from './presence.ts';
import { sleep, until } from '../../test/wait.ts';

const OPTIONS = { graceMs: 50, heartbeatMs: 40, pollLeaseMs: 80 };

describe('presence across instances sharing a bus', () => {
  const started: Presence[] = [];
  const instance = (bus: EventBus, instanceId: string) => {
    const presence = createPresence(bus, { instanceId, ...OPTIONS });
    const changes: string[] = [];
    presence.onChange((userId, online) => changes.push(`${userId} ${online ? 'on' : 'off'}`));
    started.push(presence);
    return { presence, changes };
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((p) => p.close()));
  });

  it('is online while any instance holds a connection, and offline after the last one ends and the grace passes', async () => {
    const bus = createInProcessEventBus();
    const a = instance(bus, 'a');
    const b = instance(bus, 'b');
    const onA = a.presence.hold('ann');
    const onB = b.presence.hold('ann');
    await until(() => a.changes.length > 0 && b.changes.length > 0);
    onA();
    await sleep(OPTIONS.graceMs * 3);
    expect(a.presence.isOnline('ann')).toBe(true);
    onB();
    await until(() => !a.presence.isOnline('ann') && !b.presence.isOnline('ann'));
    // Each instance reports each change once, whichever instance it happened on.
    expect(a.changes).toEqual(['ann on', 'ann off']);
    expect(b.changes).toEqual(['ann on', 'ann off']);
  });

  it('does not flicker when a connection is replaced within the grace period (a reload, a reconnect)', async () => {
    const bus = createInProcessEventBus();
    const a = instance(bus, 'a');
    a.presence.hold('ann')();
    a.presence.hold('ann');
    await sleep(OPTIONS.graceMs * 3);
    expect(a.changes).toEqual(['ann on']);
  });

  it('keeps a long-polling user online while polls keep coming, and lets them go when they stop', async () => {
    const bus = createInProcessEventBus();
    const a = instance(bus, 'a');
    for (let i = 0; i < 4; i++) {
      a.presence.touch('ann');
      await sleep(OPTIONS.pollLeaseMs / 2);
    }
    expect(a.changes).toEqual(['ann on']);
    await until(() => !a.presence.isOnline('ann'));
    expect(a.changes).toEqual(['ann on', 'ann off']);
  });

  it('tells an instance that starts later who is already online', async () => {
    const bus = createInProcessEventBus();
    const a = instance(bus, 'a');
    a.presence.hold('ann');
    await sleep(10);
    const late = instance(bus, 'late');
    await until(() => late.presence.isOnline('ann'));
  });

  it('forgets the users of an instance that stops without a word once its heartbeats stop', async () => {
    const bus = createInProcessEventBus();
    let alive = true;
    // The killed instance's messages stop reaching the bus, as when its process dies.
    const mortalBus: EventBus = { ...bus, publish: (m) => (alive ? bus.publish(m) : Promise.resolve()) };
    const a = instance(bus, 'a');
    const doomed = instance(mortalBus, 'doomed');
    doomed.presence.hold('ann');
    await until(() => a.presence.isOnline('ann'));
    alive = false;
    await until(() => !a.presence.isOnline('ann'));
    expect(a.changes).toEqual(['ann on', 'ann off']);
  });

  it('drops a stopping instance’s users at once when it says goodbye', async () => {
    const bus = createInProcessEventBus();
    const a = instance(bus, 'a');
    const leaving = createPresence(bus, { instanceId: 'leaving', ...OPTIONS, heartbeatMs: 60_000 });
    leaving.hold('ann');
    await until(() => a.presence.isOnline('ann'));
    await leaving.close();
    await until(() => !a.presence.isOnline('ann'), 500);
  });
});
