import { describe, expect, it } from 'vitest';
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
    });
  });

  it('puts each service on its own host and binds all interfaces when asked', () => {
    const hosts = { orchestrator: '10.1.0.2', uploader: '10.1.0.3', 'noise-reducer': '10.1.0.4', 'background-remover': '10.1.0.5', classifier: '10.1.0.6' };
    const plan = planServices('rest', hosts, { bindAll: true, env: { LOG_LEVEL: 'warn' } });
    const orchestrator = plan.find((p) => p.service === 'orchestrator')!;
    expect(orchestrator).toMatchObject({ host: '10.1.0.2', port: 50051 });
    expect(orchestrator.env).toMatchObject({ HOST: '0.0.0.0', BACKGROUND_ADDR: '10.1.0.5:50062', LOG_LEVEL: 'warn' });
  });
});
