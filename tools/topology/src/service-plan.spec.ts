import { describe, expect, it } from 'vitest';
import { SERVICE_MALLOC_TUNABLES } from '@imagepipeline/config';
import { LOCAL_HOSTS, planServices } from './service-plan';

describe('planServices', () => {
  it('starts the stages before the orchestrator, which gets their addresses', () => {
    const plan = planServices('grpc', LOCAL_HOSTS);
    expect(plan.map((p) => p.app)).toEqual([
      'uploader-grpc',
      'noise-reducer-grpc',
      'background-remover-grpc',
      'classifier-grpc',
      'orchestrator-grpc',
    ]);
    expect(plan[4].env).toEqual({
      HOST: '127.0.0.1',
      PORT: '50030',
      UPLOADER_ADDR: '127.0.0.1:50040',
      NOISE_ADDR: '127.0.0.1:50041',
      BACKGROUND_ADDR: '127.0.0.1:50042',
      CLASSIFIER_ADDR: '127.0.0.1:50043',
      GLIBC_TUNABLES: SERVICE_MALLOC_TUNABLES,
    });
    for (const stage of plan.slice(0, 4)) expect(stage.env.GLIBC_TUNABLES).toBe(SERVICE_MALLOC_TUNABLES);
  });

  it('puts each service on its own host and binds all interfaces when asked', () => {
    const hosts = { orchestrator: '10.1.0.2', uploader: '10.1.0.3', 'noise-reducer': '10.1.0.4', 'background-remover': '10.1.0.5', classifier: '10.1.0.6' };
    const plan = planServices('rest', hosts, { bindAll: true, env: { LOG_LEVEL: 'warn' } });
    const orchestrator = plan.find((p) => p.service === 'orchestrator')!;
    expect(orchestrator).toMatchObject({ host: '10.1.0.2', port: 50051 });
    expect(orchestrator.env).toMatchObject({ HOST: '0.0.0.0', BACKGROUND_ADDR: '10.1.0.5:50062', LOG_LEVEL: 'warn' });
  });

  it('plans a background remover per listed host, lists them all for the orchestrator and lets it call each at once', () => {
    const hosts = { orchestrator: '10.1.0.2', uploader: '10.1.0.3', 'noise-reducer': '10.1.0.4', 'background-remover': '10.1.0.5', classifier: '10.1.0.6' };
    const plan = planServices('grpc', hosts, { bindAll: true, backgroundHosts: ['10.1.0.5', '10.1.0.7'] });
    const removers = plan.filter((p) => p.service === 'background-remover');
    expect(removers.map((p) => [p.name, p.app, p.host])).toEqual([
      ['background-remover-grpc', 'background-remover-grpc', '10.1.0.5'],
      ['background-remover-grpc-2', 'background-remover-grpc', '10.1.0.7'],
    ]);
    const orchestrator = plan.find((p) => p.service === 'orchestrator')!;
    expect(orchestrator.env).toMatchObject({ BACKGROUND_ADDR: '10.1.0.5:50042,10.1.0.7:50042', ORCH_BACKGROUND_REMOVER_CONCURRENCY: '2' });
    expect(removers[1].env).not.toHaveProperty('BACKGROUND_ADDR');
  });

  it('leaves the background remover concurrency to the environment given', () => {
    const plan = planServices('rest', LOCAL_HOSTS, { backgroundHosts: ['127.0.0.1', '127.0.0.2'], env: { ORCH_BACKGROUND_REMOVER_CONCURRENCY: '4' } });
    expect(plan.find((p) => p.service === 'orchestrator')!.env.ORCH_BACKGROUND_REMOVER_CONCURRENCY).toBe('4');
  });
});
