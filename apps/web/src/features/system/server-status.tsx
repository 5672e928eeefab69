import { useQuery } from '@tanstack/react-query';
import type { AdapterKinds } from '@youngchat/shared';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../../lib/trpc.ts';

const ADAPTER_KEYS = ['database', 'keyValue', 'eventBus', 'mailer', 'blobStore'] as const satisfies readonly (keyof AdapterKinds)[];

export function ServerStatus() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const info = useQuery(trpc.system.info.queryOptions());

  return (
    <section className="panel" aria-labelledby="server-heading" aria-busy={info.isPending}>
      <h2 id="server-heading">{t('system.serverHeading')}</h2>
      {info.isPending ? <p>{t('app.loading')}</p> : null}
      {info.isError ? (
        <p className="problem">
          {t('system.serverUnreachable')}{' '}
          <button type="button" className="button-secondary" onClick={() => void info.refetch()}>
            {t('system.tryAgain')}
          </button>
        </p>
      ) : null}
      {info.data ? (
        <dl className="facts">
          <div>
            <dt>{t('system.instance')}</dt>
            <dd className="mono">{info.data.instanceId}</dd>
          </div>
          <div>
            <dt>{t('system.version')}</dt>
            <dd>{info.data.version}</dd>
          </div>
          {ADAPTER_KEYS.map((key) => (
            <div key={key}>
              <dt>{t(`system.${key}`)}</dt>
              <dd>{info.data.adapters[key]}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </section>
  );
}
