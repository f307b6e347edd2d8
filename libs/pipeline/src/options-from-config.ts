import { STAGE_TABLE } from '@imagepipeline/contracts';
import type { OrchestratorConfig } from '@imagepipeline/config';
import type { OrchestratorOptions } from './orchestrator-options';

/** Turns an orchestrator's environment configuration into Orchestrator options. */
export function orchestratorOptionsFromConfig(config: OrchestratorConfig): OrchestratorOptions {
  const stages: OrchestratorOptions['stages'] = {};
  for (const { service, stage } of STAGE_TABLE) stages[stage] = config.stages[service];
  return {
    stages,
    maxInFlightImages: config.maxInFlightImages,
    memoryBudgetBytes: config.memoryBudgetBytes,
    maxPixels: config.limits.maxPixels,
  };
}
