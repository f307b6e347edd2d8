/**
 * The serving core both transports build on: admission (concurrency, queue, optional deadline and
 * bytes, refusals with a retry-after), the service lifecycle (ready, graceful shutdown, exit codes),
 * the stage-call retry policy, the pino logger with its one line per call, and the metrics both
 * protocols serve under one set of names (with the metrics port of a service that has no HTTP).
 */
export { Admission, type AdmissionStats } from './admission';
export { QueueFullError } from './queue-full-error';
export { serverAdmission } from './server-admission';
export { bearerTokenRefusal } from './bearer-token';
export { shutDownGracefully, type Closeable, type Drainable, type ServingTransport, type ShutdownPlan } from './graceful-shutdown';
export { runService, type RunningService, type RunServiceOptions } from './run-service';
export { createServiceLogger } from './service-logger';
export { logCall, type CallOutcome } from './call-log';
export { RetryPolicy, retryOptionProblems, type AttemptOutcome, type RetryOptions } from './retry-policy';
export {
  ServiceMetrics,
  orchestratorQueues,
  type CallDone,
  type OrchestratorStatsSource,
  type QueueSample,
  type ServiceMetricsOptions,
} from './metrics/service-metrics';
export { startMetricsServer, type MetricsServerOptions, type RunningMetricsServer } from './metrics/metrics-server';
export { serverTlsOptions } from './server-tls';
