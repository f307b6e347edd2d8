import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { makeGenericClientConstructor, type ServiceDefinition } from '@grpc/grpc-js';
import {
  ClassifyRequest,
  Image,
  ProcessEvent,
  ProcessRequest,
  ProcessResult,
  ReduceNoiseRequest,
  ReduceNoiseResponse,
  RemoveBackgroundRequest,
  RemoveBackgroundResponse,
  UploadRequest,
  UploadResponse,
  type MessageFns,
} from '@imagepipeline/contracts';
import { concatAfterFramePrefix } from './frame-prefix';

/**
 * Protobuf encoding of the messages that carry images, with each image's bytes copied once.
 *
 * The generated `encode` copies a `bytes` field several times (into a growing buffer, out of a
 * fork, out of `finish()`, into a Buffer) and `decode` copies it again; for a 36 MB image that is
 * most of a call's time. These codecs write the same wire format (fields in another order, which
 * protobuf allows) and read it back with the image bytes as a view of the received message. The
 * rest of each message still goes through the generated code. Field numbers are those of
 * `pipeline.proto`; the spec checks both directions against the generated code.
 */
interface PartsCodec<T> {
  /** The encoded message as parts to concatenate: small ones, and image bytes as they are. */
  parts(value: T): Uint8Array[];
  decode(bytes: Uint8Array): T;
}

const EMPTY = Buffer.alloc(0);

const IMAGE_DATA_FIELD = 1;

const imageCodec: PartsCodec<Image> = {
  parts(image) {
    return [...lengthDelimited(IMAGE_DATA_FIELD, [image.data ?? EMPTY]), Image.encode({ ...image, data: EMPTY }).finish()];
  },
  decode(bytes) {
    let data: Uint8Array = EMPTY;
    const rest = splitFields(bytes, (fieldNo, reader) => {
      if (fieldNo !== IMAGE_DATA_FIELD) return false;
      data = reader.bytes();
      return true;
    });
    return { ...Image.decode(rest), data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) };
  },
};

/** A message whose listed fields (number → property) are images or other messages with their own codec. */
function messageCodec<T extends object>(type: MessageFns<T>, nested: Record<number, [keyof T, PartsCodec<unknown>]>): PartsCodec<T> {
  const fields = Object.entries(nested).map(([fieldNo, [key, codec]]) => ({ fieldNo: Number(fieldNo), key, codec }));
  return {
    parts(value) {
      const stripped = { ...value };
      const parts: Uint8Array[] = [];
      for (const { fieldNo, key, codec } of fields) {
        const field = value[key];
        if (field === undefined || field === null) continue;
        stripped[key] = undefined as T[keyof T];
        parts.push(...lengthDelimited(fieldNo, codec.parts(field)));
      }
      parts.push(type.encode(stripped).finish());
      return parts;
    },
    decode(bytes) {
      const found: [keyof T, unknown][] = [];
      const rest = splitFields(bytes, (fieldNo, reader) => {
        const field = fields.find((candidate) => candidate.fieldNo === fieldNo);
        if (!field) return false;
        found.push([field.key, field.codec.decode(reader.bytes())]);
        return true;
      });
      const message = type.decode(rest);
      for (const [key, value] of found) message[key] = value as T[keyof T];
      return message;
    },
  };
}

const processResultCodec = messageCodec(ProcessResult, {
  2: ['processedImage', imageCodec],
  9: ['uploadedImage', imageCodec],
  10: ['denoisedImage', imageCodec],
});

const RESULT_EVENT_FIELD = 2;

/** `ProcessEvent`: a `result` goes through the ProcessResult codec; a stage event is small. */
const processEventCodec: PartsCodec<ProcessEvent> = {
  parts(event) {
    if (event.event?.$case !== 'result') return [ProcessEvent.encode(event).finish()];
    return lengthDelimited(RESULT_EVENT_FIELD, processResultCodec.parts(event.event.value));
  },
  decode(bytes) {
    let result: ProcessResult | undefined;
    const rest = splitFields(bytes, (fieldNo, reader) => {
      if (fieldNo !== RESULT_EVENT_FIELD) return false;
      result = processResultCodec.decode(reader.bytes());
      return true;
    });
    return result ? { event: { $case: 'result', value: result } } : ProcessEvent.decode(rest);
  },
};

const withImage = <T extends { image?: Image | undefined }>(type: MessageFns<T>) =>
  messageCodec<T>(type, { 1: ['image', imageCodec] });

/** The codecs of each method's request and, where it carries images, its response, by method path. */
const METHOD_CODECS: Record<string, { request: PartsCodec<unknown>; response?: PartsCodec<unknown> }> = {
  '/imagepipeline.v1.UploaderService/Upload': { request: withImage(UploadRequest), response: withImage(UploadResponse) },
  '/imagepipeline.v1.NoiseReducerService/ReduceNoise': {
    request: withImage(ReduceNoiseRequest),
    response: withImage(ReduceNoiseResponse),
  },
  '/imagepipeline.v1.BackgroundRemoverService/RemoveBackground': {
    request: withImage(RemoveBackgroundRequest),
    response: withImage(RemoveBackgroundResponse),
  },
  '/imagepipeline.v1.OrchestratorService/Process': { request: withImage(ProcessRequest), response: processResultCodec },
  '/imagepipeline.v1.OrchestratorService/ProcessStream': { request: withImage(ProcessRequest), response: processEventCodec },
  '/imagepipeline.v1.ClassifierService/Classify': { request: withImage(ClassifyRequest) },
};

/**
 * The service definition with the image codecs above for every request and response that carries
 * images; other messages keep the generated code. Use it on both sides: server and client.
 */
export function withImageCodecs<T extends ServiceDefinition>(definition: T): T {
  const methods = Object.entries(definition).map(([name, method]) => {
    const codecs = METHOD_CODECS[method.path];
    if (!codecs) return [name, method];
    const { request, response } = codecs;
    const requestCodec = { requestSerialize: serializer(request), requestDeserialize: deserializer(request) };
    const responseCodec = response && { responseSerialize: serializer(response), responseDeserialize: deserializer(response) };
    return [name, { ...method, ...requestCodec, ...responseCodec }];
  });
  return Object.fromEntries(methods) as T;
}

function serializer(codec: PartsCodec<unknown>) {
  return (value: unknown): Buffer => concatAfterFramePrefix(codec.parts(value));
}

function deserializer(codec: PartsCodec<unknown>) {
  return (bytes: Buffer): unknown => codec.decode(bytes);
}

/** A length-delimited field made of `parts`: its tag and length, then the parts as they are. */
function lengthDelimited(fieldNo: number, parts: Uint8Array[]): Uint8Array[] {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const tag = ((fieldNo << 3) | WireType.LengthDelimited) >>> 0;
  return [new BinaryWriter().uint32(tag).uint32(length).finish(), ...parts];
}

/**
 * Walks the top-level fields of `bytes`; `take` reads a length-delimited field it wants (and
 * returns true). Answers the fields it did not take, concatenated: small, for the generated decode.
 */
function splitFields(bytes: Uint8Array, take: (fieldNo: number, reader: BinaryReader) => boolean): Uint8Array {
  const reader = new BinaryReader(bytes);
  const rest: Uint8Array[] = [];
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [fieldNo, wireType] = reader.tag();
    if (wireType === WireType.LengthDelimited && take(fieldNo, reader)) continue;
    reader.skip(wireType, fieldNo);
    rest.push(bytes.subarray(start, reader.pos));
  }
  return rest.length === 1 ? rest[0] : Buffer.concat(rest);
}

/** A generated client class, rebuilt on the same service definition with the image codecs. */
export function withImageCodecsClient<C extends { service: ServiceDefinition; serviceName: string }>(generated: C): C {
  return makeGenericClientConstructor(withImageCodecs(generated.service), generated.serviceName) as unknown as C;
}
