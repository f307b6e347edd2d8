// Traces across the five service processes and the client, for both protocols: every image makes
// one trace exported over OTLP to a receiver in this test, with the right parents across every
// hop, and its times agree with the client's latency.csv (what timeline.png is drawn from).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGE_TABLE } from '@imagepipeline/contracts';
import { SERVICE_NAMES, type Protocol, type ServiceName } from '@imagepipeline/config';
import { makeTruncatedJpeg, readPhotosIn, type PhotoFile } from '@imagepipeline/imaging/testing';
import { testModelEnv } from '@imagepipeline/models/testing';
import { TOTAL_CLIENT, TOTAL_ORCHESTRATOR } from '@imagepipeline/reporting';
import { parseCsv } from '@imagepipeline/reporting/testing';
import { SPAN_NAMES, type StageStep } from '@imagepipeline/telemetry';
import { OtlpReceiver, SPAN_KIND, SPAN_STATUS, type ReceivedSpan } from '@imagepipeline/telemetry/testing';
import { LOCAL_HOSTS, planServices, startServices } from '@imagepipeline/topology';
import { REPO_ROOT, runCli, type CliRun } from './run-cli';
import { durationMs, TraceTree } from './trace-tree';

const STEPS: StageStep[] = ['decode', 'compute', 'encode'];
const BROKEN = 'zz_broken.jpg';
/** Times the trace and the CSV take from the same clock readings (whole milliseconds). */
const SAME_READING_MS = 1.5;
/** The share of the stages' compute_ms that their decode, compute and encode spans hold, at least. */
const STEPS_SHARE_OF_COMPUTE = 0.9;

// REST's stage calls over h2c go through node:http2, which the HTTP instrumentation leaves alone:
// the stage client sends the trace context itself there.
describe.each([
  ['grpc', '', 22500, {}],
  ['rest', '', 22600, {}],
  ['rest', ' with stage calls over h2c', 22700, { REST_STAGE_HTTP2: 'true' }],
] as const)('tracing over %s%s, local topology', (protocol: Protocol, _variant: string, basePort: number, variantEnv: Record<string, string>) => {
  const service = (name: ServiceName) => `${name}-${protocol}`;
  let work: string;
  let receiver: OtlpReceiver;
  let run: CliRun;
  let resultsDir: string;
  let photos: PhotoFile[];
  let traces: Map<string, TraceTree>;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), `tracing-${protocol}-`));
    const input = join(work, 'input');
    await mkdir(input);
    photos = (await readPhotosIn(join(REPO_ROOT, 'samples'))).slice(0, 3);
    for (const { name, bytes } of photos) await writeFile(join(input, name), bytes);
    await writeFile(join(input, BROKEN), await makeTruncatedJpeg());
    receiver = await OtlpReceiver.start();
    const otlp = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '200' };
    const ports = Object.fromEntries(SERVICE_NAMES.map((name, i) => [name, basePort + i])) as Record<ServiceName, number>;
    const services = await startServices({
      protocol,
      services: planServices(protocol, LOCAL_HOSTS, { ports, env: { ...testModelEnv(), LOG_LEVEL: 'warn', ...variantEnv, ...otlp } }),
      root: REPO_ROOT,
      logDir: join(work, 'logs'),
      log: () => undefined,
    });
    try {
      const out = join(work, 'results');
      run = await runCli(['--protocol', protocol, '--input', input, '--out', out, '--orchestrator', `127.0.0.1:${ports.orchestrator}`, '--concurrency', '2'], otlp);
      resultsDir = join(out, 'local', protocol);
    } finally {
      // A service sends the spans it still holds as it shuts down; the client did as it exited.
      await services.stop();
    }
    traces = TraceTree.group(receiver.spans);
  });

  afterAll(async () => {
    await receiver?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const traceOf = (fileName: string): TraceTree => {
    const found = [...traces.values()].filter((tree) =>
      tree.spans.some((span) => span.name === SPAN_NAMES.clientImage && span.attributes['pipeline.image.file'] === fileName),
    );
    expect(found, `traces of ${fileName}`).toHaveLength(1);
    return found[0];
  };

  /**
   * The hop into `span`'s service: its nearest SERVER ancestor is in `to`, every span between is
   * too, and that server span's parent is a CLIENT span of `from` whose parent is `origin`.
   */
  const expectHop = (tree: TraceTree, span: ReceivedSpan, to: string, from: string, origin: ReceivedSpan) => {
    const chain = [span, ...tree.ancestors(span)];
    const serverAt = chain.findIndex((candidate) => candidate.kind === SPAN_KIND.server);
    expect(serverAt, `${span.name}: a server span above it`).toBeGreaterThanOrEqual(0);
    expect(chain.slice(0, serverAt + 1).map((candidate) => candidate.service)).toEqual(Array(serverAt + 1).fill(to));
    const client = tree.parent(chain[serverAt]);
    expect(client, `${span.name}: the caller's span`).toMatchObject({ kind: SPAN_KIND.client, service: from });
    expect(tree.parent(client as ReceivedSpan)?.spanId, `${span.name}: the call's parent`).toBe(origin.spanId);
  };

  it('the client ran every image through, the broken one failing', () => {
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain(`${photos.length + 1} images: ${photos.length} ok, 1 failed`);
  });

  it('makes one whole trace per image: client, orchestrator, and each stage queue, call, decode, compute and encode', () => {
    for (const { name } of photos) {
      const tree = traceOf(name);
      expect(tree.orphans(), `${name}: spans whose parent is missing`).toEqual([]);
      const root = tree.one(SPAN_NAMES.clientImage, 'pipeline-cli');
      expect(root.parentSpanId).toBe('');
      const handling = tree.one(SPAN_NAMES.orchestratorProcess, service('orchestrator'));
      expect(handling.attributes['pipeline.image.file']).toBe(name);
      expectHop(tree, handling, service('orchestrator'), 'pipeline-cli', root);
      for (const { stage, service: stageService } of STAGE_TABLE) {
        const queue = tree.one(SPAN_NAMES.stageQueue(stage), service('orchestrator'));
        const call = tree.one(SPAN_NAMES.stageCall(stage), service('orchestrator'));
        expect(tree.parent(queue)?.spanId, queue.name).toBe(handling.spanId);
        expect(tree.parent(call)?.spanId, call.name).toBe(handling.spanId);
        for (const step of STEPS) {
          const stepSpan = tree.one(SPAN_NAMES.stageStep(stage, step), service(stageService));
          expectHop(tree, stepSpan, service(stageService), service('orchestrator'), call);
        }
      }
    }
  });

  it("records a failed image's error along its trace", () => {
    const tree = traceOf(BROKEN);
    expect(tree.orphans()).toEqual([]);
    const failed = (name: string, where: string) => expect(tree.one(name, where).statusCode, name).toBe(SPAN_STATUS.error);
    failed(SPAN_NAMES.clientImage, 'pipeline-cli');
    failed(SPAN_NAMES.orchestratorProcess, service('orchestrator'));
    failed(SPAN_NAMES.stageCall('upload'), service('orchestrator'));
    failed(SPAN_NAMES.stageStep('upload', 'decode'), service('uploader'));
    expect(tree.spans.filter((span) => span.name === SPAN_NAMES.stageCall('noise_reduction'))).toEqual([]);
  });

  it("agrees with latency.csv: each stage's queue, call, start and compute, and both totals", async () => {
    const rows = parseCsv(await readFile(join(resultsDir, 'latency.csv'), 'utf8')).slice(1);
    const row = (image: string, stage: string) => {
      const found = rows.find((candidate) => candidate[0] === image && candidate[1] === stage);
      if (!found) throw new Error(`latency.csv has no row ${image} ${stage}`);
      return { startS: Number(found[2]), observedMs: Number(found[4]), computeMs: Number(found[5]), queueMs: Number(found[7]) };
    };
    let allStepsMs = 0;
    let allComputeMs = 0;
    for (const { name } of photos) {
      const tree = traceOf(name);
      const handling = tree.one(SPAN_NAMES.orchestratorProcess);
      const orchestratorRow = row(name, TOTAL_ORCHESTRATOR);
      expect(Math.abs(durationMs(handling) - orchestratorRow.observedMs), `${name} orchestrator total`).toBeLessThanOrEqual(SAME_READING_MS);
      expect(Math.abs(durationMs(tree.one(SPAN_NAMES.clientImage)) - row(name, TOTAL_CLIENT).observedMs)).toBeLessThanOrEqual(SAME_READING_MS);
      for (const { stage } of STAGE_TABLE) {
        const stageRow = row(name, stage);
        const call = tree.one(SPAN_NAMES.stageCall(stage));
        const where = `${name} ${stage}`;
        expect(Math.abs(durationMs(call) - stageRow.observedMs), `${where} call`).toBeLessThanOrEqual(SAME_READING_MS);
        expect(Math.abs(durationMs(tree.one(SPAN_NAMES.stageQueue(stage))) - stageRow.queueMs), `${where} queue`).toBeLessThanOrEqual(SAME_READING_MS);
        const startFromCsvMs = (stageRow.startS - orchestratorRow.startS) * 1000;
        expect(Math.abs(call.startMs - handling.startMs - startFromCsvMs), `${where} start`).toBeLessThanOrEqual(SAME_READING_MS);
        const stepsMs = STEPS.reduce((sum, step) => sum + durationMs(tree.one(SPAN_NAMES.stageStep(stage, step))), 0);
        expect(stepsMs, `${where} steps within compute`).toBeLessThanOrEqual(stageRow.computeMs + SAME_READING_MS);
        allStepsMs += stepsMs;
        allComputeMs += stageRow.computeMs;
      }
    }
    // What lies between the steps (a few lines, now and then a garbage collection of several ms)
    // is in compute_ms but in no step's span: over the whole run the steps hold nearly all of it.
    expect(allStepsMs / allComputeMs).toBeGreaterThanOrEqual(STEPS_SHARE_OF_COMPUTE);
  });
});
