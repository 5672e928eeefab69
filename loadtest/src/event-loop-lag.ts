import { LatencyRecorder } from './metrics.ts';

const LAG_SAMPLE_MS = 10;

/**
 * How late this thread's timers fire, sampled every 10 ms until the returned function is called, which gives the
 * 99th percentile: the time a frame that reached the generator may wait before it is read and its latency taken.
 */
export function sampleEventLoopLag(): () => number {
  const lags = new LatencyRecorder();
  let due = performance.now() + LAG_SAMPLE_MS;
  const timer = setInterval(() => {
    const now = performance.now();
    lags.record(Math.max(0, now - due));
    due = now + LAG_SAMPLE_MS;
  }, LAG_SAMPLE_MS);
  timer.unref(); // a window never stopped (a step that threw) must not keep the generator alive
  return () => {
    clearInterval(timer);
    return lags.count === 0 ? 0 : lags.summary().p99; // a window shorter than one sample saw no lag
  };
}
