import type { Server } from '@grpc/grpc-js';
import {
  BackgroundRemoverServiceService,
  ClassifierServiceService,
  NoiseReducerServiceService,
  stageTableRow,
  UploaderServiceService,
  type BackgroundRemoverServiceServer,
  type ClassifierServiceServer,
  type NoiseReducerServiceServer,
  type UploaderServiceServer,
} from '@imagepipeline/contracts';
import type {
  AnyStageRuntime,
  BackgroundRemoverRuntime,
  ClassifierRuntime,
  NoiseReducerRuntime,
  UploaderRuntime,
} from '@imagepipeline/stages';
import { CallGuard } from './call-guard';
import { withImageCodecs } from './image-codec';
import { tolerateMalformedRequests } from './malformed-request';
import type { GrpcServiceBinding } from './service-binding';

/** Each binding's gRPC service and method names, as the stage table spells them. */
const UPLOADER = stageTableRow('uploader');
const NOISE_REDUCER = stageTableRow('noise-reducer');
const BACKGROUND_REMOVER = stageTableRow('background-remover');
const CLASSIFIER = stageTableRow('classifier');

/** `imagepipeline.v1.UploaderService` over an uploader runtime. */
export class UploaderGrpcService implements GrpcServiceBinding {
  readonly serviceName = UPLOADER.grpcService;

  constructor(private readonly runtime: Pick<UploaderRuntime, 'upload'>) {}

  addToServer(server: Pick<Server, 'addService'>, guard = CallGuard.unguarded()): void {
    const implementation: UploaderServiceServer = {
      upload: guard.unary(UPLOADER.grpcMethod, (request, signal) => this.runtime.upload(request, signal)),
    };
    server.addService(tolerateMalformedRequests(withImageCodecs(UploaderServiceService)), implementation);
  }
}

/** `imagepipeline.v1.NoiseReducerService` over a noise reducer runtime. */
export class NoiseReducerGrpcService implements GrpcServiceBinding {
  readonly serviceName = NOISE_REDUCER.grpcService;

  constructor(private readonly runtime: Pick<NoiseReducerRuntime, 'reduceNoise'>) {}

  addToServer(server: Pick<Server, 'addService'>, guard = CallGuard.unguarded()): void {
    const implementation: NoiseReducerServiceServer = {
      reduceNoise: guard.unary(NOISE_REDUCER.grpcMethod, (request, signal) => this.runtime.reduceNoise(request, signal)),
    };
    server.addService(tolerateMalformedRequests(withImageCodecs(NoiseReducerServiceService)), implementation);
  }
}

/** `imagepipeline.v1.BackgroundRemoverService` over a background remover runtime. */
export class BackgroundRemoverGrpcService implements GrpcServiceBinding {
  readonly serviceName = BACKGROUND_REMOVER.grpcService;

  constructor(private readonly runtime: Pick<BackgroundRemoverRuntime, 'removeBackground'>) {}

  addToServer(server: Pick<Server, 'addService'>, guard = CallGuard.unguarded()): void {
    const implementation: BackgroundRemoverServiceServer = {
      removeBackground: guard.unary(BACKGROUND_REMOVER.grpcMethod, (request, signal) => this.runtime.removeBackground(request, signal)),
    };
    server.addService(tolerateMalformedRequests(withImageCodecs(BackgroundRemoverServiceService)), implementation);
  }
}

/** `imagepipeline.v1.ClassifierService` over a classifier runtime. */
export class ClassifierGrpcService implements GrpcServiceBinding {
  readonly serviceName = CLASSIFIER.grpcService;

  constructor(private readonly runtime: Pick<ClassifierRuntime, 'classify'>) {}

  addToServer(server: Pick<Server, 'addService'>, guard = CallGuard.unguarded()): void {
    const implementation: ClassifierServiceServer = {
      classify: guard.unary(CLASSIFIER.grpcMethod, (request, signal) => this.runtime.classify(request, signal)),
    };
    server.addService(tolerateMalformedRequests(withImageCodecs(ClassifierServiceService)), implementation);
  }
}

/** The gRPC binding of whichever stage `runtime` runs. */
export function stageGrpcService(runtime: AnyStageRuntime): GrpcServiceBinding {
  switch (runtime.service) {
    case 'uploader':
      return new UploaderGrpcService(runtime);
    case 'noise-reducer':
      return new NoiseReducerGrpcService(runtime);
    case 'background-remover':
      return new BackgroundRemoverGrpcService(runtime);
    case 'classifier':
      return new ClassifierGrpcService(runtime);
  }
}
