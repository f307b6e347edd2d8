import type { StageName } from '@imagepipeline/contracts';
import type { OrchestratorConfig, StageServiceName } from '@imagepipeline/config';
import type { OrchestratorOptions } from './orchestrator-options';

/** Which pipeline stage each stage service performs. */
export const STAGE_OF_SERVICE: Record<StageServiceName, StageName> = {
  uploader: 'upload',
  'noise-reducer': 'noise_reduction',
  'background-remover': 'background_removal',
  classifier: 'classification',
};

/** Turns an orchestrator's environment configuration into Orchestrator options. */
export function orchestratorOptionsFromConfig(config: OrchestratorConfig): OrchestratorOptions {
  const stages: OrchestratorOptions['stages'] = {};
  for (const [service, stage] of Object.entries(STAGE_OF_SERVICE) as [StageServiceName, StageName][]) {
    stages[stage] = config.stages[service];
  }
  return {
    stages,
    maxInFlightImages: config.maxInFlightImages,
    memoryBudgetBytes: config.memoryBudgetBytes,
    maxPixels: config.limits.maxPixels,
  };
}
