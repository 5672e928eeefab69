import type { Operation, TRPCLink } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';
import { observable, type Unsubscribable } from '@trpc/server/observable';

export interface AuthRetryOptions {
  /** Was this call sent with an access token? Only then can a refresh help. Read once, when the call starts. */
  hadToken: () => boolean;
  /** Is this the answer to retry on (UNAUTHORIZED)? */
  isUnauthorized: (error: unknown) => boolean;
  /** Renew the session; true when there is a new access token to retry with. */
  refresh: () => Promise<boolean>;
  /** Calls that must never trigger a refresh (the refresh itself). */
  skip?: (op: Operation) => boolean;
}

/**
 * An access token can expire between the scheduled refresh and a call (a laptop waking up, a throttled background
 * tab). On UNAUTHORIZED this link refreshes once and sends the call again; the HTTP links read the token when
 * they send, so the retry carries the new one. Subscriptions are left alone: the socket reconnects on its own.
 */
export function authRetryLink<TRouter extends AnyTRPCRouter>(options: AuthRetryOptions): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        const eligible = op.type !== 'subscription' && !options.skip?.(op) && options.hadToken();
        let current: Unsubscribable | null = null;
        let closed = false;

        const attempt = (isRetry: boolean) => {
          current = next(op).subscribe({
            next: (value) => observer.next(value),
            complete: () => observer.complete(),
            error: (error) => {
              if (!eligible || isRetry || !options.isUnauthorized(error)) {
                observer.error(error);
                return;
              }
              options.refresh().then(
                (renewed) => {
                  if (closed) return;
                  if (renewed) attempt(true);
                  else observer.error(error);
                },
                () => {
                  if (!closed) observer.error(error);
                },
              );
            },
          });
        };

        attempt(false);
        return () => {
          closed = true;
          current?.unsubscribe();
        };
      });
}
