import { useTranslation } from 'react-i18next';
import { UseHere } from '../system/connection-status.tsx';
import { useLiveStatus } from './chat.feed.ts';
import type { LiveStatus } from './chat.live.ts';

const LABEL_KEYS = {
  connecting: 'system.connecting',
  'catching-up': 'system.catchingUp',
  'up-to-date': 'system.upToDate',
  offline: 'system.offline',
  elsewhere: 'system.elsewhere',
} as const satisfies Record<LiveStatus, string>;

/** The chat's live connection in plain words; only the value is a live region, so a change is read out alone. */
export function LiveStatusLine() {
  const { t } = useTranslation();
  const status = useLiveStatus();
  return (
    <>
      <p className="connection">
        <span id="live-status-label">{t('system.connection')}</span>{' '}
        <span role="status" aria-labelledby="live-status-label" className="connection-value" data-status={status}>
          <span className="connection-dot" aria-hidden="true" />
          {t(LABEL_KEYS[status])}
        </span>
      </p>
      {status === 'elsewhere' ? <UseHere /> : null}
    </>
  );
}
