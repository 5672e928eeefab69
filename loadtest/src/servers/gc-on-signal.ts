// Preloaded into a server (which then runs with --expose-gc) where memory is measured: SIGUSR2 runs a full
// garbage collection, so RSS is read with nothing collectable left on the heap.
process.on('SIGUSR2', () => (globalThis as { gc?: () => void }).gc?.());
