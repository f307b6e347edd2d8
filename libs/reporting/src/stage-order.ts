import { STAGE_NAMES } from '@imagepipeline/contracts';
import type { StageSpan } from '@imagepipeline/contracts';

/** Human names for the wire stage names, in pipeline order. */
export const STAGE_TITLES: Readonly<Record<string, string>> = {
  upload: 'Upload',
  noise_reduction: 'Noise reduction',
  background_removal: 'Background removal',
  classification: 'Classification',
};

/**
 * The stages to show, in pipeline order: the four known ones always, then any other stage name
 * the spans mention (in order of appearance), so nothing the orchestrator reported is dropped.
 */
export function stagesInOrder(spans: Iterable<StageSpan>): string[] {
  const stages: string[] = [...STAGE_NAMES];
  for (const span of spans) if (!stages.includes(span.stage)) stages.push(span.stage);
  return stages;
}

/** A display title for a stage name. */
export function stageTitle(stage: string): string {
  return STAGE_TITLES[stage] ?? stage;
}
