// The median filter against other implementations on the same decoded images, in one run: every
// round times each contender once over all images, in a rotated order so that none always runs
// first, after one warm-up round. Ratios are taken within a round, where the machine's load is shared.

/** One implementation: filters every image once and says how many milliseconds that took. */
export interface MedianContender {
  name: string;
  filterAll(): Promise<number>;
}

/** Milliseconds per round for each contender, by name, in round order. */
export type RoundTimes = Record<string, number[]>;

export async function timeInterleavedRounds(contenders: readonly MedianContender[], rounds: number): Promise<RoundTimes> {
  const times: RoundTimes = Object.fromEntries(contenders.map(({ name }) => [name, []]));
  for (let round = -1; round < rounds; round++) {
    const shift = Math.max(0, round) % contenders.length;
    for (const contender of [...contenders.slice(shift), ...contenders.slice(0, shift)]) {
      const ms = await contender.filterAll();
      if (round >= 0) times[contender.name].push(ms); // round -1 warms up
    }
  }
  return times;
}

/** `times[name][r] ÷ times[reference][r]` for every round r. */
export function perRoundRatios(times: RoundTimes, name: string, reference: string): number[] {
  return times[name].map((ms, round) => ms / times[reference][round]);
}
