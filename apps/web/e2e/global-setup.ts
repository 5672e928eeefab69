import { ensureBuilt } from './support.ts';

/** Once per run, before any test file: the browser journeys run in parallel and share dist/. */
export default async function setup(): Promise<void> {
  await ensureBuilt();
}
