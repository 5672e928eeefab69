// CPU and memory of processes and of the machine, read from /proc (Linux only, like our machines). A process that
// is gone reads as nothing used rather than failing the run.
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ
const PAGE_BYTES = 4096;

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds from a /proc/…/stat line; the command name may hold spaces and parentheses. */
export function cpuSecondsOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** A whole process: every thread (Node's GC and libuv threads too). */
export function processCpuSeconds(pid: number): number {
  const stat = read(`/proc/${pid}/stat`);
  return stat === undefined ? 0 : cpuSecondsOfStat(stat);
}

/** The process's main thread alone: where a Node server runs its JavaScript, so where it saturates. */
export function mainThreadCpuSeconds(pid: number): number {
  const stat = read(`/proc/${pid}/task/${pid}/stat`);
  return stat === undefined ? 0 : cpuSecondsOfStat(stat);
}

/** Each thread of a process (by thread id): where a process with worker threads runs its JavaScript. */
export function threadCpuSeconds(pid: number): Map<string, number> {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return new Map();
  }
  return new Map(
    tids.flatMap((tid) => {
      const stat = read(`/proc/${pid}/task/${tid}/stat`); // a thread that ended since the listing is gone
      return stat === undefined ? [] : [[tid, cpuSecondsOfStat(stat)] as const];
    }),
  );
}

export function rssMb(pid: number): number {
  const statm = read(`/proc/${pid}/statm`);
  return statm === undefined ? 0 : (Number(statm.split(' ')[1]) * PAGE_BYTES) / 2 ** 20;
}

/** The most RSS a process has had since it started (VmHWM in /proc/…/status): a peak between two samples too. */
export function peakRssMbOfStatus(status: string): number {
  const kb = status.match(/^VmHWM:\s+(\d+) kB/m)?.[1];
  return kb === undefined ? 0 : Number(kb) / 1024;
}

export const peakRssMb = (pid: number) => peakRssMbOfStatus(read(`/proc/${pid}/status`) ?? '');

/**
 * The proportional set size from /proc/…/smaps_rollup: each shared page divided among the processes that map it,
 * so that PostgreSQL's backends, which all touch shared_buffers, are not each counted for all of it as RSS does.
 */
export function pssMbOfSmapsRollup(rollup: string): number {
  const kb = rollup.match(/^Pss:\s+(\d+) kB/m)?.[1];
  return kb === undefined ? 0 : Number(kb) / 1024;
}

export const pssMb = (pid: number) => pssMbOfSmapsRollup(read(`/proc/${pid}/smaps_rollup`) ?? '');

/** CPU and RSS of another process. */
export function processStats(pid: number): { cpuSeconds: number; rssMb: number } {
  return { cpuSeconds: processCpuSeconds(pid), rssMb: rssMb(pid) };
}

/** Busy and total CPU seconds of the whole machine (all cores) from /proc/stat's first line. */
export function machineCpuOfStat(stat: string): { busySeconds: number; totalSeconds: number } {
  const ticks = stat.split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user)
  const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = ticks[3]! + ticks[4]!;
  return { busySeconds: (total - idle) / CLOCK_TICKS_PER_SECOND, totalSeconds: total / CLOCK_TICKS_PER_SECOND };
}

export function machineCpu(): { busySeconds: number; totalSeconds: number } {
  return machineCpuOfStat(read('/proc/stat') ?? 'cpu 0 0 0 0 0 0 0 0');
}

/** Processes whose command name (/proc/<pid>/comm, as `ps -o comm` shows it) is `name`. */
export function pidsNamed(name: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && read(`/proc/${entry}/comm`)?.trim() === name)
    .map(Number);
}

/** The parent's pid, from /proc/<pid>/stat (the field after the command name, which may hold spaces). */
export function parentPidOfStat(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Every process's children, from one pass over /proc: several trees can then be walked on the same picture. */
export function childrenByParent(): Map<number, number[]> {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    const stat = read(`/proc/${entry}/stat`);
    if (!stat) continue;
    const parent = parentPidOfStat(stat);
    parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
  }
  return parents;
}

/** The processes below `pid`: its children, theirs, and so on. */
export function descendantPids(pid: number, parents = childrenByParent()): number[] {
  const below: number[] = [];
  for (let queue = [pid]; queue.length > 0; ) {
    const children = parents.get(queue.shift()!) ?? [];
    below.push(...children);
    queue.push(...children);
  }
  return below;
}

/** The soft limit on open files, which caps the sockets one process can hold; children inherit it. */
export function openFilesLimit(): number {
  const line = read('/proc/self/limits')?.split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === undefined || soft === 'unlimited' ? Infinity : Number(soft);
}

/** Descriptors a process needs besides one per socket. */
const SPARE_FILES = 200;

/** Stops the run up front when this generator (and so the servers it starts) cannot hold `sockets` sockets. */
export function requireOpenFiles(sockets: number): number {
  const limit = openFilesLimit();
  if (limit < sockets + SPARE_FILES) {
    throw new Error(`${sockets} sockets need ~${sockets + SPARE_FILES} open files per process, the limit is ${limit}: raise it (ulimit -n) or lower --clients`);
  }
  return limit;
}
