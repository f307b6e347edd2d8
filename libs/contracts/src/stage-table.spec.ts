import { loadFileDescriptorSetFromBuffer } from '@grpc/proto-loader';
import { describe, expect, it } from 'vitest';
import {
  BackgroundRemoverServiceService,
  ClassifierServiceService,
  NoiseReducerServiceService,
  ORCHESTRATOR_SERVICE,
  PIPELINE_DESCRIPTOR_SET_BASE64,
  STAGE_NAMES,
  STAGE_TABLE,
  stageTableRow,
  UploaderServiceService,
  type StageServiceName,
} from './index';

/** The generated service definition of each stage: what grpc-js serves and calls. */
const GENERATED_SERVICE: Record<StageServiceName, Record<string, { path: string }>> = {
  uploader: UploaderServiceService,
  'noise-reducer': NoiseReducerServiceService,
  'background-remover': BackgroundRemoverServiceService,
  classifier: ClassifierServiceService,
};

describe('STAGE_TABLE', () => {
  it('lists the stages in pipeline order, by the names the timeline uses', () => {
    expect(STAGE_NAMES).toEqual(['upload', 'noise_reduction', 'background_removal', 'classification']);
    expect(STAGE_TABLE.map((row) => row.service)).toEqual(['uploader', 'noise-reducer', 'background-remover', 'classifier']);
  });

  it('names each stage’s gRPC service and its one method as the generated definitions do', () => {
    for (const row of STAGE_TABLE) {
      const paths = Object.values(GENERATED_SERVICE[row.service]).map((method) => method.path);
      expect(paths, row.service).toEqual([`/${row.grpcService}/${row.grpcMethod}`]);
    }
  });

  it('covers every service the .proto declares, the orchestrator’s included', () => {
    const definition = loadFileDescriptorSetFromBuffer(Buffer.from(PIPELINE_DESCRIPTOR_SET_BASE64, 'base64'));
    const declared = Object.keys(definition).filter((name) => name.endsWith('Service'));
    const tabled = [...STAGE_TABLE.map((row) => row.grpcService), ORCHESTRATOR_SERVICE.grpcService];
    expect(tabled.sort()).toEqual(declared.sort());
  });

  it('gives every service its own default port per protocol, every stage its own route and address variable', () => {
    const rows = [ORCHESTRATOR_SERVICE, ...STAGE_TABLE];
    const ports = rows.flatMap((row) => [row.defaultPorts.grpc, row.defaultPorts.rest]);
    expect(new Set(ports).size).toBe(ports.length);
    expect(new Set(STAGE_TABLE.map((row) => row.restRoute)).size).toBe(STAGE_TABLE.length);
    for (const row of STAGE_TABLE) {
      expect(row.restRoute).toMatch(/^\/v1\/[a-z-]+$/);
      expect(row.addressVariable).toMatch(/^[A-Z]+_ADDR$/);
    }
    expect(STAGE_TABLE.map((row) => row.addressVariable)).toEqual(['UPLOADER_ADDR', 'NOISE_ADDR', 'BACKGROUND_ADDR', 'CLASSIFIER_ADDR']);
  });

  it('finds a stage service’s row', () => {
    expect(stageTableRow('background-remover')).toMatchObject({ stage: 'background_removal', grpcMethod: 'RemoveBackground' });
  });
});
