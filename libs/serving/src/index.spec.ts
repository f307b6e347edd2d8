import { describe, expect, it } from 'vitest';
import * as api from './index';

describe('@imagepipeline/serving public API', () => {
  it('exports exactly what the transports, the orchestrator core and the tools use', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'Admission',
        'bearerTokenRefusal',
        'QueueFullError',
        'RetryPolicy',
        'createServiceLogger',
        'logCall',
        'retryOptionProblems',
        'runService',
        'serverAdmission',
        'serverTlsOptions',
        'ServiceMetrics',
        'orchestratorQueues',
        'startMetricsServer',
        'shutDownGracefully',
      ].sort(),
    );
  });
});
