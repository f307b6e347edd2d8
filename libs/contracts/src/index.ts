export * from './generated/imagepipeline/v1/pipeline';
export { PIPELINE_DESCRIPTOR_SET_BASE64 } from './generated/descriptor-set';
export * from './errors';
export { clientMessage } from './client-message';
export * from './stages';
export * from './stage-table';
export * from './rest-schemas';
