import { monitorEventLoopDelay } from 'node:perf_hooks';

const RESOLUTION_MS = 10;

/**
 * How late this thread's timers fire, sampled every 10 ms (Node's own sampler, outside JavaScript) until the returned
 * function is called, which gives the 99th percentile: the time a frame that reached the generator may wait before
 * it is read and its latency taken. A window never stopped does not keep the process alive.
 */
export function sampleEventLoopLag(): () => number {
  const delays = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delays.enable();
  return () => {
    delays.disable();
    // The histogram holds whole intervals between the sampler's runs (ns): the lag is what exceeds the interval. A
    // window shorter than one interval saw no lag.
    return delays.count === 0 ? 0 : Math.max(0, delays.percentile(99) / 1e6 - RESOLUTION_MS);
  };
}
