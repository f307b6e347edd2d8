import type { Server } from '@grpc/grpc-js';
import type { CallGuard } from './call-guard';

/**
 * A gRPC service implementation that adds itself to a server, in the manner of
 * `HealthImplementation.addToServer`. `startGrpcServer` passes its guard (limits, logging);
 * added by hand without one, calls run unguarded.
 */
export interface GrpcServiceBinding {
  /** The fully-qualified service name, e.g. `imagepipeline.v1.ClassifierService`: for health and reflection. */
  readonly serviceName: string;
  addToServer(server: Pick<Server, 'addService'>, guard?: CallGuard): void;
}
