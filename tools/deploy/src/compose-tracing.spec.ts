import { PROTOCOLS, SERVICE_NAMES } from '@imagepipeline/config';
import { canRunWith, DOCKER_COMPOSE } from '@imagepipeline/testing';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeConfig, publishedPorts, servicesOf, type ComposeService } from './compose-config';
import { composeFiles, type ComposeFile } from './deploy-files';
import { hostsEnvFile, readEnvFile } from './observability-files';
import { mapLimited } from './run-tool';
import { TRACING_COMPOSE, TRACING_ON, TRACING_VARIABLES } from './tracing-files';

type Services = Record<string, ComposeService>;

const files = composeFiles();
const local = files.filter((file) => file.topology === 'local');
/** The endpoint the header of tracing.yml tells you to set. */
const documentedEndpoint = /OTEL_EXPORTER_OTLP_ENDPOINT=(\S+)/.exec(readFileSync(TRACING_COMPOSE, 'utf8'))?.[1] ?? '';

/** Per file: tracing as shipped (off), and turned on where its docs say: the shell for one host, hosts.env for a role. */
const resolved = new Map<string, { off: Services; on: Services }>();
/** Per local file, with tracing.yml: as shipped, and with the endpoint its header names. */
const withJaeger = new Map<string, { off: Services; on: Services }>();
let workDir = '';

/** A copy of a protocol's hosts.env with the tracing lines filled in, as its comment says to. */
async function tracingHostsEnv(protocol: string): Promise<string> {
  let text = await readFile(hostsEnvFile(protocol as ComposeFile['protocol']), 'utf8');
  for (const [name, value] of Object.entries(TRACING_ON)) text = text.replace(new RegExp(`^${name}=.*$`, 'm'), `${name}=${value}`);
  const path = join(workDir, `hosts.${protocol}.env`);
  await writeFile(path, text);
  return path;
}

/** The variables' values in a service's environment (undefined where the file does not pass one). */
function tracingValues(service: ComposeService): Record<string, string | undefined> {
  return Object.fromEntries(TRACING_VARIABLES.map((name) => [name, service.environment?.[name]]));
}

describe.runIf(canRunWith(DOCKER_COMPOSE, 'compose tracing checks (tools/deploy)'))('compose files with tracing (OTEL_*)', () => {
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'compose-tracing-'));
    const envFiles = Object.fromEntries(await Promise.all(PROTOCOLS.map(async (protocol) => [protocol, await tracingHostsEnv(protocol)])));
    const turnedOn = (file: ComposeFile) =>
      file.topology === 'local' ? composeConfig(file, [], { env: TRACING_ON }) : composeConfig({ ...file, envFile: envFiles[file.protocol] }, []);
    const runs = [
      ...files.flatMap((file) => [() => composeConfig(file, []), () => turnedOn(file)]),
      ...local.flatMap((file) => [
        () => composeConfig(file, [], { overlays: [TRACING_COMPOSE] }),
        () => composeConfig(file, [], { overlays: [TRACING_COMPOSE], env: { OTEL_EXPORTER_OTLP_ENDPOINT: documentedEndpoint } }),
      ]),
    ];
    const results = await mapLimited(runs, 4, (run) => run());
    files.forEach((file, index) => {
      resolved.set(file.path, { off: servicesOf(file.name, results[2 * index]), on: servicesOf(file.name, results[2 * index + 1]) });
    });
    const offset = 2 * files.length;
    local.forEach((file, index) => {
      const name = `${file.name} + tracing.yml`;
      withJaeger.set(file.path, { off: servicesOf(name, results[offset + 2 * index]), on: servicesOf(name, results[offset + 2 * index + 1]) });
    });
  });
  afterAll(() => rm(workDir, { recursive: true, force: true }));

  describe.each(files.map((file) => [file.name, file] as const))('%s', (_name, file) => {
    it('passes the three tracing variables to every service and the client, empty (off) by default', () => {
      const services = resolved.get(file.path)!.off;
      for (const [name, service] of Object.entries(services)) {
        expect(tracingValues(service), name).toEqual({ OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_TRACES_SAMPLER: '', OTEL_TRACES_SAMPLER_ARG: '' });
      }
    });

    it(`turns tracing on in every container from ${file.topology === 'local' ? 'the shell' : 'hosts.env'}`, () => {
      for (const [name, service] of Object.entries(resolved.get(file.path)!.on)) expect(tracingValues(service), name).toEqual(TRACING_ON);
    });
  });

  it.each(PROTOCOLS)('distributed/%s/hosts.env declares the tracing variables, empty', (protocol) => {
    const declared = readEnvFile(hostsEnvFile(protocol));
    for (const name of TRACING_VARIABLES) expect(declared[name], name).toBe('');
  });

  describe.each(local.map((file) => [file.name, file] as const))('docker/observability/tracing.yml with %s', (_name, file) => {
    const jaeger = () => withJaeger.get(file.path)!.off.jaeger;

    it('adds Jaeger and changes none of the five services or the client', () => {
      const { off } = withJaeger.get(file.path)!;
      expect(Object.keys(off).sort()).toEqual([...SERVICE_NAMES, 'client', 'jaeger'].sort());
      // docker-compose v1 lists the volumes of a merged service in another order: compare them as sets.
      const comparable = (services: Services) =>
        Object.entries(services)
          .filter(([name]) => name !== 'jaeger')
          .map(([name, service]) => [name, { ...service, volumes: [...(service.volumes ?? [])].map((volume) => JSON.stringify(volume)).sort() }]);
      expect(comparable(off)).toEqual(comparable(resolved.get(file.path)!.off));
    });

    it('runs Jaeger hardened as Prometheus and Grafana are, from a pinned image', () => {
      const service = jaeger();
      expect(service.image).toMatch(/^jaegertracing\/jaeger:\d+\.\d+\.\d+$/);
      expect(service.cap_drop).toEqual(['ALL']);
      expect(service.read_only).toBe(true);
      expect(service.tmpfs?.some((mount) => /^\/tmp(:|$)/.test(mount))).toBe(true);
      expect(service.security_opt).toContain('no-new-privileges:true');
      expect(service.mem_limit).toMatch(/^\d+[mg]$/);
    });

    it('publishes only the UI, on 127.0.0.1 by default (JAEGER_PUBLISH); OTLP stays on the project network', async () => {
      expect(publishedPorts(jaeger())).toEqual([{ target: 16686, hostIp: '127.0.0.1' }]);
      const opened = servicesOf(file.name, await composeConfig(file, [], { overlays: [TRACING_COMPOSE], env: { JAEGER_PUBLISH: '0.0.0.0:16686' } }));
      expect(publishedPorts(opened.jaeger)).toEqual([{ target: 16686, hostIp: '0.0.0.0' }]);
    });

    it("names, in its header, Jaeger's OTLP/HTTP port by service name, which reaches every container", () => {
      const endpoint = new URL(documentedEndpoint);
      expect([endpoint.protocol, endpoint.hostname, endpoint.port]).toEqual(['http:', 'jaeger', '4318']);
      const { on } = withJaeger.get(file.path)!;
      for (const [name, service] of Object.entries(on)) {
        if (name !== 'jaeger') expect(service.environment?.OTEL_EXPORTER_OTLP_ENDPOINT, name).toBe(documentedEndpoint);
      }
    });
  });
});
