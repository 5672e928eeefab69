import { useTranslation } from 'react-i18next';
import { useLiveStatus } from './chat.context.tsx';
import type { LiveStatus } from './chat.live.ts';

/** Words anyone understands; catching up on missed messages is being connected (they are arriving). */
const LABEL_KEYS = {
  connecting: 'system.connecting',
  'catching-up': 'system.connected',
  'up-to-date': 'system.connected',
  offline: 'system.offline',
  elsewhere: 'system.elsewhere',
} as const satisfies Record<LiveStatus, string>;

/**
 * The chat's live connection, once for the whole chat screen. As in every messenger it takes room only when
 * something is wrong; while connected the words stay in the page for screen readers, so the change back to
 * "Connected" is announced too. Only the value is a live region, so a change is read out alone.
 */
export function LiveStatusBar() {
  const { t } = useTranslation();
  const status = useLiveStatus();
  return (
    <div className="connection-bar" data-status={status}>
      <p className="connection">
        <span id="live-status-label" className="visually-hidden">
          {t('system.connection')}
        </span>
        <span role="status" aria-labelledby="live-status-label" className="connection-value">
          <span className="connection-dot" aria-hidden="true" />
          {t(LABEL_KEYS[status])}
        </span>
      </p>
      {status === 'elsewhere' ? <UseHere /> : null}
    </div>
  );
}

/**
 * For the 'elsewhere' status: this window stopped so as not to push the other one out in turn, and only the person
 * may choose to take the app back. A reload starts afresh; the server then lets their oldest connection give way.
 */
function UseHere() {
  const { t } = useTranslation();
  return (
    <p className="use-here">
      {t('system.elsewhereHint')}{' '}
      <button type="button" className="button-small" onClick={() => window.location.reload()}>
        {t('system.useHere')}
      </button>
    </p>
  );
}
