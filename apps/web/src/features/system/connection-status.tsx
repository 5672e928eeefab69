import { useTranslation } from 'react-i18next';
import { CONNECTION_LABEL_KEYS } from '../../lib/connection.ts';
import { useConnectionStatus } from '../../lib/trpc.ts';

export function ConnectionStatusLine() {
  const { t } = useTranslation();
  const status = useConnectionStatus();
  return (
    <>
      <p className="connection">
        <span id="connection-label">{t('system.connection')}</span>{' '}
        {/* Only the value lives in the live region, so a change is announced as just "Up to date". */}
        <span role="status" aria-labelledby="connection-label" className="connection-value" data-status={status}>
          <span className="connection-dot" aria-hidden="true" />
          {t(CONNECTION_LABEL_KEYS[status])}
        </span>
      </p>
      {status === 'elsewhere' ? <UseHere /> : null}
    </>
  );
}

/**
 * For the 'elsewhere' status: this window stopped so as not to push the other one out in turn, and only the person
 * may choose to take the app back. A reload starts afresh; the server then lets their oldest connection give way.
 */
export function UseHere() {
  const { t } = useTranslation();
  return (
    <p className="use-here">
      {t('system.elsewhereHint')}{' '}
      <button type="button" onClick={() => window.location.reload()}>
        {t('system.useHere')}
      </button>
    </p>
  );
}
