import type { ServiceDefinition } from '@grpc/grpc-js';
import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';

/** Stands in for a request message whose bytes did not decode. */
class MalformedRequest {
  constructor(readonly reason: string) {}
}

/**
 * The service definition with request decoding that never throws: grpc-js answers a throwing
 * deserializer with INTERNAL ("Error deserializing request"), a server fault, although the client
 * sent bytes that are not the message. A failed decode becomes a `MalformedRequest` instead, which
 * `CallGuard` answers with INVALID_ARGUMENT.
 */
export function tolerateMalformedRequests<T extends ServiceDefinition>(definition: T): T {
  const methods = Object.entries(definition).map(([name, method]) => {
    const decode = method.requestDeserialize;
    const requestDeserialize = (bytes: Buffer) => {
      try {
        return decode(bytes);
      } catch (error) {
        return new MalformedRequest(error instanceof Error ? error.message : String(error));
      }
    };
    return [name, { ...method, requestDeserialize }];
  });
  return Object.fromEntries(methods) as T;
}

/** The INVALID_ARGUMENT error for a request that did not decode, or undefined for a real message. */
export function malformedRequestError(request: unknown, method: string): PipelineError | undefined {
  if (!(request instanceof MalformedRequest)) return undefined;
  return new PipelineError(
    PipelineErrorCode.INVALID_ARGUMENT,
    `${method}: the request is not a valid protobuf message (${request.reason})`,
  );
}
