import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** The parts of a V8 `.cpuprofile` (node --cpu-prof) that say where time went. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  /** Microseconds before each sample. */
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by where the code lives: a package, the app, node itself, or V8's own (GC, idle, program). */
  places: [string, number][];
  functions: [string, number][];
}

/** Where a frame's code lives, from its URL. */
function placeOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node';
  if (url.startsWith('wasm:')) return 'wasm';
  const workspace = /\/(apps\/[^/]+|packages\/[^/]+|loadtest)\//.exec(url);
  return workspace ? workspace[1]! : 'other';
}

const byTime = (totals: Map<string, number>) => [...totals].sort((a, b) => b[1] - a[1]);

/** Self time (ms) per place and per function, biggest first. */
export function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const places = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const frame = frames.get(id);
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    if (!frame) return;
    totalMs += ms;
    const place = placeOf(frame.url, frame.functionName);
    places.set(place, (places.get(place) ?? 0) + ms);
    const where = frame.url ? ` ${path.basename(frame.url)}:${frame.lineNumber + 1}` : '';
    const name = `${frame.functionName || '(anonymous)'}${where}`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
  });
  return { totalMs, places: byTime(places), functions: byTime(functions) };
}

/** Node names profiles CPU.<date>.<time>.<pid>.<thread>.<seq>: thread 0 is the main one (tsx's loader has its own). */
const MAIN_THREAD_PROFILE = /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/;

/** A few lines per process profiled into `dir`: the biggest places and functions, as shares of busy time. */
export async function profileLines(target: string, dir: string, top = 12): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => MAIN_THREAD_PROFILE.test(f)).sort();
  const lines: string[] = [];
  for (const file of files) {
    const summary = summarizeProfile(JSON.parse(await readFile(path.join(dir, file), 'utf8')) as CpuProfile);
    const busyMs = summary.totalMs - (summary.places.find(([p]) => p === '(idle)')?.[1] ?? 0);
    const share = ([name, ms]: [string, number]) => `${name} ${((100 * ms) / busyMs).toFixed(1)}%`;
    const busy = summary.places.filter(([p]) => p !== '(idle)');
    lines.push(
      `\nCPU profile, ${target}, pid ${file.split(".")[3]} (whole process life: busy ${(busyMs / 1000).toFixed(1)} s of ${(summary.totalMs / 1000).toFixed(1)} s)`,
      `  by place: ${busy.slice(0, top).map(share).join(' · ')}`,
      `  top functions (self): ${summary.functions.filter(([f]) => !f.startsWith('(idle)')).slice(0, top).map(share).join(' · ')}`,
    );
  }
  if (files.length > 0) lines.push(`  profiles kept in ${dir} (open them in Chrome DevTools › Performance)`);
  return lines;
}
