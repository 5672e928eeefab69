import { useQuery } from '@tanstack/react-query';
import type { AdapterKinds } from '@youngchat/shared';
import { useTRPC } from '../../lib/trpc.ts';

const ADAPTER_NAMES: Record<keyof AdapterKinds, string> = {
  database: 'Database',
  keyValue: 'Key-value store',
  eventBus: 'Event bus',
  mailer: 'Mail',
  blobStore: 'File storage',
};

export function ServerStatus() {
  const trpc = useTRPC();
  const info = useQuery(trpc.system.info.queryOptions());

  return (
    <section className="panel" aria-labelledby="server-heading" aria-busy={info.isPending}>
      <h2 id="server-heading">Server</h2>
      {info.isPending ? <p>Loading…</p> : null}
      {info.isError ? (
        <p className="problem">
          Could not reach the server.{' '}
          <button type="button" onClick={() => void info.refetch()}>
            Try again
          </button>
        </p>
      ) : null}
      {info.data ? (
        <dl className="facts">
          <div>
            <dt>Instance</dt>
            <dd className="mono">{info.data.instanceId}</dd>
          </div>
          <div>
            <dt>Version</dt>
            <dd>{info.data.version}</dd>
          </div>
          {(Object.keys(ADAPTER_NAMES) as (keyof AdapterKinds)[]).map((key) => (
            <div key={key}>
              <dt>{ADAPTER_NAMES[key]}</dt>
              <dd>{info.data.adapters[key]}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </section>
  );
}
