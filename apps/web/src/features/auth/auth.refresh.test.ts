import { describe, expect, it } from 'vitest';
import { jwtLifetimeMs, MIN_REFRESH_DELAY_MS, refreshDelayMs, singleFlight, type LockManagerLike } from './auth.refresh.ts';

const MIN = 60_000;

function jwt(claims: object): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'at+jwt' })}.${part(claims)}.signature`;
}

describe('refreshDelayMs', () => {
  it('renews a 15-minute token one minute before it expires', () => {
    const receivedAt = 1_000_000;
    expect(refreshDelayMs({ receivedAt, expiresAt: receivedAt + 15 * MIN }, receivedAt)).toBe(14 * MIN);
  });

  it('renews a short token a fifth of its life early', () => {
    const receivedAt = 0;
    expect(refreshDelayMs({ receivedAt, expiresAt: 30_000 }, 0)).toBe(24_000);
  });

  it('counts from when the token arrived, not from now', () => {
    expect(refreshDelayMs({ receivedAt: 0, expiresAt: 15 * MIN }, 10 * MIN)).toBe(4 * MIN);
    expect(refreshDelayMs({ receivedAt: 0, expiresAt: 15 * MIN }, 20 * MIN)).toBe(0);
  });

  it('trusts the token’s own lifetime over a device clock that is off', () => {
    // This device's clock is 20 minutes ahead: by its reckoning the token expired before it arrived.
    const receivedAt = 100 * MIN;
    const expiresAt = receivedAt - 5 * MIN;
    expect(refreshDelayMs({ receivedAt, expiresAt, lifetimeMs: 15 * MIN }, receivedAt)).toBe(14 * MIN);
  });

  it('never loops: even a token that looks expired waits a few seconds before the next renewal', () => {
    expect(refreshDelayMs({ receivedAt: 0, expiresAt: -MIN }, 0)).toBe(MIN_REFRESH_DELAY_MS);
  });
});

describe('jwtLifetimeMs', () => {
  it('reads exp − iat', () => {
    expect(jwtLifetimeMs(jwt({ iat: 1000, exp: 1900 }))).toBe(900_000);
  });

  it('returns null for anything it cannot read', () => {
    expect(jwtLifetimeMs('opaque')).toBeNull();
    expect(jwtLifetimeMs('a.!!!.c')).toBeNull();
    expect(jwtLifetimeMs(jwt({ exp: 1900 }))).toBeNull();
    expect(jwtLifetimeMs(jwt({ iat: 1900, exp: 1000 }))).toBeNull();
  });
});

/** Web Locks semantics: one holder per name, the others wait in order. */
function fakeLocks(): LockManagerLike & { log: string[] } {
  let tail: Promise<unknown> = Promise.resolve();
  const log: string[] = [];
  return {
    log,
    request<T>(name: string, callback: () => Promise<T>): Promise<T> {
      const run = tail.then(async () => {
        log.push(`acquire ${name}`);
        try {
          return await callback();
        } finally {
          log.push(`release ${name}`);
        }
      });
      tail = run.catch(() => undefined);
      return run;
    },
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('singleFlight', () => {
  it('shares one run between concurrent callers in a tab', async () => {
    let runs = 0;
    const gate = deferred<string>();
    const refresh = singleFlight(() => (runs++, gate.promise), null, 'youngchat-refresh');
    const a = refresh();
    const b = refresh();
    expect(a).toBe(b);
    gate.resolve('renewed');
    await expect(Promise.all([a, b])).resolves.toEqual(['renewed', 'renewed']);
    expect(runs).toBe(1);
    // Once settled, the next call runs again.
    await refresh();
    expect(runs).toBe(2);
  });

  it('makes two tabs take turns, so the rotating token is never presented twice at once', async () => {
    const locks = fakeLocks();
    let current = 'rt-1';
    const presented: string[] = [];
    let active = 0;
    let maxActive = 0;
    // Each "tab" presents the cookie it sees, and the server rotates it.
    const renewIn = (tab: string) => async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      presented.push(`${tab}:${current}`);
      await new Promise((r) => setTimeout(r, 5));
      current = `rt-${Number(current.slice(3)) + 1}`;
      active--;
      return tab;
    };
    const tabA = singleFlight(renewIn('A'), locks, 'youngchat-refresh');
    const tabB = singleFlight(renewIn('B'), locks, 'youngchat-refresh');
    await Promise.all([tabA(), tabB(), tabA()]);
    expect(maxActive).toBe(1);
    expect(presented).toEqual(['A:rt-1', 'B:rt-2']);
    expect(locks.log).toEqual([
      'acquire youngchat-refresh',
      'release youngchat-refresh',
      'acquire youngchat-refresh',
      'release youngchat-refresh',
    ]);
  });

  it('lets the next call run after a failure', async () => {
    let n = 0;
    const refresh = singleFlight(async () => {
      n++;
      if (n === 1) throw new Error('offline');
      return 'ok';
    }, fakeLocks(), 'l');
    await expect(refresh()).rejects.toThrow('offline');
    await expect(refresh()).resolves.toBe('ok');
  });
});
