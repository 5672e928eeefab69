import type { Operation, OperationResultEnvelope, TRPCClientError } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';
import { observable, observableToPromise, type Observable } from '@trpc/server/observable';
import { describe, expect, it, vi } from 'vitest';
import { authRetryLink, type AuthRetryOptions } from './auth-link.ts';

type Result = Observable<OperationResultEnvelope<unknown, TRPCClientError<AnyTRPCRouter>>, TRPCClientError<AnyTRPCRouter>>;

function op(path: string, type: Operation['type'] = 'mutation'): Operation {
  return { id: 1, type, path, input: undefined, context: {}, signal: null };
}

const unauthorized = Object.assign(new Error('Please sign in.'), { data: { appCode: 'UNAUTHORIZED' } });
const forbidden = Object.assign(new Error('no'), { data: { appCode: 'FORBIDDEN' } });

/** A fake server: answers each call with the next outcome on the list. */
function server(outcomes: ('ok' | Error)[]) {
  const calls: number[] = [];
  const next = () => {
    calls.push(calls.length);
    const outcome = outcomes.shift() ?? 'ok';
    return observable((observer) => {
      if (outcome === 'ok') {
        observer.next({ result: { type: 'data', data: 'done' } });
        observer.complete();
      } else {
        observer.error(outcome as never);
      }
    }) as Result;
  };
  return { next, calls };
}

function run(options: Partial<AuthRetryOptions>, outcomes: ('ok' | Error)[], operation = op('profile.update')) {
  const refresh = vi.fn(options.refresh ?? (() => Promise.resolve(true)));
  const link = authRetryLink<AnyTRPCRouter>({
    hadToken: () => true,
    isUnauthorized: (e) => (e as { data?: { appCode?: string } }).data?.appCode === 'UNAUTHORIZED',
    skip: (o) => o.path === 'auth.refresh',
    ...options,
    refresh,
  });
  const fake = server(outcomes);
  const result = observableToPromise(link({} as never)({ op: operation, next: fake.next as never }));
  return { result, refresh, calls: fake.calls };
}

describe('authRetryLink', () => {
  it('refreshes once on UNAUTHORIZED and sends the call again', async () => {
    const { result, refresh, calls } = run({}, [unauthorized, 'ok']);
    await expect(result).resolves.toMatchObject({ result: { data: 'done' } });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(calls).toHaveLength(2);
  });

  it('retries only once: a second UNAUTHORIZED is the answer', async () => {
    const { result, refresh, calls } = run({}, [unauthorized, unauthorized, 'ok']);
    await expect(result).rejects.toBe(unauthorized);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(calls).toHaveLength(2);
  });

  it('gives the original error when the refresh cannot renew the session', async () => {
    const { result, calls } = run({ refresh: () => Promise.resolve(false) }, [unauthorized, 'ok']);
    await expect(result).rejects.toBe(unauthorized);
    expect(calls).toHaveLength(1);
  });

  it('gives the original error when the refresh itself throws', async () => {
    const { result } = run({ refresh: () => Promise.reject(new Error('offline')) }, [unauthorized]);
    await expect(result).rejects.toBe(unauthorized);
  });

  it('does not refresh for other errors', async () => {
    const { result, refresh } = run({}, [forbidden]);
    await expect(result).rejects.toBe(forbidden);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('does not refresh for a call made without a token, for the refresh call, or for subscriptions', async () => {
    for (const [options, operation] of [
      [{ hadToken: () => false }, op('profile.update')],
      [{}, op('auth.refresh')],
      [{}, op('events.live', 'subscription')],
    ] as const) {
      const { result, refresh } = run(options, [unauthorized], operation);
      await expect(result).rejects.toBe(unauthorized);
      expect(refresh).not.toHaveBeenCalled();
    }
  });
});
