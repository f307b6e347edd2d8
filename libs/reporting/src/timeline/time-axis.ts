/** Ticks of a time axis from 0 to at least `maxSeconds`, at a 1-2-5 step. */
export interface TimeAxis {
  max: number;
  step: number;
  ticks: number[];
  /** Decimals that show every tick exactly. */
  decimals: number;
}

/** Picks a 1-2-5 step that gives about `targetTicks` intervals, and ticks up to a whole step. */
export function timeAxis(maxSeconds: number, targetTicks = 8): TimeAxis {
  const span = maxSeconds > 0 && Number.isFinite(maxSeconds) ? maxSeconds : 1;
  const rough = span / targetTicks;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const normalised = rough / magnitude;
  const factor = normalised < 1.5 ? 1 : normalised < 3 ? 2 : normalised < 7 ? 5 : 10;
  const step = factor * magnitude;
  const count = Math.max(1, Math.ceil(span / step - 1e-9));
  const ticks = Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return { max: count * step, step, ticks, decimals };
}
