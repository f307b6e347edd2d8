import { Channel, connectivityState, status, type CallOptions, type ChannelCredentials, type ClientUnaryCall, type Metadata, type ServiceError } from '@grpc/grpc-js';
import {
  BackgroundRemoverServiceClient,
  ClassifierServiceClient,
  DEFAULT_MAX_IMAGE_BYTES,
  DEFAULT_MAX_PIXELS,
  NoiseReducerServiceClient,
  PipelineError,
  PipelineErrorCode,
  RAW_PIXELS_FORMAT,
  STAGE_TABLE,
  UploaderServiceClient,
  type ClassifyResponse,
  type Image,
  type ReduceNoiseResponse,
  type RemoveBackgroundResponse,
  type UploadResponse,
} from '@imagepipeline/contracts';
import { stageEndpoints, stageMessageLimits, type ClientSecurity, type StageServiceName } from '@imagepipeline/config';
import { RoundRobin, type StageClient } from '@imagepipeline/pipeline';
import { RetryPolicy, retryOptionProblems, type AttemptOutcome, type RetryOptions } from '@imagepipeline/serving';
import { grpcClientOptions } from './channel-options';
import { withImageCodecsClient } from './image-codec';
import { fromServiceError, PIPELINE_ERROR_CODE_KEY } from './error-status';
import { callMetadata, channelCredentials } from './transport-security';

/**
 * Options of {@link GrpcStageClient}. The retry options (the serving core's policy) apply to a call
 * answered UNAVAILABLE (unreachable, a model still loading) or cancelled by a replica going away.
 */
export interface GrpcStageClientOptions extends RetryOptions {
  /** `host:port` of each stage service, or a comma-separated list of its replicas. */
  addresses: Readonly<Record<StageServiceName, string>>;
  /** gRPC deadline of each attempt, for all stages or per stage; default 60 s. */
  callTimeoutMs?: number | Partial<Record<StageServiceName, number>>;
  /** Largest message sent or received; default: what stages with the default image limits take. */
  maxMessageBytes?: number;
  /** TLS (when `ca` is set), the client certificate for mutual TLS, and the bearer token sent; none by default. */
  security?: ClientSecurity;
}

/** The options that are this transport's own, with their defaults applied. */
type CallSettings = Required<Pick<GrpcStageClientOptions, 'callTimeoutMs' | 'maxMessageBytes'>>;

type Callback<Res> = (error: ServiceError | null, response: Res) => void;
type StartCall<Client, Res> = (client: Client, metadata: Metadata, options: Partial<CallOptions>, callback: Callback<Res>) => ClientUnaryCall;

/** The generated client of each stage. */
interface ClientOf {
  uploader: UploaderServiceClient;
  'noise-reducer': NoiseReducerServiceClient;
  'background-remover': BackgroundRemoverServiceClient;
  classifier: ClassifierServiceClient;
}
const CLIENT_CLASS = {
  uploader: withImageCodecsClient(UploaderServiceClient),
  'noise-reducer': withImageCodecsClient(NoiseReducerServiceClient),
  'background-remover': withImageCodecsClient(BackgroundRemoverServiceClient),
  classifier: withImageCodecsClient(ClassifierServiceClient),
} as const;

/** One listed endpoint of a stage: its channel (balancing over the addresses its name resolves to) and client. */
interface Replica<Client> {
  channel: Channel;
  client: Client;
}

/** Each stage's listed endpoints, taking turns. */
type ReplicasByStage = { [Stage in StageServiceName]: RoundRobin<Replica<ClientOf[Stage]>> };

/** The message limit of stage services with the default image limits: raw pixels of 52 MP. */
const DEFAULT_STAGE_MESSAGE_BYTES = stageMessageLimits({ maxBytes: DEFAULT_MAX_IMAGE_BYTES, maxPixels: DEFAULT_MAX_PIXELS }).maxRequestBytes;

const DEFAULT_CALL_TIMEOUT_MS = 60_000;

const DEFAULTS: CallSettings = { callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS, maxMessageBytes: DEFAULT_STAGE_MESSAGE_BYTES };

/**
 * The orchestrator's gRPC client to the four stage services. Each listed endpoint of a stage
 * address gets one channel (shared between stages with the same endpoint), a `dns:///` target
 * balanced `round_robin` over every address its name resolves to (over TLS when `security.ca` is
 * set); calls take turns over a stage's listed endpoints, passing over one whose channel is in
 * TRANSIENT_FAILURE. Per call: the bearer token when there is one, a deadline on every attempt,
 * retries by the serving core's policy while a stage is UNAVAILABLE, cancellation through the
 * caller's signal, and every failure as a PipelineError (the exact code when the stage sent one;
 * STAGE_UNAVAILABLE when it could not be reached).
 */
export class GrpcStageClient implements StageClient {
  private readonly channels = new Map<string, Channel>();
  private readonly replicas: ReplicasByStage;
  private readonly settings: CallSettings;
  private readonly retryPolicy: RetryPolicy;
  private readonly credentials: ChannelCredentials;
  private closed = false;

  constructor(private readonly options: GrpcStageClientOptions) {
    const { callTimeoutMs, maxMessageBytes } = options;
    this.settings = { ...DEFAULTS, ...definedOnly({ callTimeoutMs, maxMessageBytes }) };
    checkOptions(this.settings, options);
    this.retryPolicy = new RetryPolicy(options);
    this.credentials = channelCredentials(options.security);
    this.replicas = Object.fromEntries(STAGE_TABLE.map(({ service }) => [service, this.replicasOf(service)])) as ReplicasByStage;
  }

  upload(image: Image, signal: AbortSignal): Promise<UploadResponse> {
    return this.call('uploader', signal, (client, metadata, options, done) =>
      client.upload({ image, outputFormat: RAW_PIXELS_FORMAT }, metadata, options, done),
    );
  }

  reduceNoise(image: Image, signal: AbortSignal): Promise<ReduceNoiseResponse> {
    return this.call('noise-reducer', signal, (client, metadata, options, done) =>
      client.reduceNoise({ image, kernelSize: 0, outputFormat: RAW_PIXELS_FORMAT }, metadata, options, done),
    );
  }

  removeBackground(image: Image, signal: AbortSignal): Promise<RemoveBackgroundResponse> {
    return this.call('background-remover', signal, (client, metadata, options, done) =>
      client.removeBackground({ image }, metadata, options, done),
    );
  }

  classify(image: Image, topK: number, signal: AbortSignal): Promise<ClassifyResponse> {
    return this.call('classifier', signal, (client, metadata, options, done) => client.classify({ image, topK }, metadata, options, done));
  }

  /** Closes every channel; later calls reject with STAGE_UNAVAILABLE. */
  async close(): Promise<void> {
    this.closed = true;
    for (const channel of this.channels.values()) channel.close();
    this.channels.clear();
  }

  /** A client per listed endpoint of the stage, sharing one channel per distinct endpoint. */
  private replicasOf<Stage extends StageServiceName>(stage: Stage): RoundRobin<Replica<ClientOf[Stage]>> {
    const channelOptions = grpcClientOptions(this.settings.maxMessageBytes);
    const Client = CLIENT_CLASS[stage];
    const replicas = stageEndpoints(this.options.addresses[stage]).map((endpoint) => {
      const target = `dns:///${endpoint}`;
      let channel = this.channels.get(target);
      if (!channel) {
        channel = new Channel(target, this.credentials, channelOptions);
        this.channels.set(target, channel);
      }
      const client = new Client(target, this.credentials, { ...channelOptions, channelOverride: channel });
      return { channel, client: client as ClientOf[Stage] };
    });
    return new RoundRobin(replicas);
  }

  private async call<Stage extends StageServiceName, Res>(
    stage: Stage,
    signal: AbortSignal,
    start: StartCall<ClientOf[Stage], Res>,
  ): Promise<Res> {
    const where = `${stage} at ${this.options.addresses[stage]}`;
    const attemptOnce = async (attemptNumber: number): Promise<AttemptOutcome<Res>> => {
      if (this.closed) throw new PipelineError(PipelineErrorCode.STAGE_UNAVAILABLE, `${where}: the stage client is closed`);
      signal.throwIfAborted();
      try {
        const { client } = this.replicas[stage].pick(isReachable);
        const metadata = callMetadata(this.options.security?.token);
        return { ok: true, value: await this.attempt((options, done) => start(client, metadata, options, done), this.timeoutFor(stage), signal) };
      } catch (error) {
        signal.throwIfAborted(); // our own cancellation, not the stage's
        const serviceError = error as ServiceError;
        const failure = fromServiceError(serviceError, attemptNumber > 1 ? `${where} (${attemptNumber} attempts)` : where);
        if (foundStageGone(serviceError)) return { ok: false, failure };
        throw failure;
      }
    };
    try {
      return await this.retryPolicy.run(attemptOnce, signal);
    } catch (error) {
      throw signal.aborted ? abortError(signal, where) : error;
    }
  }

  /** One call with its own deadline; the signal cancels it. */
  private attempt<Res>(start: (options: Partial<CallOptions>, callback: Callback<Res>) => ClientUnaryCall, timeoutMs: number, signal: AbortSignal): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      const onAbort = () => call.cancel();
      const call = start({ deadline: Date.now() + timeoutMs }, (error, response) => {
        signal.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(response);
      });
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private timeoutFor(stage: StageServiceName): number {
    const { callTimeoutMs } = this.settings;
    return typeof callTimeoutMs === 'number' ? callTimeoutMs : (callTimeoutMs[stage] ?? DEFAULT_CALL_TIMEOUT_MS);
  }
}

/**
 * A failure that says the stage (this replica) could not take the call: UNAVAILABLE, or a call
 * cancelled by the server's side without a pipeline code, as a replica does to the calls still
 * running when its shutdown grace ends. Our own cancellations never get here (the signal is checked first).
 */
function foundStageGone(error: ServiceError): boolean {
  if (error.code === status.UNAVAILABLE) return true;
  return error.code === status.CANCELLED && error.metadata?.get(PIPELINE_ERROR_CODE_KEY).length === 0;
}

/** A channel that is not failing to connect to every address of its endpoint. */
function isReachable(replica: Replica<unknown>): boolean {
  return replica.channel.getConnectivityState(false) !== connectivityState.TRANSIENT_FAILURE;
}

/** Throws one INVALID_ARGUMENT naming every option, the retry policy's too, that is not a whole number in range. */
function checkOptions(settings: CallSettings, retry: RetryOptions): void {
  const { callTimeoutMs, maxMessageBytes } = settings;
  const timeouts = typeof callTimeoutMs === 'number' ? { callTimeoutMs } : prefixed('callTimeoutMs.', callTimeoutMs);
  const values: Record<string, number | undefined> = { maxMessageBytes, ...timeouts };
  const problems = [
    ...retryOptionProblems(retry),
    ...Object.entries(values)
      .filter(([, value]) => !Number.isSafeInteger(value) || (value as number) < 1)
      .map(([key, value]) => `${key}: expected a positive integer, got ${value}`),
  ];
  if (problems.length > 0) {
    throw new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, `invalid GrpcStageClient options: ${problems.join('; ')}`);
  }
}

function prefixed(prefix: string, values: object): Record<string, number | undefined> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [prefix + key, value]));
}

/** The caller's abort reason as a PipelineError (the orchestrator aborts with one). */
function abortError(signal: AbortSignal, where: string): PipelineError {
  if (signal.reason instanceof PipelineError) return signal.reason;
  const detail = signal.reason instanceof Error ? signal.reason.message : String(signal.reason);
  return new PipelineError(PipelineErrorCode.DEADLINE_EXCEEDED, `${where}: call cancelled (${detail})`, { cause: signal.reason });
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
