import { loadConfig } from './config.ts';
import { buildDeps } from './deps.ts';
import { startServer } from './server.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const deps = await buildDeps(config);
  const server = await startServer(deps);
  // Loading the code, opening every dependency, migrating, listening: from the process's start, or from where
  // `npm start` finished building (scripts/start.mjs marks it).
  const from = performance.getEntriesByName('server-start')[0]?.startTime ?? 0;
  deps.logger.info({ startupMs: Math.round(performance.now() - from) }, 'ready');
  const stop = (signal: string) => {
    deps.logger.info({ signal }, 'signal received');
    // Whatever hangs during shutdown, the process still ends: an orchestrator is waiting to replace it.
    setTimeout(() => {
      deps.logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownGraceMs + 5_000).unref();
    server.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        deps.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/** What failed and, down its causes, why: "migrations failed: database unavailable: connect ECONNREFUSED …". */
function reasons(error: unknown): string {
  let said = '';
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    const message = cause.message || (cause as { code?: string }).code || cause.name;
    if (!said.includes(message)) said = said ? `${said}: ${message}` : message;
  }
  return said || String(error);
}

// A bad config or an unreachable service at start: say what is wrong in one message, no stack trace.
main().catch((error: unknown) => {
  console.error(`YOUng Chat did not start: ${reasons(error)}`);
  process.exit(1);
});
