/** A bar on a time line. */
export interface Interval {
  start: number;
  end: number;
}

/**
 * Packs overlapping intervals into lanes (greedy, by start time) so no two bars of one lane
 * overlap. Returns the lane of each interval, in input order, and the number of lanes.
 */
export function packLanes(intervals: readonly Interval[]): { lanes: number[]; count: number } {
  const order = intervals.map((_, i) => i).sort((a, b) => intervals[a].start - intervals[b].start || a - b);
  const laneEnds: number[] = [];
  const lanes = new Array<number>(intervals.length).fill(0);
  for (const i of order) {
    const { start, end } = intervals[i];
    let lane = laneEnds.findIndex((laneEnd) => laneEnd <= start);
    if (lane === -1) lane = laneEnds.push(end) - 1;
    else laneEnds[lane] = end;
    lanes[i] = lane;
  }
  return { lanes, count: Math.max(1, laneEnds.length) };
}
