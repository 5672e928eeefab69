// scripts/cluster.mjs starts the instances, then nginx; when nginx cannot be started at all (not installed), the
// cluster must still stop the instances it started, or they outlive the run (seen: four left by a chaos test).
import { describe, expect, it } from 'vitest';
import { supervise } from '../../scripts/cluster.mjs';

describe('a supervised process that cannot be started', () => {
  it('ends at once, so that whoever waits for it or stops it goes on', { timeout: 10_000 }, async () => {
    const missing = supervise('nginx', '/nonexistent/nginx', [], { env: process.env });
    expect(await missing.exited).toBe('could not start: ENOENT');
    expect(await missing.stop()).toBe('could not start: ENOENT');
    await expect(missing.waitFor(() => true, 'a line')).rejects.toThrow('could not start /nonexistent/nginx');
  });
});
