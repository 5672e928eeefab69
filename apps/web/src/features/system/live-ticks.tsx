import { useSubscription } from '@trpc/tanstack-react-query';
import { useTRPC } from '../../lib/trpc.ts';

/**
 * A counter fed by system.ticks. The wsLink resumes it after a reconnect from the last tracked id it saw, so the
 * number keeps climbing instead of starting again at 1.
 */
export function LiveTicks() {
  const trpc = useTRPC();
  const ticks = useSubscription(trpc.system.ticks.subscriptionOptions({ intervalMs: 1000 }));
  const n = ticks.data?.data.n ?? 0;

  return (
    <>
      <p className="ticks">
        Live ticks:{' '}
        {/* aria-live off: <output> is a polite live region by default, and a number read out every second helps
            nobody. The connection status line above is the thing worth announcing. */}
        <output aria-label="Live ticks" aria-live="off" className="ticks-value">
          {n}
        </output>
      </p>
      {ticks.status === 'error' ? (
        <p className="problem">
          The live feed stopped.{' '}
          <button type="button" onClick={() => ticks.reset()}>
            Try again
          </button>
        </p>
      ) : null}
    </>
  );
}
