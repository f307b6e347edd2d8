import { status, type handleServerStreamingCall, type handleUnaryCall, type ServerUnaryCall, type ServerWritableStream } from '@grpc/grpc-js';
import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import { Admission, bearerTokenRefusal, logCall, ServiceMetrics, type CallOutcome } from '@imagepipeline/serving';
import { pino, type Logger } from 'pino';
import { statusName, toServiceError } from './error-status';
import { malformedRequestError } from './malformed-request';
import { authorizationOf } from './transport-security';

/** The work behind a unary method: the request in, the response out; `signal` aborts when the client goes away. */
export type UnaryWork<Req, Res> = (request: Req, signal: AbortSignal) => Promise<Res>;

/**
 * The work behind a server-streaming method: `emit` writes one message; the promise settles when
 * the stream should end (its value, when defined, is written last).
 */
export type StreamWork<Req, Res> = (request: Req, emit: (message: Res) => void, signal: AbortSignal) => Promise<Res | void>;

/** A call of either kind, as the guard sees it. */
type GuardedCall = ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>;

/**
 * Wraps handlers in what every call gets: the bearer token check when the service has a token,
 * the serving core's admission (a refusal carries a retry-after trailer), an abort signal tied to
 * the call's cancellation, error mapping to gRPC status, and the serving core's one log line and
 * metrics per call (method, status name, duration, in flight). Each call is answered exactly once.
 */
export class CallGuard {
  constructor(
    private readonly admission: Admission,
    private readonly logger: Logger,
    private readonly metrics: ServiceMetrics,
    /** The bearer token every call must carry; none needed when undefined. */
    private readonly token?: string,
  ) {}

  /** A guard with no admission limit that logs nothing: for a binding added outside `startGrpcServer`. */
  static unguarded(): CallGuard {
    return new CallGuard(
      new Admission({ name: 'calls', concurrency: Number.MAX_SAFE_INTEGER, capacity: 0 }),
      pino({ level: 'silent' }),
      new ServiceMetrics({ service: 'unguarded', protocol: 'grpc', processMetrics: false }),
    );
  }

  /** A grpc-js unary handler running `work`. */
  unary<Req, Res>(method: string, work: UnaryWork<Req, Res>): handleUnaryCall<Req, Res> {
    return (call, callback) => {
      const { signal, finish } = this.begin(method, call);
      this.admit(method, call, (admitted) => work(call.request, admitted), signal).then(
        (response) => {
          finish(status.OK);
          callback(null, response);
        },
        (error: unknown) => {
          const answer = toServiceError(error);
          finish(answer.code ?? status.INTERNAL, PipelineError.from(error).message);
          callback(answer);
        },
      );
    };
  }

  /** A grpc-js server-streaming handler running `work`. */
  serverStream<Req, Res>(method: string, work: StreamWork<Req, Res>): handleServerStreamingCall<Req, Res> {
    return (call) => {
      const { signal, finish } = this.begin(method, call);
      const emit = (message: Res) => {
        if (!call.cancelled && call.writable) call.write(message);
      };
      this.admit(method, call, (admitted) => work(call.request, emit, admitted), signal).then(
        (last) => {
          finish(status.OK);
          if (last !== undefined) emit(last);
          call.end();
        },
        (error: unknown) => {
          const answer = toServiceError(error);
          finish(answer.code ?? status.INTERNAL, PipelineError.from(error).message);
          call.emit('error', answer);
        },
      );
    };
  }

  /**
   * A call without the right token, then a malformed request, is refused before it takes a place;
   * a well-formed one waits its turn.
   */
  private admit<T>(method: string, call: GuardedCall, task: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
    const refusal = bearerTokenRefusal(this.token, authorizationOf(call.metadata)) ?? malformedRequestError(call.request, method);
    if (refusal) return Promise.reject(refusal);
    return this.admission.enqueue(task, { signal, bytes: imageBytes(call.request) });
  }

  /** Starts a call's clock and its abort signal; `finish` logs and counts the outcome once. */
  private begin(method: string, call: GuardedCall) {
    const started = performance.now();
    const counted = this.metrics.startCall();
    const controller = new AbortController();
    const onCancelled = () =>
      controller.abort(new PipelineError(PipelineErrorCode.DEADLINE_EXCEEDED, `${method}: the client cancelled the call or its deadline passed`));
    call.once('cancelled', onCancelled);
    const finish = (code: status, error?: string) => {
      call.removeListener('cancelled', onCancelled);
      const outcome: CallOutcome =
        code === status.OK || call.cancelled ? 'done' : code === status.INTERNAL || code === status.UNKNOWN ? 'failed' : 'refused';
      const shown = call.cancelled ? 'CANCELLED' : statusName(code);
      counted(method, shown);
      logCall(this.logger, { method, status: shown, ms: performance.now() - started, peer: call.getPeer(), error }, outcome);
    };
    return { signal: controller.signal, finish };
  }
}

/** The bytes of a request's image: nearly all of what a waiting call holds. */
function imageBytes(request: unknown): number {
  const data = (request as { image?: { data?: Uint8Array } } | undefined)?.image?.data;
  return data instanceof Uint8Array ? data.length : 0;
}
