/**
 * Tracing: `startTracing` (the `./start` entry) starts the OpenTelemetry SDK before an app loads,
 * only when an OTLP endpoint is set; the pipeline's own spans go through `inSpan` and `recordSpan`,
 * no-ops when tracing is off; `flushTraces` sends what is left before a service exits.
 */
export { flushTraces } from './flush-traces';
export {
  inSpan,
  recordSpan,
  SPAN_NAMES,
  traceContextHeaders,
  type SpanControl,
  type SpanOptions,
  type SpanTimes,
  type StageStep,
} from './pipeline-spans';
export { tracingRequested } from './tracing-settings';
