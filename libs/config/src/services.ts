import { ORCHESTRATOR_SERVICE, STAGE_TABLE, type StageServiceName, type StageTableRow } from '@imagepipeline/contracts';

export type { StageServiceName } from '@imagepipeline/contracts';

/** The five services: the orchestrator, then the stages in pipeline order (see `STAGE_TABLE`). */
export const SERVICE_NAMES = [ORCHESTRATOR_SERVICE.service, ...STAGE_TABLE.map((row) => row.service)] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const PROTOCOLS = ['grpc', 'rest'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

const SERVICE_ROWS = [ORCHESTRATOR_SERVICE, ...STAGE_TABLE];

/** Each service's port in the local topology (the original project's), per protocol. */
export const DEFAULT_PORTS = Object.fromEntries(
  PROTOCOLS.map((protocol) => [protocol, Object.fromEntries(SERVICE_ROWS.map((row) => [row.service, row.defaultPorts[protocol]]))]),
) as Record<Protocol, Record<ServiceName, number>>;

/** The variable that gives the orchestrator each stage service's address (the original project's). */
export const STAGE_ADDRESS_VARIABLES = Object.fromEntries(STAGE_TABLE.map((row) => [row.service, row.addressVariable])) as Record<
  StageServiceName,
  StageTableRow['addressVariable']
>;
