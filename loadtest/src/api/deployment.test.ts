import { describe, expect, it } from 'vitest';
import { prepareApi, withApi } from './deployment.ts';

// The sockets scenario preloads a GC-on-signal helper into the API. Its PGlite worker inherits the preload, which once
// was TypeScript that the worker could not load: the embedded API did not start at all.
describe('an API deployment measured for memory', () => {
  it('starts on the embedded database and collects its garbage on SIGUSR2 without harm', async () => {
    const prepared = await prepareApi({ instances: 1, gcOnSignal: true }, async () => ({}));
    try {
      await withApi(prepared, async (api) => {
        const health = async () => (await fetch(`http://127.0.0.1:${api.ports[0]}/healthz`)).status;
        expect(await health()).toBe(200);
        process.kill(api.resources.serverPids[0]!, 'SIGUSR2');
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(await health()).toBe(200);
      });
    } finally {
      await prepared.remove();
    }
  }, 120_000);
});
