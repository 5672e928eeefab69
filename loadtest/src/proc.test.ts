import { describe, expect, it } from 'vitest';
import { peakRssMbOfStatus } from './proc.ts';

describe('peakRssMbOfStatus', () => {
  it('reads VmHWM, not VmRSS', () => {
    expect(peakRssMbOfStatus('Name:\tnode\nVmHWM:\t  884736 kB\nVmRSS:\t  403424 kB\n')).toBe(864);
  });

  it('reads a status without it (a process that is gone) as nothing', () => {
    expect(peakRssMbOfStatus('')).toBe(0);
  });
});
