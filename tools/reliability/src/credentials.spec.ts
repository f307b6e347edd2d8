// Bad credentials at services with mutual TLS and a token on every port, both protocols, against the
// built apps as real processes: each refused with the protocol's own answer, the service healthy after.
import { describe, expect, it } from 'vitest';
import type { Protocol } from '@imagepipeline/config';
import { CREDENTIAL_CASES } from './credentials';
import { runCredentialSuite } from './suites';

describe.each(['grpc', 'rest'] as const)('credentials over %s', (protocol: Protocol) => {
  it('refuses each bad credential at the orchestrator and the classifier with the protocol’s own answer, stays ready and serves good callers', async () => {
    const results = await runCredentialSuite(protocol);
    // Each case at two services, then one image end to end.
    expect(results).toHaveLength(2 * CREDENTIAL_CASES.length + 1);
    expect(results.filter((r) => !r.pass).map((r) => `${r.id} @ ${r.target}: expected ${r.expected}, got ${r.actual}`)).toEqual([]);
  });
});
