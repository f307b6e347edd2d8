import type { ChannelOptions } from '@grpc/grpc-js';
import { HTTP2_CLIENT_WINDOW_BYTES, HTTP2_SERVER_WINDOW_BYTES, streamsPerConnection, type MessageLimits, type ServerConfig } from '@imagepipeline/config';

/** How often an idle connection is pinged, and how long a ping may stay unanswered. */
const KEEPALIVE_TIME_MS = 60_000;
const KEEPALIVE_TIMEOUT_MS = 20_000;

/**
 * A server closes each connection (GOAWAY) after about this long, so clients re-resolve the stage's
 * name and spread over replicas added since (grpc-js adds ±10 % jitter). Calls running then may
 * finish within the grace: longer than any stage deadline by default.
 */
const MAX_CONNECTION_AGE_MS = 30_000;
const MAX_CONNECTION_AGE_GRACE_MS = 300_000;

/** Balance each channel's calls over every address its name resolves to, READY ones only. */
const ROUND_ROBIN_SERVICE_CONFIG = JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] });

const MiB = 1024 * 1024;

/** What a server needs to know to size its options. */
export type GrpcServerLimits = MessageLimits & Pick<ServerConfig, 'maxConcurrent' | 'maxQueued' | 'connections'>;

/**
 * Server options: explicit message size limits in both directions (grpc-js answers a larger
 * request with RESOURCE_EXHAUSTED before our handler sees it), a 1 MiB receive window, keepalive
 * pings that find dead peers, e.g. a client host that vanished without closing its TCP
 * connection, and a maximum connection age, so that clients find replicas added behind the same name.
 * One connection may open as many streams as admission can take, and no more (further ones wait at
 * the client); its HTTP/2 session may hold what its admitted calls need (grpc-js otherwise lifts
 * Node's limit), beyond which new streams are refused; and it is closed after the idle timeout
 * without calls.
 */
export function grpcServerOptions(limits: GrpcServerLimits): ChannelOptions {
  return {
    'grpc.max_concurrent_streams': streamsPerConnection(limits),
    'grpc-node.max_session_memory': Math.ceil(((limits.maxConcurrent + 1) * (limits.maxRequestBytes + limits.maxResponseBytes)) / MiB),
    'grpc.max_connection_idle_ms': limits.connections.idleTimeoutMs,
    // Read by servers only with the backport in `patches/` (grpc/grpc-node#3058, not yet released).
    'grpc-node.flow_control_window': HTTP2_SERVER_WINDOW_BYTES,
    'grpc.max_receive_message_length': limits.maxRequestBytes,
    'grpc.max_send_message_length': limits.maxResponseBytes,
    'grpc.keepalive_time_ms': KEEPALIVE_TIME_MS,
    'grpc.keepalive_timeout_ms': KEEPALIVE_TIMEOUT_MS,
    'grpc.max_connection_age_ms': MAX_CONNECTION_AGE_MS,
    'grpc.max_connection_age_grace_ms': MAX_CONNECTION_AGE_GRACE_MS,
  };
}

/**
 * Client options: the same message limits, keepalive only while calls are active (servers built on
 * gRPC C-core punish pings on idle connections) and a short first reconnect backoff, so a stage that
 * restarts is found again within about a second (at most 1 s between attempts). No service-config `retryPolicy`:
 * grpc-js buffers at most 1 MiB of a request for one, less than a photo, so the client retries itself.
 * `round_robin` spreads calls over every resolved address (the default `pick_first` stays on the
 * first); the service config is ours alone, never one from a DNS TXT record. A name is resolved
 * again when a connection closes (a server's maximum age, a replica gone), at most every 5 s.
 */
export function grpcClientOptions(maxMessageBytes: number): ChannelOptions {
  return {
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
    'grpc.keepalive_time_ms': KEEPALIVE_TIME_MS,
    'grpc.keepalive_timeout_ms': KEEPALIVE_TIMEOUT_MS,
    'grpc.keepalive_permit_without_calls': 0,
    'grpc.initial_reconnect_backoff_ms': 250,
    'grpc.max_reconnect_backoff_ms': 1_000,
    // With 1 ms added each way, a 3.6 MB echo took 450 ms with the default window and 235 ms with this.
    'grpc-node.flow_control_window': HTTP2_CLIENT_WINDOW_BYTES,
    'grpc.service_config': ROUND_ROBIN_SERVICE_CONFIG,
    'grpc.service_config_disable_resolution': 1,
    'grpc.dns_min_time_between_resolutions_ms': 5_000,
  };
}
