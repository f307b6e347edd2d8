import { join } from 'node:path';
import { DOCKER_DIR } from './deploy-files';
import { OBSERVABILITY_DIR } from './observability-files';

/** The OpenTelemetry variables every compose file passes to the services and the client: empty (off) by default. */
export const TRACING_VARIABLES = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG'] as const;

/** Values that turn tracing on, as docker/README.md, "Traces", shows them. */
export const TRACING_ON: Record<(typeof TRACING_VARIABLES)[number], string> = {
  OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector.example:4318',
  OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
  OTEL_TRACES_SAMPLER_ARG: '0.1',
};

/** Jaeger beside a local compose file. */
export const TRACING_COMPOSE = join(OBSERVABILITY_DIR, 'tracing.yml');

/** The Kubernetes component, and the ConfigMap whose variables it gives every service. */
export const TRACING_COMPONENT = join(DOCKER_DIR, 'k8s', 'components', 'tracing');
export const TRACING_CONFIG_MAP = 'image-pipeline-tracing';
