// The highest RSS of every running service while something runs, sampled every 250 ms.
import type { ServiceSet } from './service-set';

const SAMPLE_EVERY_MS = 250;

/** Samples until `stop`, which answers each service's highest value in MiB (at least its value in `start`). */
export function samplePeakRss(services: ServiceSet, start: Record<string, number>): { stop(): Record<string, number> } {
  const peak = { ...start };
  const sampler = setInterval(() => {
    void services.rssAll().then(
      (now) => {
        for (const [name, value] of Object.entries(now)) peak[name] = Math.max(peak[name] ?? 0, value);
      },
      () => undefined, // a service that just died has no /proc entry: its death is checked elsewhere
    );
  }, SAMPLE_EVERY_MS);
  return {
    stop: () => {
      clearInterval(sampler);
      return peak;
    },
  };
}
