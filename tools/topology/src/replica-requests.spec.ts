import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countBackgroundRemovals } from './replica-requests';

// Lines as the services write them (pino JSON), with the ones that must not count.
const GRPC_LOG = [
  '{"level":30,"service":"background-remover","msg":"ready"}',
  '{"level":30,"service":"background-remover","method":"RemoveBackground","status":"OK","ms":436.6,"peer":"127.0.0.1:1","msg":"call"}',
  '{"level":40,"service":"background-remover","method":"RemoveBackground","status":"UNAVAILABLE","ms":1.2,"peer":"127.0.0.1:1","msg":"call"}',
  '{"level":30,"service":"background-remover","method":"Other","status":"OK","ms":1,"peer":"127.0.0.1:1","msg":"call"}',
  '{"level":30,"service":"background-remover","method":"RemoveBack',
].join('\n');
const REST_LOG = [
  '{"level":30,"service":"background-remover","method":"GET /readyz","status":200,"ms":0.3,"peer":"127.0.0.1","msg":"call"}',
  '{"level":30,"service":"background-remover","method":"POST /v1/remove-background","status":200,"ms":436.6,"peer":"127.0.0.1","msg":"call"}',
  '{"level":40,"service":"background-remover","method":"POST /v1/remove-background","status":429,"ms":0.4,"peer":"127.0.0.1","msg":"call"}',
  'not json',
].join('\n');

describe('countBackgroundRemovals', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'replica-requests-'));
    await writeFile(join(dir, 'grpc.log'), GRPC_LOG);
    await writeFile(join(dir, 'rest.log'), REST_LOG);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('counts every RemoveBackground call a gRPC replica logged, whatever its status, and skips a cut line', async () => {
    expect(await countBackgroundRemovals('grpc', join(dir, 'grpc.log'))).toBe(2);
  });

  it('counts every remove-background call a REST replica logged, whatever its status, not probes', async () => {
    expect(await countBackgroundRemovals('rest', join(dir, 'rest.log'))).toBe(2);
  });

  it('counts nothing for a log that does not exist', async () => {
    expect(await countBackgroundRemovals('grpc', join(dir, 'missing.log'))).toBe(0);
  });
});
