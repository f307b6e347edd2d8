/** The five services and their default ports in the local topology (the original project's). */
export const SERVICE_NAMES = ['orchestrator', 'uploader', 'noise-reducer', 'background-remover', 'classifier'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const PROTOCOLS = ['grpc', 'rest'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const DEFAULT_PORTS: Record<Protocol, Record<ServiceName, number>> = {
  grpc: { orchestrator: 50030, uploader: 50040, 'noise-reducer': 50041, 'background-remover': 50042, classifier: 50043 },
  rest: { orchestrator: 50051, uploader: 50060, 'noise-reducer': 50061, 'background-remover': 50062, classifier: 50063 },
};

/** The stage services the orchestrator calls, with the original project's address variables. */
export const STAGE_ADDRESS_VARIABLES = {
  uploader: 'UPLOADER_ADDR',
  'noise-reducer': 'NOISE_ADDR',
  'background-remover': 'BACKGROUND_ADDR',
  classifier: 'CLASSIFIER_ADDR',
} as const satisfies Record<Exclude<ServiceName, 'orchestrator'>, string>;

export type StageServiceName = keyof typeof STAGE_ADDRESS_VARIABLES;
