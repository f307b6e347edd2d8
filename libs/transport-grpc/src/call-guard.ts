import { status, type handleServerStreamingCall, type handleUnaryCall, type ServerUnaryCall, type ServerWritableStream } from '@grpc/grpc-js';
import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { statusName, toServiceError } from './error-status';
import type { JsonLogger } from './json-logger';
import { malformedRequestError } from './malformed-request';

/** The work behind a unary method: the request in, the response out; `signal` aborts when the client goes away. */
export type UnaryWork<Req, Res> = (request: Req, signal: AbortSignal) => Promise<Res>;

/**
 * The work behind a server-streaming method: `emit` writes one message; the promise settles when
 * the stream should end (its value, when defined, is written last).
 */
export type StreamWork<Req, Res> = (request: Req, emit: (message: Res) => void, signal: AbortSignal) => Promise<Res | void>;

/**
 * Wraps handlers in what every call gets: admission through the server's limiter, an abort signal
 * tied to the call's cancellation, error mapping to gRPC status and one JSON log line per call
 * (`method`, `status`, `ms`). Each call is answered exactly once.
 */
export class CallGuard {
  constructor(
    private readonly limiter: ConcurrencyLimiter,
    private readonly logger: JsonLogger,
  ) {}

  /** A guard with no admission limit that logs nothing: for a binding added outside `startGrpcServer`. */
  static unguarded(): CallGuard {
    const quiet = { error() {}, warn() {}, info() {}, debug() {} };
    return new CallGuard(new ConcurrencyLimiter({ maxConcurrent: Number.MAX_SAFE_INTEGER, maxQueued: 0 }), quiet);
  }

  /** A grpc-js unary handler running `work`. */
  unary<Req, Res>(method: string, work: UnaryWork<Req, Res>): handleUnaryCall<Req, Res> {
    return (call, callback) => {
      const { signal, finish } = this.begin(method, call);
      const malformed = malformedRequestError(call.request, method);
      (malformed ? Promise.reject(malformed) : this.limiter.run(() => work(call.request, signal), signal, imageBytes(call.request))).then(
        (response) => {
          finish(status.OK);
          callback(null, response);
        },
        (error: unknown) => {
          const answer = toServiceError(error);
          // The log keeps the full message; the client's may have had internal details taken out.
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
      const malformed = malformedRequestError(call.request, method);
      (malformed ? Promise.reject(malformed) : this.limiter.run(() => work(call.request, emit, signal), signal, imageBytes(call.request))).then(
        (last) => {
          finish(status.OK);
          if (last !== undefined) emit(last);
          call.end();
        },
        (error: unknown) => {
          const answer = toServiceError(error);
          // The log keeps the full message; the client's may have had internal details taken out.
          finish(answer.code ?? status.INTERNAL, PipelineError.from(error).message);
          call.emit('error', answer);
        },
      );
    };
  }

  /** Starts a call's clock and its abort signal; `finish` logs the outcome once. */
  private begin(method: string, call: ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>) {
    const started = performance.now();
    const controller = new AbortController();
    const onCancelled = () =>
      controller.abort(new PipelineError(PipelineErrorCode.DEADLINE_EXCEEDED, `${method}: the client cancelled the call or its deadline passed`));
    call.once('cancelled', onCancelled);
    const finish = (code: status, details?: string) => {
      call.removeListener('cancelled', onCancelled);
      const shown = call.cancelled ? 'CANCELLED' : statusName(code);
      const fields = { method, status: shown, ms: Math.round((performance.now() - started) * 10) / 10, peer: call.getPeer() };
      if (code === status.OK || call.cancelled) this.logger.info('call', fields);
      else if (code === status.INTERNAL || code === status.UNKNOWN) this.logger.error('call', { ...fields, error: details });
      else this.logger.warn('call', { ...fields, error: details });
    };
    return { signal: controller.signal, finish };
  }
}

/** The bytes of a request's image: nearly all of what a waiting call holds. */
function imageBytes(request: unknown): number {
  const data = (request as { image?: { data?: Uint8Array } } | undefined)?.image?.data;
  return data instanceof Uint8Array ? data.length : 0;
}
