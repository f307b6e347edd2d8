import {
  DEFAULT_PORTS,
  loadOrchestratorConfig,
  SERVICE_NAMES,
  STAGE_ADDRESS_VARIABLES,
  stageEndpoints,
  type ServiceName,
  type StageServiceName,
} from '@imagepipeline/config';
import { beforeAll, describe, expect, it } from 'vitest';
import { composeFiles, roleOf, type ComposeFile } from './deploy-files';
import { canRunWith, DOCKER_COMPOSE } from '@imagepipeline/testing';
import { composeConfig, hostPorts, mounts, publishedPorts, servicesOf, type ComposeService } from './compose-config';
import { metricsPortOf } from './metrics-port';
import { mapLimited, type ToolResult } from './run-tool';

/** Per file: `config -q` as CI runs it, and `config` for what it resolves to. */
const checked = new Map<string, { quiet: ToolResult; full: ToolResult }>();

/** docker-compose v1 takes about half a second to start: run them all side by side, once. */
async function checkAll(files: readonly ComposeFile[]): Promise<void> {
  const runs = files.flatMap((file) => [
    { file, extra: ['-q'] },
    { file, extra: [] },
  ]);
  const results = await mapLimited(runs, 4, ({ file, extra }) => composeConfig(file, extra));
  files.forEach((file, index) => checked.set(file.path, { quiet: results[2 * index], full: results[2 * index + 1] }));
}

/** The services as docker-compose resolves them (variables, anchors, paths). */
function resolvedServices(file: ComposeFile): Record<string, ComposeService> {
  return servicesOf(file.name, checked.get(file.path)!.full);
}

const MODEL_STAGES = ['background-remover', 'classifier'];
const files = composeFiles();

describe.runIf(canRunWith(DOCKER_COMPOSE, 'compose file checks (tools/deploy)'))('compose files', () => {
  beforeAll(async () => {
    await checkAll(files);
  });

  it('cover both protocols locally and every role of the distributed topology', () => {
    const names = files.map((file) => file.name);
    expect(names).toEqual(expect.arrayContaining(['docker/compose.local.grpc.yml', 'docker/compose.local.rest.yml']));
    for (const protocol of ['grpc', 'rest']) {
      for (const role of [...SERVICE_NAMES, 'client']) {
        expect(names).toContain(`docker/distributed/${protocol}/${role}.yml`);
      }
    }
  });

  describe.each(files.map((file) => [file.name, file] as const))('%s', (_name, file) => {
    it('passes `docker-compose config -q`', () => {
      const result = checked.get(file.path)!.quiet;
      expect(result.stderr.trim()).toBe('');
      expect(result.status).toBe(0);
    });

    it('builds each service from docker/Dockerfile with its APP, listening on its default port', () => {
      for (const [name, service] of Object.entries(resolvedServices(file))) {
        const app = name === 'client' ? 'pipeline-cli' : `${name}-${file.protocol}`;
        expect(service.build?.dockerfile, name).toBe('docker/Dockerfile');
        expect(service.build?.args?.APP, name).toBe(app);
        expect(service.image, name).toBe(`image-pipeline/${app}:latest`);
        if (name === 'client') continue;
        const port = DEFAULT_PORTS[file.protocol][name as keyof (typeof DEFAULT_PORTS)['grpc']];
        expect(port, `${name} is not a pipeline service`).toBeDefined();
        expect(service.environment?.PORT, name).toBe(String(port));
        expect(service.healthcheck?.test, name).toEqual(['CMD', 'node', 'docker/healthcheck.mjs']);
      }
    });

    it('mounts the models read-only at /models for the stages that run a model', () => {
      for (const [name, service] of Object.entries(resolvedServices(file))) {
        const models = mounts(service).find((mount) => mount.target === '/models');
        if (!MODEL_STAGES.includes(name)) {
          expect(models, name).toBeUndefined();
          continue;
        }
        expect(models?.readOnly, name).toBe(true);
        expect(service.environment?.PIPELINE_MODEL_DIR, name).toBe('/models');
        expect(service.environment?.PIPELINE_MODEL_DOWNLOAD, name).toBe('false');
      }
    });

    it('runs the client as a job over /samples into /results', () => {
      const client = resolvedServices(file).client;
      if (!client) return;
      const args = client.command ?? [];
      const flag = (name: string) => args[args.indexOf(name) + 1];
      expect(flag('--protocol')).toBe(file.protocol);
      expect(flag('--topology')).toBe(file.topology);
      expect(flag('--input')).toBe('/samples');
      expect(flag('--out')).toBe('/results');
      expect(flag('--orchestrator')).toMatch(new RegExp(`:${DEFAULT_PORTS[file.protocol].orchestrator}$`));
      expect(mounts(client).find((mount) => mount.target === '/samples')?.readOnly).toBe(true);
      expect(mounts(client).find((mount) => mount.target === '/results')?.readOnly).toBe(false);
      expect(client.healthcheck?.test ?? ['NONE']).toEqual(['NONE']);
    });
    it('hardens every container: no capabilities, read-only root with a /tmp tmpfs, no new privileges, a memory limit', () => {
      for (const [name, service] of Object.entries(resolvedServices(file))) {
        expect(service.cap_drop, name).toEqual(['ALL']);
        expect(service.read_only, name).toBe(true);
        expect(service.tmpfs?.some((mount) => /^\/tmp(:|$)/.test(mount)), name).toBe(true);
        expect(service.security_opt, name).toContain('no-new-privileges:true');
        // The client is a job whose memory follows its --concurrency; every service has a limit.
        if (name !== 'client') expect(service.mem_limit, name).toMatch(/^\d+[mg]$/);
      }
    });
  });

  describe.each(files.filter((file) => file.topology === 'local').map((file) => [file.name, file] as const))(
    '%s (one host)',
    (_name, file) => {
      it('has the five services and the client', () => {
        expect(Object.keys(resolvedServices(file)).sort()).toEqual([...SERVICE_NAMES, 'client'].sort());
      });

      it('takes no paths from the shell: a host path means nothing in a container', async () => {
        const hostPaths = { PIPELINE_MODEL_DIR: '/home/me/models', PIPELINE_MODEL_CACHE_DIR: '/home/me/cache' };
        const services = servicesOf(file.name, await composeConfig(file, [], { env: hostPaths }));
        for (const [name, service] of Object.entries(services)) {
          // The model cache, used only with PIPELINE_MODEL_DOWNLOAD=true, is in the /tmp tmpfs.
          expect(service.environment?.PIPELINE_MODEL_CACHE_DIR, name).toBe(MODEL_STAGES.includes(name) ? '/tmp/models' : undefined);
          if (MODEL_STAGES.includes(name)) expect(service.environment?.PIPELINE_MODEL_DIR, name).toBe('/models');
        }
      });

      it('publishes no stage port, and the orchestrator only on 127.0.0.1', () => {
        for (const [name, service] of Object.entries(resolvedServices(file))) {
          if (name !== 'orchestrator') expect(publishedPorts(service), name).toEqual([]);
        }
        const orchestrator = publishedPorts(resolvedServices(file).orchestrator);
        expect(orchestrator).toEqual([{ target: DEFAULT_PORTS[file.protocol].orchestrator, hostIp: '127.0.0.1' }]);
      });

      it('points the orchestrator at the stages by service name and starts it once they are healthy', () => {
        const services = resolvedServices(file);
        const orchestrator = services.orchestrator;
        for (const [stage, variable] of Object.entries(STAGE_ADDRESS_VARIABLES)) {
          expect(orchestrator.environment?.[variable]).toBe(`${stage}:${DEFAULT_PORTS[file.protocol][stage as StageServiceName]}`);
          expect(orchestrator.depends_on?.[stage]).toEqual({ condition: 'service_healthy' });
        }
        expect(services.client.depends_on?.orchestrator).toEqual({ condition: 'service_healthy' });
      });
    },
  );

  describe.each(files.filter((file) => file.topology === 'distributed').map((file) => [file.name, file] as const))(
    '%s (one machine role)',
    (_name, file) => {
      it('runs that one role, publishing its port (gRPC: and its metrics port) on every address, or on PUBLISH_HOST', async () => {
        const role = roleOf(file);
        const services = resolvedServices(file);
        expect(Object.keys(services)).toEqual([role]);
        if (role === 'client') {
          expect(publishedPorts(services.client)).toEqual([]);
          return;
        }
        // Another machine calls it: the orchestrator calls a stage, the client the orchestrator;
        // and Prometheus scrapes it (REST on that port, gRPC on its metrics port).
        const target = DEFAULT_PORTS[file.protocol][role as ServiceName];
        const metrics = metricsPortOf(file.protocol, role as ServiceName, services[role].environment);
        const published = (hostIp: string) => [...new Set([target, metrics])].map((port) => ({ target: port, hostIp }));
        expect(publishedPorts(services[role])).toEqual(published('0.0.0.0'));
        const bound = servicesOf(file.name, await composeConfig(file, [], { env: { PUBLISH_HOST: '10.0.0.11' } }));
        expect(publishedPorts(bound[role])).toEqual(published('10.0.0.11'));
      });

      it('publishes on the same port of the host, or on PUBLISH_PORT (PUBLISH_METRICS_PORT), empty: a port Docker picks', async () => {
        const role = roleOf(file);
        if (role === 'client') return;
        const services = resolvedServices(file);
        expect(hostPorts(services[role])).toEqual(publishedPorts(services[role]).map((port) => String(port.target)));
        const moved = servicesOf(file.name, await composeConfig(file, [], { env: { PUBLISH_PORT: '15000', PUBLISH_METRICS_PORT: '16000' } }));
        expect(hostPorts(moved[role])).toEqual(['15000', '16000'].slice(0, publishedPorts(services[role]).length));
        const picked = servicesOf(file.name, await composeConfig(file, [], { env: { PUBLISH_PORT: '', PUBLISH_METRICS_PORT: '' } }));
        expect(hostPorts(picked[role]).every((port) => port === '')).toBe(true);
      });
    },
  );

  describe.each(['grpc', 'rest'] as const)('distributed %s addresses', (protocol) => {
    const orchestratorFile = files.find((file) => file.name === `docker/distributed/${protocol}/orchestrator.yml`);

    it('come from hosts.env: <SERVICE>_HOST plus the default port', () => {
      const environment = resolvedServices(orchestratorFile!).orchestrator.environment ?? {};
      const hosts = { uploader: '10.0.0.11', 'noise-reducer': '10.0.0.12', 'background-remover': '10.0.0.13', classifier: '10.0.0.14' };
      for (const [stage, variable] of Object.entries(STAGE_ADDRESS_VARIABLES)) {
        expect(environment[variable]).toBe(`${hosts[stage as StageServiceName]}:${DEFAULT_PORTS[protocol][stage as StageServiceName]}`);
      }
    });

    it('list more background-remover machines from BACKGROUND_REMOVER_MORE_ADDRS, as the orchestrator reads them', async () => {
      const port = DEFAULT_PORTS[protocol]['background-remover'];
      const more = `,10.0.0.15:${port},bgr-3.lan:${port}`;
      const result = await composeConfig(orchestratorFile!, [], { env: { BACKGROUND_REMOVER_MORE_ADDRS: more } });
      const environment = servicesOf(orchestratorFile!.name, result).orchestrator.environment ?? {};
      const config = loadOrchestratorConfig(protocol, environment);
      expect(stageEndpoints(config.stageAddresses['background-remover'])).toEqual([`10.0.0.13:${port}`, `10.0.0.15:${port}`, `bgr-3.lan:${port}`]);
    });

    it('are required: without --env-file the orchestrator file says what to set', async () => {
      const result = await composeConfig(orchestratorFile!, ['-q'], { withEnvFile: false });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/set [A-Z_]+_HOST in hosts\.env/);
    });
  });
});
