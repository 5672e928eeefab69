import { useSubscription } from '@trpc/tanstack-react-query';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../../lib/trpc.ts';

/**
 * A counter fed by system.ticks. The wsLink resumes it after a reconnect from the last tracked id it saw, so the
 * number keeps climbing instead of starting again at 1.
 */
export function LiveTicks() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const ticks = useSubscription(trpc.system.ticks.subscriptionOptions({ intervalMs: 1000 }));
  const n = ticks.data?.data.n ?? 0;

  return (
    <>
      <p className="ticks">
        {t('system.liveTicks')}:{' '}
        {/* aria-live off: <output> is a polite live region by default, and a number read out every second helps
            nobody. The connection status line above is the thing worth announcing. */}
        <output aria-label={t('system.liveTicks')} aria-live="off" className="ticks-value">
          {n}
        </output>
      </p>
      {ticks.status === 'error' ? (
        <p className="problem">
          {t('system.feedStopped')}{' '}
          <button type="button" className="button-secondary" onClick={() => ticks.reset()}>
            {t('system.tryAgain')}
          </button>
        </p>
      ) : null}
    </>
  );
}
