import { ConnectionStatusLine } from './connection-status.tsx';
import { LiveTicks } from './live-ticks.tsx';
import { ServerStatus } from './server-status.tsx';

/** Home page for now: proves the whole path browser → HTTP and WebSocket → API works, in plain words. */
export function SystemPage() {
  return (
    <div className="page">
      <header className="page-header">
        <h1>YOUng Chat</h1>
        <p className="welcome">Welcome! Chat with family and friends, live, at a glance.</p>
      </header>
      <main className="panels">
        <section className="panel" aria-labelledby="live-heading">
          <h2 id="live-heading">Live connection</h2>
          <ConnectionStatusLine />
          <LiveTicks />
        </section>
        <ServerStatus />
      </main>
    </div>
  );
}
