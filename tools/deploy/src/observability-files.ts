import type { Protocol, ServiceName } from '@imagepipeline/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DOCKER_DIR } from './deploy-files';

/** Prometheus, Grafana and their compose file: docker/observability/. */
export const OBSERVABILITY_DIR = join(DOCKER_DIR, 'observability');
export const OBSERVABILITY_COMPOSE = join(OBSERVABILITY_DIR, 'compose.yml');
export const PROMETHEUS_DIR = join(OBSERVABILITY_DIR, 'prometheus');
export const GRAFANA_DIR = join(OBSERVABILITY_DIR, 'grafana');
export const DASHBOARD_FILE = join(GRAFANA_DIR, 'dashboards', 'image-pipeline.json');

export type Topology = 'local' | 'distributed';
export const TOPOLOGIES: readonly Topology[] = ['local', 'distributed'];

/** The fields of a Prometheus scrape job the checks read. */
export interface ScrapeJob {
  job_name: string;
  metrics_path?: string;
  scheme?: string;
  honor_labels?: boolean;
  authorization?: { type?: string; credentials_file?: string };
  tls_config?: { ca_file?: string; cert_file?: string; key_file?: string };
  file_sd_configs?: { files: string[] }[];
}

export interface PrometheusConfig {
  global: { scrape_interval: string };
  scrape_configs: ScrapeJob[];
}

/** A file_sd target group. */
export interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

export function readYaml<T>(path: string): T {
  return parse(readFileSync(path, 'utf8')) as T;
}

/** `prometheus.off.yml` or `prometheus.on.yml`: what `PIPELINE_TLS` picks, as with tls/off.env and tls/on.env. */
export function prometheusConfig(tls: 'off' | 'on'): PrometheusConfig {
  return readYaml(join(PROMETHEUS_DIR, `prometheus.${tls}.yml`));
}

/** `KEY=value` lines of an env file (hosts.env, tls/on.env); comments and blank lines left out. */
export function readEnvFile(path: string): Record<string, string> {
  const pairs = readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null);
  return Object.fromEntries(pairs.map(([, name, value]) => [name, value]));
}

/** `${NAME}` replaced by its value, as envsubst does; a name without a value is an error here, not an empty host. */
export function substitute(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    if (!values[name]) throw new Error(`no value for \${${name}}`);
    return values[name];
  });
}

/** The hosts.env variable holding a service's address: `NOISE_REDUCER_HOST`. */
export function hostVariable(service: ServiceName): string {
  return `${service.toUpperCase().replace(/-/g, '_')}_HOST`;
}

export function hostsEnvFile(protocol: Protocol): string {
  return join(DOCKER_DIR, 'distributed', protocol, 'hosts.env');
}

/** Where a topology's targets file is: local's as Prometheus reads it, distributed's the template. */
export function targetsFile(topology: Topology, protocol: Protocol): string {
  return join(PROMETHEUS_DIR, 'targets', topology === 'local' ? `local.${protocol}.yml` : `distributed.${protocol}.yml.template`);
}

/**
 * The target groups Prometheus gets for a topology and protocol: local's file as it is,
 * distributed's template rendered with the addresses of that protocol's hosts.env, as its comment says.
 */
export function targetGroups(topology: Topology, protocol: Protocol): TargetGroup[] {
  const text = readFileSync(targetsFile(topology, protocol), 'utf8');
  return parse(topology === 'local' ? text : substitute(text, readEnvFile(hostsEnvFile(protocol)))) as TargetGroup[];
}

/** The fields of a Grafana dashboard the checks read. */
export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  templating: { list: DashboardVariable[] };
  panels: Panel[];
}

export interface DashboardVariable {
  name: string;
  type: string;
  query: string | { query: string };
  multi?: boolean;
  includeAll?: boolean;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  repeat?: string;
  targets?: { refId: string; expr: string; datasource?: { type: string; uid: string } }[];
}

export function readDashboard(): Dashboard {
  return JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard;
}

/** A PromQL text of the dashboard and where it is, for messages. */
export interface DashboardQuery {
  where: string;
  expr: string;
}

/** A query variable's PromQL (Grafana keeps it as a string, or as an object since 10). */
export function variableQuery(variable: DashboardVariable): string {
  return typeof variable.query === 'string' ? variable.query : variable.query.query;
}

/** Every PromQL text of a dashboard: its panels' queries and its query variables'. */
export function dashboardQueries(dashboard: Dashboard): DashboardQuery[] {
  const panels = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}" ${target.refId}`, expr: target.expr })));
  const variables = dashboard.templating.list
    .filter((variable) => variable.type === 'query')
    .map((variable) => ({ where: `variable ${variable.name}`, expr: variableQuery(variable) }));
  return [...panels, ...variables];
}
