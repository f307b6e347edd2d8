import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countBackgroundRemovals } from './replica-requests';

// Lines as the services write them (pino JSON), with the ones that must not count.
const GRPC_LOG = [
  '{"level":"info","service":"background-remover","msg":"ready"}',
  '{"level":"info","service":"background-remover","msg":"call","method":"RemoveBackground","status":"OK","ms":436.6}',
  '{"level":"warn","service":"background-remover","msg":"call","method":"RemoveBackground","status":"UNAVAILABLE","ms":1.2}',
  '{"level":"info","service":"background-remover","msg":"call","method":"Other","status":"OK","ms":1}',
  '{"level":"info","service":"background-remover","msg":"call","method":"RemoveBack',
].join('\n');
const REST_LOG = [
  '{"level":30,"reqId":"req-1","req":{"method":"GET","url":"/readyz"},"msg":"incoming request"}',
  '{"level":30,"reqId":"req-2","req":{"method":"POST","url":"/v1/remove-background"},"msg":"incoming request"}',
  '{"level":30,"reqId":"req-2","res":{"statusCode":200},"msg":"request completed"}',
  '{"level":30,"reqId":"req-3","req":{"method":"POST","url":"/v1/remove-background?x=1"},"msg":"incoming request"}',
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

  it('counts the remove-background requests a REST replica received, not probes or completions', async () => {
    expect(await countBackgroundRemovals('rest', join(dir, 'rest.log'))).toBe(2);
  });

  it('counts nothing for a log that does not exist', async () => {
    expect(await countBackgroundRemovals('grpc', join(dir, 'missing.log'))).toBe(0);
  });
});
