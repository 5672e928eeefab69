import { describe, expect, it } from 'vitest';
import { summarizeProfile } from './cpu-profile.ts';

describe('summarizeProfile', () => {
  it('adds self time per place and per function, biggest first', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });
    const summary = summarizeProfile({
      nodes: [
        { id: 1, callFrame: frame('(idle)', '') },
        { id: 2, callFrame: frame('query', 'file:///w/node_modules/@electric-sql/pglite/dist/index.js') },
        { id: 3, callFrame: frame('send', 'file:///w/apps/api/src/modules/messages/messages.service.ts') },
        { id: 4, callFrame: frame('', 'node:internal/streams/writable') },
      ],
      samples: [2, 3, 2, 1, 4],
      timeDeltas: [1000, 2000, 3000, 4000, 500],
    });
    expect(summary.totalMs).toBe(10.5);
    expect(summary.places).toEqual([
      ['@electric-sql/pglite', 4],
      ['(idle)', 4],
      ['apps/api', 2],
      ['node', 0.5],
    ]);
    expect(summary.functions[0]).toEqual(['query index.js:10', 4]);
    expect(summary.functions.map(([f]) => f)).toContain('(anonymous) writable:10');
  });
});
