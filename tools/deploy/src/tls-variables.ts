/** Where the compose files and components/tls mount the credentials: the same folder in both. */
export const CREDENTIALS_MOUNT = '/run/secrets/image-pipeline';

/** The variables naming credential files, by who reads them (README, "TLS, mutual TLS and tokens"). */
export const SERVICE_FILES = ['TLS_CERT_FILE', 'TLS_KEY_FILE', 'TLS_CLIENT_CA_FILE', 'AUTH_TOKEN_FILE'];
export const HEALTHCHECK_FILES = ['HEALTHCHECK_TLS_CA_FILE', 'HEALTHCHECK_TLS_CERT_FILE', 'HEALTHCHECK_TLS_KEY_FILE'];
export const ORCHESTRATOR_FILES = ['STAGE_TLS_CA_FILE', 'STAGE_TLS_CERT_FILE', 'STAGE_TLS_KEY_FILE', 'STAGE_AUTH_TOKEN_FILE'];
