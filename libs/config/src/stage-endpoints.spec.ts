import { describe, expect, it } from 'vitest';
import { loadOrchestratorConfig } from './service-config';
import { isStageAddress, splitEndpoint, stageEndpoints } from './stage-endpoints';

describe('stage endpoints', () => {
  it('splits a list of replicas and keeps a single address whole', () => {
    expect(stageEndpoints('bgr-1:50042, bgr-2:50042')).toEqual(['bgr-1:50042', 'bgr-2:50042']);
    expect(stageEndpoints('10.0.0.4:50042')).toEqual(['10.0.0.4:50042']);
  });

  it('accepts names, IPv4 and bracketed IPv6 endpoints and refuses anything else', () => {
    expect(isStageAddress('bgr:50042,10.0.0.5:50042,[fd00::1]:50042')).toBe(true);
    expect(isStageAddress('bgr:50042,')).toBe(false);
    expect(isStageAddress('bgr')).toBe(false);
    expect(isStageAddress('bgr:50042;other:1')).toBe(false);
  });

  it('splits host and port, without the brackets of an IPv6 host', () => {
    expect(splitEndpoint('bgr:50042')).toEqual({ host: 'bgr', port: 50042 });
    expect(splitEndpoint('[fd00::1]:50042')).toEqual({ host: 'fd00::1', port: 50042 });
  });

  it('lets BACKGROUND_ADDR list several replicas and names a malformed one', () => {
    const config = loadOrchestratorConfig('grpc', { BACKGROUND_ADDR: 'bgr-1:50042, bgr-2:50042' });
    expect(config.stageAddresses['background-remover']).toBe('bgr-1:50042,bgr-2:50042');
    expect(() => loadOrchestratorConfig('grpc', { BACKGROUND_ADDR: 'bgr-1:50042,bgr-2' })).toThrow(/BACKGROUND_ADDR: expected host:port/);
  });
});
