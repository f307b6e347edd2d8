/** Test helpers for code that drives the orchestrator: an in-memory StageClient. */
export { FakeStageClient, type FakeStageCall, type FakeStageClientOptions } from './fake-stage-client';
