/**
 * The serving core both transports build on: admission (concurrency, queue, optional deadline and
 * bytes, refusals with a retry-after), the service lifecycle (ready, graceful shutdown, exit codes),
 * the stage-call retry policy, and the pino logger with its one line per call.
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
