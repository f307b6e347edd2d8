/**
 * gRPC puts a 5-byte prefix (compressed flag, length) before every message on the wire, and grpc-js
 * makes it by copying the whole serialized message into a new buffer: for an image, one more copy of
 * megabytes on every send, and one more large allocation for the GC. Our serializers leave those 5
 * bytes free in front of the message and mark it; grpc-js, patched (see `patches/`), then writes the
 * prefix there and sends the bytes in place.
 */
export const GRPC_MESSAGE_PREFIX_BYTES = 5;

/** The mark the patch looks for: the 5 bytes before this buffer belong to it and may be overwritten. */
export const FRAME_PREFIX_RESERVED = Symbol.for('image-pipeline.grpc-frame-prefix-reserved');

/** `parts` concatenated once, after room for the message prefix, and marked for the patch. */
export function concatAfterFramePrefix(parts: readonly Uint8Array[]): Buffer {
  const frame = Buffer.allocUnsafe(parts.reduce((sum, part) => sum + part.length, GRPC_MESSAGE_PREFIX_BYTES));
  let offset = GRPC_MESSAGE_PREFIX_BYTES;
  for (const part of parts) {
    frame.set(part, offset);
    offset += part.length;
  }
  const message = frame.subarray(GRPC_MESSAGE_PREFIX_BYTES);
  Object.defineProperty(message, FRAME_PREFIX_RESERVED, { value: true });
  return message;
}
