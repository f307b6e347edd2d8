import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as pipeline from './index';
import * as testing from './testing';

describe('public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(pipeline).sort()).toEqual([
      'DEFAULT_JOB_TTL_MS',
      'DEFAULT_MAX_IN_FLIGHT_IMAGES',
      'DEFAULT_MAX_JOBS',
      'DEFAULT_STAGE_OPTIONS',
      'DEFAULT_TOP_K',
      'JobStore',
      'MAX_TOP_K',
      'Orchestrator',
      'RoundRobin',
      'orchestratorOptionsFromConfig',
      'resolveOrchestratorOptions',
      'sanitizeFileName',
      'validateProcessRequest',
    ]);
    expect(Object.keys(testing)).toEqual(['FakeStageClient']);
  });

  it('imports no transport: only contracts, config, imaging (PNG intermediates), the serving core (admission), telemetry (its spans), node built-ins and its own files', () => {
    const dir = new URL('.', import.meta.url).pathname;
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'),
    );
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const source = readFileSync(join(dir, file), 'utf8');
      for (const [, specifier] of source.matchAll(/from '([^']+)'/g)) {
        expect(specifier, `${file} imports ${specifier}`).toMatch(/^(\.{1,2}\/|node:|@imagepipeline\/(contracts|config|imaging|serving|telemetry)$)/);
      }
    }
  });
});
