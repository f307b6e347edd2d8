/**
 * The timeline chart's layout rules, free of Node: the live page (apps/web) lays its timelines out
 * with the same axis and lanes as timeline.png (`@imagepipeline/reporting/timeline-layout`).
 */
export { packLanes, type Interval } from './lanes';
export { timeAxis, type TimeAxis } from './time-axis';
