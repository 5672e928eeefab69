/** What an interrupted run must still undo: servers to stop, databases to drop, directories to remove. */
const pending: (() => Promise<void>)[] = [];

/**
 * Registers `undo` to run if the run is interrupted; the returned function runs it (at most once) on the
 * normal path and unregisters it.
 */
export function undoOnInterrupt(undo: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  const once = () => {
    const index = pending.indexOf(once);
    if (index >= 0) pending.splice(index, 1);
    return (done ??= undo());
  };
  pending.push(once);
  return once;
}

/** On these signals, undo everything registered, newest first (servers before their databases), then exit. */
export function cleanUpOn(signals: NodeJS.Signals[]): void {
  let cleaning = false;
  for (const signal of signals) {
    // `on`, not `once`: npm and tsx pass a Ctrl-C on to the process group's members that already got it, and a
    // second signal without a handler would kill the cleanup halfway.
    process.on(signal, async () => {
      if (cleaning) return;
      cleaning = true;
      console.error(`\n${signal}: stopping servers and removing what this run created…`);
      // The abandoned work fails in all sorts of ways now (its database dropped under it); only the cleanup counts.
      process.on('uncaughtException', () => {});
      process.on('unhandledRejection', () => {});
      while (pending.length > 0) await pending.at(-1)!().catch(() => {});
      process.exit(130);
    });
  }
}
