// An echo stage as its own process: the uploader's interface over gRPC or REST (ECHO_PROTOCOL; REST
// over h2c with REST_STAGE_HTTP2=true),
// answering the image unchanged with computeMs ≈ 0, so a call measures transport alone.
import { loadConfigOrExit, loadStageServiceConfig, type Protocol } from '@imagepipeline/config';
import type { UploaderRuntime } from '@imagepipeline/stages';
import { runStageGrpcServer } from '@imagepipeline/transport-grpc';
import { runStageRestServer } from '@imagepipeline/transport-rest';

const protocol: Protocol = process.env.ECHO_PROTOCOL === 'rest' ? 'rest' : 'grpc';
const config = loadConfigOrExit(() => loadStageServiceConfig('uploader', protocol, { ...process.env, ECHO_PROTOCOL: undefined }));

const echo: UploaderRuntime = {
  service: 'uploader',
  isReady: () => true,
  ready: Promise.resolve(),
  close: async () => undefined,
  async upload({ image }) {
    const start = performance.now();
    const answer = { image, uploadId: 'echo', computeMs: 0 };
    answer.computeMs = performance.now() - start;
    return answer;
  },
};

if (protocol === 'grpc') await runStageGrpcServer(echo, config.server);
else await runStageRestServer(echo, config.server);
