import type { Image, ProcessResult, StageSpan } from '@imagepipeline/contracts';

export interface ProcessOptions {
  topK: number;
  includeIntermediates: boolean;
  /** Called as each stage of this image finishes, when the protocol can tell. */
  onStageDone?: (span: StageSpan) => void;
}

/** The pipeline client's view of an orchestrator; each transport library implements it. */
export interface OrchestratorClient {
  process(image: Image, options: ProcessOptions): Promise<ProcessResult>;
  close(): Promise<void>;
}
