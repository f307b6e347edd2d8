import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readClientSecurity } from './client-security';

describe('readClientSecurity', () => {
  it('reads the files into what the orchestrator clients take, the token from its first line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'client-security-'));
    await writeFile(join(dir, 'ca.pem'), 'ca');
    await writeFile(join(dir, 'token'), 'a-token-of-enough-length-1234\n');
    const security = await readClientSecurity({ ca: join(dir, 'ca.pem'), token: join(dir, 'token') });
    expect(security.ca?.toString()).toBe('ca');
    expect(security.token).toBe('a-token-of-enough-length-1234');
    expect(security.cert).toBeUndefined();
  });

  it('names the flag of a file it cannot read, or of a token file without a token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'client-security-'));
    await writeFile(join(dir, 'short'), 'abc');
    await expect(readClientSecurity({ ca: join(dir, 'missing.pem') })).rejects.toThrow(/^--tls-ca: cannot read ".*missing\.pem" \(ENOENT\)$/);
    await expect(readClientSecurity({ token: join(dir, 'short') })).rejects.toThrow(/^--token-file: expected a file whose first line/);
  });
});
