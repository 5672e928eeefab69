import { describe, expect, it } from 'vitest';
import { undoOnInterrupt } from './cleanup.ts';

describe('undoOnInterrupt', () => {
  it('runs an undo once, however often it is called', async () => {
    let runs = 0;
    const undo = undoOnInterrupt(async () => {
      runs += 1;
    });
    await undo();
    await undo();
    expect(runs).toBe(1);
  });
});
