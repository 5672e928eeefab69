import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { childrenByParent, descendantPids, parentPidOfStat, peakRssMbOfStatus, pssMb, pssMbOfSmapsRollup, threadCpuSeconds } from './proc.ts';

describe('peakRssMbOfStatus', () => {
  it('reads VmHWM, not VmRSS', () => {
    expect(peakRssMbOfStatus('Name:\tnode\nVmHWM:\t  884736 kB\nVmRSS:\t  403424 kB\n')).toBe(864);
  });

  it('reads a status without it (a process that is gone) as nothing', () => {
    expect(peakRssMbOfStatus('')).toBe(0);
  });
});

describe('pssMbOfSmapsRollup', () => {
  const rollup = '562f3667b000-7ffc683c5000 ---p 00000000 00:00 0  [rollup]\nRss:    20480 kB\nPss:     5120 kB\nPss_Anon:   1024 kB\n';

  it('reads Pss, not Rss nor Pss_Anon', () => {
    expect(pssMbOfSmapsRollup(rollup)).toBe(5);
  });

  it('reads a rollup without it (a process that is gone) as nothing', () => {
    expect(pssMbOfSmapsRollup('')).toBe(0);
  });

  it('reads this process, which has some', () => {
    expect(pssMb(process.pid)).toBeGreaterThan(0);
  });
});

describe('descendantPids', () => {
  it('reads the parent after a command name with spaces and parentheses', () => {
    expect(parentPidOfStat('4242 (node (my server)) S 4100 4242 4100 0 -1 4194560')).toBe(4100);
  });

  it('finds a grandchild: the server under npm under this process', async () => {
    const child = spawn('sh', ['-c', 'sleep 30 & wait'], { stdio: 'ignore', detached: true });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const below = descendantPids(child.pid!);
      expect(below.length).toBeGreaterThan(0);
      expect(below.some((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sleep')).toBe(true);
      expect(descendantPids(process.pid)).toEqual(expect.arrayContaining([child.pid!, ...below]));
      expect(descendantPids(child.pid!, childrenByParent())).toEqual(below);
    } finally {
      process.kill(-child.pid!, 'SIGKILL'); // sh and its sleep
    }
  });
});

describe('threadCpuSeconds', () => {
  it('finds a busy worker thread, apart from the idle main thread', async () => {
    const worker = new Worker('const until = Date.now() + 1500; while (Date.now() < until);', { eval: true });
    try {
      await new Promise((resolve) => worker.once('online', resolve));
      const before = threadCpuSeconds(process.pid);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const after = threadCpuSeconds(process.pid);
      const used = [...after].map(([tid, cpu]) => [tid, cpu - (before.get(tid) ?? 0)] as const).sort((a, b) => b[1] - a[1]);
      expect(used[0]![0]).not.toBe(String(process.pid));
      expect(used[0]![1]).toBeGreaterThanOrEqual(0.1); // of 0.5 s: CI runs other suites beside it
    } finally {
      await worker.terminate();
    }
  });

  it('reads a process that is gone as no threads', () => {
    expect(threadCpuSeconds(2 ** 22 + 1).size).toBe(0);
  });
});
