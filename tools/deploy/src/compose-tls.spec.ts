import { SERVICE_NAMES } from '@imagepipeline/config';
import { canRunWith, DOCKER_COMPOSE, writeLocalCredentials } from '@imagepipeline/testing';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeConfig, mounts, servicesOf, type ComposeService } from './compose-config';
import { composeFiles, type ComposeFile } from './deploy-files';
import { mapLimited } from './run-tool';
import { CREDENTIALS_MOUNT, HEALTHCHECK_FILES, ORCHESTRATOR_FILES, SERVICE_FILES } from './tls-variables';

const CLIENT_FLAGS = ['--tls-ca', '--tls-cert', '--tls-key', '--token-file'];
const ALL_FILE_VARIABLES = [...SERVICE_FILES, ...HEALTHCHECK_FILES, ...ORCHESTRATOR_FILES];

const files = composeFiles();
/** Per file: the services with TLS off (as by default) and on (PIPELINE_TLS=on, credentials from writeLocalCredentials). */
const resolved = new Map<string, { off: Record<string, ComposeService>; on: Record<string, ComposeService> }>();
let credentialsDir = '';

/** The host file a container path under the credentials mount stands for. */
function hostFile(containerPath: string): string {
  expect(containerPath.startsWith(`${CREDENTIALS_MOUNT}/`), containerPath).toBe(true);
  return join(credentialsDir, posix.relative(CREDENTIALS_MOUNT, containerPath));
}

describe.runIf(canRunWith(DOCKER_COMPOSE, 'compose TLS checks (tools/deploy)'))('compose files with TLS (PIPELINE_TLS)', () => {
  beforeAll(async () => {
    credentialsDir = await mkdtemp(join(tmpdir(), 'compose-tls-'));
    await writeLocalCredentials(credentialsDir);
    const on = { PIPELINE_TLS: 'on', PIPELINE_TLS_HOST_DIR: credentialsDir };
    const runs = files.flatMap((file) => [{ file }, { file, env: on }]);
    const results = await mapLimited(runs, 4, ({ file, env }) => composeConfig(file, [], { env }));
    files.forEach((file, index) => {
      resolved.set(file.path, { off: servicesOf(file.name, results[2 * index]), on: servicesOf(file.name, results[2 * index + 1]) });
    });
  });
  afterAll(() => rm(credentialsDir, { recursive: true, force: true }));

  describe.each(files.map((file) => [file.name, file] as const))('%s', (_name, file: ComposeFile) => {
    it('is off by default: no TLS or token variable reaches a service', () => {
      for (const [name, service] of Object.entries(resolved.get(file.path)!.off)) {
        const set = ALL_FILE_VARIABLES.filter((variable) => service.environment?.[variable]);
        expect(set, name).toEqual([]);
        expect(service.environment?.PIPELINE_CLIENT_TLS_FLAGS, name).toBeUndefined();
      }
    });

    it('mounts the credentials folder read-only in every container', () => {
      for (const [name, service] of Object.entries(resolved.get(file.path)!.on)) {
        const mount = mounts(service).find((m) => m.target === CREDENTIALS_MOUNT);
        expect(mount, name).toEqual({ source: credentialsDir, target: CREDENTIALS_MOUNT, readOnly: true });
      }
    });

    it('with PIPELINE_TLS=on gives every service, its health check and the orchestrator files the folder holds', () => {
      for (const [name, service] of Object.entries(resolved.get(file.path)!.on)) {
        if (name === 'client') continue;
        expect(SERVICE_NAMES, name).toContain(name);
        const wanted = [...SERVICE_FILES, ...HEALTHCHECK_FILES, ...(name === 'orchestrator' ? ORCHESTRATOR_FILES : [])];
        for (const variable of wanted) {
          const path = service.environment?.[variable];
          expect(path, `${name} ${variable}`).toBeDefined();
          expect(existsSync(hostFile(path!)), `${name} ${variable}=${path}`).toBe(true);
        }
      }
    });

    it('with PIPELINE_TLS=on adds the TLS flags to the client, each naming a file the folder holds', () => {
      const client = resolved.get(file.path)!.on.client;
      if (!client) return;
      // The entrypoint appends $PIPELINE_CLIENT_TLS_FLAGS ($$ in compose) to the command.
      expect(client.entrypoint?.join(' ')).toMatch(/"\$\$@" \$\$PIPELINE_CLIENT_TLS_FLAGS/);
      const flags = (client.environment?.PIPELINE_CLIENT_TLS_FLAGS ?? '').split(/\s+/);
      for (const flag of CLIENT_FLAGS) {
        const value = flags[flags.indexOf(flag) + 1];
        expect(flags, flag).toContain(flag);
        expect(existsSync(hostFile(value)), `${flag} ${value}`).toBe(true);
      }
    });
  });
});
