export { ConfigError, EnvReader, type Env, type IntegerRange } from './env-reader';
export { parseCommandLine } from './command-line';
export { loadConfigOrExit } from './exit-on-config-error';
export {
  DEFAULT_PORTS,
  PROTOCOLS,
  SERVICE_NAMES,
  STAGE_ADDRESS_VARIABLES,
  type Protocol,
  type ServiceName,
  type StageServiceName,
} from './services';
export {
  loadOrchestratorConfig,
  loadStageServiceConfig,
  type ImageLimitsConfig,
  type ModelConfig,
  type OrchestratorConfig,
  type OrchestratorStageTuning,
  type ServerConfig,
  type StageServiceConfig,
} from './service-config';
export {
  MESSAGE_ENVELOPE_BYTES,
  largestStageImageBytes,
  orchestratorMessageLimits,
  stageMessageLimits,
  type MessageLimits,
} from './message-limits';
export { isStageAddress, splitEndpoint, stageEndpoints } from './stage-endpoints';
export { SERVICE_MALLOC_TUNABLES } from './malloc-tunables';
export { HTTP2_CLIENT_WINDOW_BYTES, HTTP2_SERVER_WINDOW_BYTES } from './http2-windows';
export { DEFAULT_CONNECTION_LIMITS, streamsPerConnection, type ConnectionLimits } from './connection-limits';
export { tokenFromFile, TOKEN_FILE_RULE, type ClientSecurity, type ServerSecurity } from './security-config';
