import { PROTOCOLS, SERVICE_NAMES, type Protocol, type ServiceName } from '@imagepipeline/config';
import { beforeAll, describe, expect, it } from 'vitest';
import { dashboardQueries, readDashboard, targetGroups, TOPOLOGIES, variableQuery, type Panel } from './observability-files';
import { parseScrape, type Sample } from './prometheus-text';
import { acceptsValue, labelsIn, metricNamesIn, selectorsIn } from './promql';
import { scrapeRealPipeline, type PipelineScrapes } from './real-pipeline-scrape';

const dashboard = readDashboard();
const queries = dashboardQueries(dashboard);
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** The panels that show something (rows only group them). */
const shown = dashboard.panels.filter((panel) => panel.type !== 'row');

/** The panels' queries that read `metric`. */
function panelQueriesReading(metric: string): string[] {
  return shown.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)).filter((expr) => metricNamesIn(expr).includes(metric));
}

/** True when two panels' rectangles share a cell. */
function overlap(a: Panel['gridPos'], b: Panel['gridPos']): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

describe('the Grafana dashboard (docker/observability/grafana/dashboards/image-pipeline.json)', () => {
  it('is a dashboard Grafana provisions as it is: a uid, a recent schema, the data source as a variable', () => {
    expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    const datasource = dashboard.templating.list.find((variable) => variable.type === 'datasource');
    expect(datasource).toMatchObject({ name: 'datasource', query: 'prometheus' });
    for (const panel of shown) {
      expect(panel.datasource, panel.title).toEqual(DATASOURCE);
      for (const target of panel.targets ?? []) expect(target.datasource, `${panel.title} ${target.refId}`).toEqual(DATASOURCE);
    }
  });

  it('lets one pick the protocol (and the service), from the labels the services set', () => {
    const byName = new Map(dashboard.templating.list.map((variable) => [variable.name, variable]));
    for (const [name, label] of [
      ['protocol', 'protocol'],
      ['service', 'service'],
    ]) {
      const variable = byName.get(name);
      expect(variable, name).toMatchObject({ type: 'query', multi: true, includeAll: true });
      expect(variableQuery(variable!), name).toMatch(new RegExp(`^label_values\\(pipeline_\\w+(\\{[^}]*\\})?, ${label}\\)$`));
    }
    for (const { where, expr } of queries.filter(({ where }) => where.startsWith('panel'))) {
      const selectors = selectorsIn(expr);
      expect(selectors.length, where).toBeGreaterThan(0);
      for (const selector of selectors) expect(selector.matchers, `${where}: ${selector.metric}`).toContainEqual({ label: 'protocol', op: '=~', value: '$protocol' });
    }
  });

  it('shows throughput: images per second through the orchestrator, and requests per second per stage', () => {
    const requests = panelQueriesReading('pipeline_requests_total');
    const throughput = requests.filter((expr) => selectorsIn(expr).some((s) => s.matchers.some((m) => m.label === 'service' && m.op === '=' && m.value === 'orchestrator')));
    expect(throughput.length).toBeGreaterThan(0);
    for (const expr of throughput) expect(expr).toMatch(/\brate\(/);
    const perStage = requests.filter((expr) => selectorsIn(expr).some((s) => s.matchers.some((m) => m.label === 'service' && m.op === '!=' && m.value === 'orchestrator')));
    expect(perStage.some((expr) => /sum by \(service, protocol\) \(rate\(/.test(expr))).toBe(true);
  });

  it('shows latency p50, p95 and p99 per stage and protocol, from the request duration histogram', () => {
    const latency = panelQueriesReading('pipeline_request_duration_seconds_bucket');
    for (const quantile of ['0.5', '0.95', '0.99']) {
      const found = latency.filter((expr) => expr.startsWith(`histogram_quantile(${quantile}, `));
      expect(found, `p${Number(quantile) * 100}`).toHaveLength(1);
      expect(found[0]).toMatch(/sum by \(le, service, protocol\) \(rate\(pipeline_request_duration_seconds_bucket\{/);
    }
    // One latency panel per service (Grafana repeats it over the `service` variable).
    const panel = shown.find((p) => (p.targets ?? []).some((target) => latency.includes(target.expr)));
    expect(panel?.repeat).toBe('service');
  });

  it('shows queue depth (waiting, running) and refusals per second', () => {
    expect(panelQueriesReading('pipeline_queue_waiting').length).toBeGreaterThan(0);
    expect(panelQueriesReading('pipeline_queue_running').length).toBeGreaterThan(0);
    expect(panelQueriesReading('pipeline_queue_refused_total').some((expr) => /\brate\(pipeline_queue_refused_total\{/.test(expr))).toBe(true);
  });

  it('lays out its panels on the 24-column grid without overlaps, each with a unique id', () => {
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels) expect(panel.gridPos.x + panel.gridPos.w, panel.title).toBeLessThanOrEqual(24);
    const overlapping = dashboard.panels.flatMap((a, i) => dashboard.panels.slice(i + 1).filter((b) => overlap(a.gridPos, b.gridPos)).map((b) => `${a.title} / ${b.title}`));
    expect(overlapping).toEqual([]);
  });
});

describe('metrics of a real run: five services over each protocol, one photo through the orchestrator', () => {
  const scrapes = {} as Record<Protocol, PipelineScrapes>;
  let samples: Sample[] = [];

  beforeAll(async () => {
    for (const protocol of PROTOCOLS) scrapes[protocol] = await scrapeRealPipeline(protocol);
    samples = PROTOCOLS.flatMap((protocol) => SERVICE_NAMES.flatMap((service) => parseScrape(scrapes[protocol][service])));
  });

  it('answered a scrape from every service over both protocols', () => {
    for (const protocol of PROTOCOLS) {
      for (const service of SERVICE_NAMES) expect(scrapes[protocol][service], `${service} ${protocol}`).toMatch(/^pipeline_requests_total\{/m);
    }
  });

  it('has every metric the dashboard uses', () => {
    const exposed = new Set(samples.map((sample) => sample.name));
    for (const { where, expr } of queries) {
      const names = metricNamesIn(expr);
      expect(names.length, where).toBeGreaterThan(0);
      for (const name of names) expect(exposed.has(name), `${where}: ${name}`).toBe(true);
    }
  });

  it('carries every label the dashboard groups or filters by, on the metrics of that query', () => {
    for (const { where, expr } of queries) {
      const carried = new Set(samples.filter((sample) => metricNamesIn(expr).includes(sample.name)).flatMap((sample) => Object.keys(sample.labels)));
      for (const label of labelsIn(expr)) expect(carried.has(label), `${where}: ${label}`).toBe(true);
    }
  });

  it("has series that each selector's label values select (variables standing for any value)", () => {
    for (const { where, expr } of queries) {
      for (const selector of selectorsIn(expr)) {
        const selected = samples.filter(
          (sample) => sample.name === selector.metric && selector.matchers.every((matcher) => acceptsValue(matcher, sample.labels[matcher.label])),
        );
        expect(selected.length, `${where}: ${selector.metric}{${selector.matchers.map((m) => `${m.label}${m.op}"${m.value}"`).join(', ')}}`).toBeGreaterThan(0);
      }
    }
  });

  it("labels each service's target with the service and protocol its own samples carry, and adds topology", () => {
    for (const topology of TOPOLOGIES) {
      for (const protocol of PROTOCOLS) {
        for (const { labels } of targetGroups(topology, protocol)) {
          const where = `${topology} ${protocol} ${labels.service}`;
          expect(labels, where).toEqual({ service: expect.any(String), protocol, topology });
          const own = parseScrape(scrapes[protocol][labels.service as ServiceName] ?? '');
          expect(own.length, where).toBeGreaterThan(0);
          for (const sample of own) {
            expect({ service: sample.labels.service, protocol: sample.labels.protocol }, `${where}: ${sample.name}`).toEqual({ service: labels.service, protocol });
            expect(sample.labels.topology, `${where}: ${sample.name}`).toBeUndefined();
          }
        }
      }
    }
  });
});
