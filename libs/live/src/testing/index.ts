/** Test support for code built on live runs: an in-memory orchestrator client. */
export { FakeOrchestrator, typicalAnswers, type FakeAnswer } from './fake-orchestrator';
