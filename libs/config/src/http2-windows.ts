/**
 * HTTP/2 receive windows, per stream and per connection, used alike by gRPC and by REST over
 * HTTP/2, so the two differ only in what they carry. Node's default is 64 KiB: a large message
 * then waits a round trip per 64 KiB.
 *
 * Servers open a smaller window than clients: Node's HTTP/2 stops reading a socket while a write
 * to it is in progress, so when both ends may have more in flight than the socket buffers hold,
 * both can end up writing and neither reading. With 16 MiB at the servers, four 48 MP photos at once
 * stalled the orchestrator's calls to a stage until their deadline (4 calls in 12); with 1 MiB,
 * none in 20 (`tools/e2e/src/pixel-limit.e2e.spec.ts` checks it).
 */
export const HTTP2_CLIENT_WINDOW_BYTES = 16 * 1024 * 1024;
export const HTTP2_SERVER_WINDOW_BYTES = 1024 * 1024;
