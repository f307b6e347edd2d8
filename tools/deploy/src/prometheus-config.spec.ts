import { PROTOCOLS, SERVICE_NAMES, type ServiceName } from '@imagepipeline/config';
import { canRunWith, DOCKER_COMPOSE } from '@imagepipeline/testing';
import { basename, dirname, join, posix } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { composeConfig, mounts, publishedPorts, servicesOf, type ComposeService } from './compose-config';
import { composeFiles, DOCKER_DIR, roleOf } from './deploy-files';
import { metricsPortOf } from './metrics-port';
import {
  DASHBOARD_FILE,
  GRAFANA_DIR,
  hostsEnvFile,
  hostVariable,
  OBSERVABILITY_COMPOSE,
  PROMETHEUS_DIR,
  prometheusConfig,
  readEnvFile,
  readYaml,
  targetGroups,
  targetsFile,
  TOPOLOGIES,
  type Topology,
} from './observability-files';
import { mapLimited, type ToolResult } from './run-tool';
import { CREDENTIALS_MOUNT } from './tls-variables';

const TLS_MODES = ['off', 'on'] as const;
const configs = { off: prometheusConfig('off'), on: prometheusConfig('on') };
/** What PIPELINE_TLS=on gives every service: the orchestrator's files are those of a client of the services, as Prometheus is. */
const ON_ENV = readEnvFile(join(DOCKER_DIR, 'tls', 'on.env'));

/** A Prometheus file_sd glob (`*` within one path segment) as a regular expression. */
function globPattern(glob: string): RegExp {
  const parts = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/]*')}$`);
}

/** The file_sd glob of a configuration's one job. */
function targetsGlob(tls: 'off' | 'on'): string {
  return configs[tls].scrape_configs[0].file_sd_configs?.[0]?.files[0] ?? '';
}

/** The value of a `--flag=value` argument. */
function flagValue(args: string[] | undefined, flag: string): string | undefined {
  return args?.find((arg) => arg.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

describe('Prometheus configurations (docker/observability/prometheus)', () => {
  it.each(TLS_MODES)('prometheus.%s.yml: one job, GET /metrics of the file_sd targets, the services keeping their own labels', (tls) => {
    const config = configs[tls];
    expect(config.scrape_configs.map((job) => job.job_name)).toEqual(['image-pipeline']);
    expect(config.scrape_configs[0]).toMatchObject({ metrics_path: '/metrics', honor_labels: true });
    expect(config.scrape_configs[0].file_sd_configs).toEqual([expect.objectContaining({ files: [expect.stringMatching(/^\/etc\/prometheus\/targets\/\*\.yml$/)] })]);
    expect(config.global).toEqual(configs.off.global);
  });

  it('off: plain HTTP without credentials', () => {
    const [job] = configs.off.scrape_configs;
    expect([job.scheme, job.authorization, job.tls_config]).toEqual(['http', undefined, undefined]);
  });

  it('on (PIPELINE_TLS=on): HTTPS, mutual TLS and the token, with the files the orchestrator calls the services with', () => {
    const [job] = configs.on.scrape_configs;
    expect(job.scheme).toBe('https');
    expect(job.authorization).toEqual({ type: 'Bearer', credentials_file: ON_ENV.STAGE_AUTH_TOKEN_FILE });
    expect(job.tls_config).toEqual({ ca_file: ON_ENV.STAGE_TLS_CA_FILE, cert_file: ON_ENV.STAGE_TLS_CERT_FILE, key_file: ON_ENV.STAGE_TLS_KEY_FILE });
    for (const path of [job.authorization?.credentials_file, ...Object.values(job.tls_config ?? {})]) expect(posix.dirname(path ?? ''), path).toBe(CREDENTIALS_MOUNT);
  });
});

describe.runIf(canRunWith(DOCKER_COMPOSE, 'Prometheus target checks (tools/deploy)'))('Prometheus targets of each topology', () => {
  /** Each service of each topology and protocol, as its compose file resolves it. */
  const resolved = new Map<string, ComposeService>();
  const key = (topology: Topology, protocol: string, service: string) => `${topology} ${protocol} ${service}`;

  beforeAll(async () => {
    const files = composeFiles().filter((file) => file.topology === 'local' || (SERVICE_NAMES as readonly string[]).includes(roleOf(file)));
    const results = await mapLimited(files, 4, (file) => composeConfig(file, []));
    files.forEach((file, index) => {
      for (const [name, service] of Object.entries(servicesOf(file.name, results[index]))) resolved.set(key(file.topology, file.protocol, name), service);
    });
  });

  describe.each(TOPOLOGIES.flatMap((topology) => PROTOCOLS.map((protocol) => [`${topology} ${protocol}`, topology, protocol] as const)))(
    '%s',
    (_name, topology, protocol) => {
      it('has one target group per service, with one target', () => {
        const groups = targetGroups(topology, protocol);
        expect(groups.map((group) => group.labels.service).sort()).toEqual([...SERVICE_NAMES].sort());
        for (const group of groups) expect(group.targets, group.labels.service).toHaveLength(1);
      });

      it(`targets each service ${topology === 'local' ? 'by its compose service name' : 'at its hosts.env address'}, on the port its configuration serves GET /metrics on`, () => {
        const hosts = readEnvFile(hostsEnvFile(protocol));
        for (const { targets, labels } of targetGroups(topology, protocol)) {
          const service = labels.service as ServiceName;
          const composed = resolved.get(key(topology, protocol, service));
          expect(composed, service).toBeDefined();
          const port = metricsPortOf(protocol, service, composed!.environment);
          expect(targets[0], service).toBe(`${topology === 'local' ? service : hosts[hostVariable(service)]}:${port}`);
          // Prometheus runs elsewhere: the role's machine must publish that port.
          if (topology === 'distributed') expect(publishedPorts(composed!).map((p) => p.target), service).toContain(port);
        }
      });
    },
  );
});

describe.runIf(canRunWith(DOCKER_COMPOSE, 'observability compose checks (tools/deploy)'))('docker/observability/compose.yml beside the local topology', () => {
  const local = composeFiles().filter((file) => file.topology === 'local');
  const resolved = new Map<string, Record<'off' | 'on', Record<string, ComposeService>>>();
  let withoutProtocol: ToolResult;

  beforeAll(async () => {
    const runs = local.flatMap((file) => TLS_MODES.map((tls) => ({ file, env: { PIPELINE_PROTOCOL: file.protocol, PIPELINE_TLS: tls } })));
    const results = await mapLimited(runs, 4, ({ file, env }) => composeConfig(file, [], { env, overlays: [OBSERVABILITY_COMPOSE] }));
    local.forEach((file, index) => resolved.set(file.path, { off: servicesOf(file.name, results[2 * index]), on: servicesOf(file.name, results[2 * index + 1]) }));
    withoutProtocol = await composeConfig(local[0], ['-q'], { overlays: [OBSERVABILITY_COMPOSE] });
  });

  it('needs PIPELINE_PROTOCOL, which picks the targets, and says so', () => {
    expect(withoutProtocol.status).not.toBe(0);
    expect(withoutProtocol.stderr).toMatch(/set PIPELINE_PROTOCOL to grpc or rest/);
  });

  describe.each(local.map((file) => [file.name, file] as const))('with %s', (_name, file) => {
    const services = (tls: 'off' | 'on') => resolved.get(file.path)![tls];

    it('adds Prometheus and Grafana to the five services and the client', () => {
      expect(Object.keys(services('off')).sort()).toEqual([...SERVICE_NAMES, 'client', 'grafana', 'prometheus'].sort());
    });

    it('hardens both as the services are, and publishes them on 127.0.0.1 only', () => {
      for (const name of ['prometheus', 'grafana']) {
        const service = services('off')[name];
        expect(service.cap_drop, name).toEqual(['ALL']);
        expect(service.read_only, name).toBe(true);
        expect(service.tmpfs?.some((mount) => /^\/tmp(:|$)/.test(mount)), name).toBe(true);
        expect(service.security_opt, name).toContain('no-new-privileges:true');
        expect(service.mem_limit, name).toMatch(/^\d+[mg]$/);
        expect(publishedPorts(service).map((port) => port.hostIp), name).toEqual(['127.0.0.1']);
      }
    });

    it.each(TLS_MODES)(`PIPELINE_TLS=%s: mounts that configuration where --config.file names it, and the local ${file.protocol} targets where it reads them`, (tls) => {
      const prometheus = services(tls).prometheus;
      const configPath = flagValue(prometheus.command, '--config.file');
      expect(mounts(prometheus).find((mount) => mount.target === configPath)).toMatchObject({ source: join(PROMETHEUS_DIR, `prometheus.${tls}.yml`), readOnly: true });
      const read = mounts(prometheus).filter((mount) => globPattern(targetsGlob(tls)).test(mount.target));
      expect(read.map(({ source, readOnly }) => ({ source, readOnly }))).toEqual([{ source: targetsFile('local', file.protocol), readOnly: true }]);
    });

    it('mounts the credentials read-only where prometheus.on.yml reads them', () => {
      expect(mounts(services('on').prometheus).find((mount) => mount.target === CREDENTIALS_MOUNT)?.readOnly).toBe(true);
      // The image's user reads them through the group that owns them in the services' containers (1000).
      expect(services('on').prometheus.group_add?.map(String)).toContain('1000');
    });

    it('gives Grafana this Prometheus as its data source, and the dashboard where its provider reads dashboards', () => {
      const grafana = services('off').grafana;
      const provisioning = join(GRAFANA_DIR, 'provisioning');
      expect(mounts(grafana).find((mount) => mount.source === provisioning)).toMatchObject({ target: '/etc/grafana/provisioning', readOnly: true });
      const { datasources } = readYaml<{ datasources: { type: string; url: string; jsonData?: { timeInterval?: string } }[] }>(join(provisioning, 'datasources', 'prometheus.yml'));
      expect(datasources.map((source) => source.type)).toEqual(['prometheus']);
      const url = new URL(datasources[0].url);
      expect(url.hostname).toBe('prometheus');
      expect(publishedPorts(services('off').prometheus).map((port) => port.target)).toEqual([Number(url.port)]);
      expect(datasources[0].jsonData?.timeInterval).toBe(configs.off.global.scrape_interval);
      const { providers } = readYaml<{ providers: { type: string; options: { path: string } }[] }>(join(provisioning, 'dashboards', 'image-pipeline.yml'));
      expect(providers.map((provider) => provider.type)).toEqual(['file']);
      const folder = providers[0].options.path;
      expect(mounts(grafana).find((mount) => mount.target === folder)).toMatchObject({ source: dirname(DASHBOARD_FILE), readOnly: true });
      expect(grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(posix.join(folder, basename(DASHBOARD_FILE)));
    });
  });
});
