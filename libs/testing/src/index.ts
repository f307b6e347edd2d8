/**
 * Test support for every project: tools outside npm that some tests need, and the gate that skips
 * those tests (or fails them in CI) when a tool is missing, and throwaway TLS credentials. Only tests
 * and the local runner (`npm start -- --tls`) import this.
 */
export { CHROMIUM, commandProblem, DOCKER_COMPOSE, DOCKER_ENGINE, KUBECTL, NETWORK_NAMESPACES, PYTHON_GRPC, type ExternalTool } from './external-tools';
export { canRunWith, skipLine, SKIPPED_TESTS_FILE_VARIABLE } from './tool-gate';
export { issueCertificate, makeAuthority, makeToken, writeLocalCredentials, type Authority, type CredentialFiles, type Issued } from './certificates';
