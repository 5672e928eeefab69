import { useTranslation } from 'react-i18next';
import { ConnectionStatusLine } from './connection-status.tsx';
import { ServerStatus } from './server-status.tsx';

/** Proves the whole path browser → HTTP and WebSocket → API works, in plain words. */
export function SystemPanels() {
  const { t } = useTranslation();
  return (
    <div className="panels">
      <section className="panel" aria-labelledby="live-heading">
        <h2 id="live-heading">{t('system.liveHeading')}</h2>
        <ConnectionStatusLine />
      </section>
      <ServerStatus />
    </div>
  );
}
