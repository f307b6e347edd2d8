/**
 * Live pipeline runs for the web page, whatever serves them: uploaded images sent through each
 * protocol's orchestrator client, every stage reported as a `LiveEvent` as it happens (the
 * contract the page shares, `./events`), results kept in memory for download.
 */
export type { LiveEvent, LiveInfo, LiveProtocol, RunCreated } from './live-events';
export { LIVE_DEFAULTS, LIVE_MODES, LiveRuns, type LiveMode, type LiveRetention, type LiveRunsOptions, type LiveUpload } from './live-runs';
export type { LiveRun, LiveWatcher } from './live-run';
export { LIVE_ROUTES, latencyCsvUrl, processedImageUrl } from './live-routes';
export { loadWebConfig, type WebConfig } from './web-config';
