import { dirname, resolve } from 'node:path';
import type { Server } from '@grpc/grpc-js';
import { loadFileDescriptorSetFromBuffer, loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { PIPELINE_DESCRIPTOR_SET_BASE64 } from '@imagepipeline/contracts';

/** The fully-qualified name of the standard health service. */
export const HEALTH_SERVICE_NAME = 'grpc.health.v1.Health';

let descriptors: PackageDefinition | undefined;

/** pipeline.proto from the embedded descriptor set plus health.proto, parsed once per process. */
function reflectedDescriptors(): PackageDefinition {
  descriptors ??= {
    ...loadFileDescriptorSetFromBuffer(Buffer.from(PIPELINE_DESCRIPTOR_SET_BASE64, 'base64')),
    // health/v1/health.proto, named as grpc-health-check names it.
    ...loadSync('health/v1/health.proto', { includeDirs: [resolve(dirname(healthProtoPath), '../..')] }),
  };
  return descriptors;
}

/**
 * Adds server reflection (`grpc.reflection.v1` and `v1alpha`) listing exactly `serviceNames`,
 * so tools such as grpcurl can call a server without the .proto files.
 */
export function addReflection(server: Pick<Server, 'addService'>, serviceNames: readonly string[]): void {
  new ReflectionService(reflectedDescriptors(), { services: [...serviceNames] }).addToServer(server);
}
