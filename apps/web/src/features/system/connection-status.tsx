import { CONNECTION_LABELS } from '../../lib/connection.ts';
import { useConnectionStatus } from '../../lib/trpc.ts';

export function ConnectionStatusLine() {
  const status = useConnectionStatus();
  return (
    <p className="connection">
      <span id="connection-label">Connection:</span>{' '}
      {/* Only the value lives in the live region, so a change is announced as just "Up to date". */}
      <span role="status" aria-labelledby="connection-label" className="connection-value" data-status={status}>
        <span className="connection-dot" aria-hidden="true" />
        {CONNECTION_LABELS[status]}
      </span>
    </p>
  );
}
