import { register } from 'node:module';
import { tracingRequested } from './tracing-settings';

/** Health, readiness and metrics requests: probes, not work, so they make no traces. */
const PROBE_PATHS = ['/healthz', '/readyz', '/metrics'];
const PROBE_GRPC_METHODS = ['Check', 'Watch', 'ServerReflectionInfo'];

/**
 * Starts OpenTelemetry tracing for this process when `tracingRequested` says so, and answers
 * whether it did. It must run before the app's own modules load: the gRPC, HTTP and Fastify
 * instrumentations patch `@grpc/grpc-js`, `node:http` and Fastify as they are imported (an ES
 * module loader hook, registered here, lets them see ES imports). Exporter, sampler and resource
 * come from the standard `OTEL_*` variables; `serviceName` names the process unless
 * `OTEL_SERVICE_NAME` does. Metrics and logs stay with Prometheus and pino: only traces go out.
 * When tracing is off, nothing of the SDK is loaded.
 */
export async function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (!tracingRequested(env)) return false;
  const { createAddHookMessageChannel } = await import('import-in-the-middle');
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  const [{ NodeSDK }, { GrpcInstrumentation }, { HttpInstrumentation }, { FastifyOtelInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-grpc'),
    import('@opentelemetry/instrumentation-http'),
    import('@fastify/otel'),
  ]);
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME || serviceName,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new GrpcInstrumentation({ ignoreGrpcMethods: PROBE_GRPC_METHODS }),
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => PROBE_PATHS.includes(request.url?.split('?')[0] ?? '') }),
      new FastifyOtelInstrumentation({ registerOnInitialization: true, instrumentHooks: false, ignorePaths: (route) => PROBE_PATHS.includes(route.url) }),
    ],
  });
  sdk.start();
  await waitForAllMessagesAcknowledged();
  // A process that ends by itself (the pipeline client) sends what it still holds first; a
  // service sends it in its graceful shutdown (flushTraces), as it ends with process.exit.
  process.once('beforeExit', () => void sdk.shutdown());
  return true;
}
