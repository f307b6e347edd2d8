// `nx run reliability:run`: the full reliability suites for both protocols against the built apps;
// writes results/reliability/report.md and exits 1 if any case missed its expected outcome.
import { join } from 'node:path';
import { DEFAULT_CONNECTION_LIMITS, parseCommandLine, PROTOCOLS } from '@imagepipeline/config';
import { resolveOrchestratorOptions } from '@imagepipeline/pipeline';
import type { CaseResult } from './case-result';
import { LIGHT_LIMITS_ENV } from './cases';
import { FAULT_ORCHESTRATOR_ENV } from './faults';
import { SMALL_ORCHESTRATOR_BOUNDS, SMALL_STAGE_QUEUE_ENV } from './backpressure';
import { writeReport, type ReliabilityReport } from './report';
import { REPO_ROOT } from './service-set';
import { FLOOD_STREAMS, IDLE_SOCKETS } from './abusive-clients';
import { CAMERA_BURST } from './memory-budget';
import { CREDENTIAL_CASES } from './credentials';
import { slowClientEnv } from './slow-clients';
import {
  FULL,
  runCredentialSuite,
  runFaultSuite,
  runInputSuite,
  runDefaultLimitsSuite,
  runLoadSuite,
  runSlowClientSuite,
  SMALL,
  startDefaultLimitsServices,
  startFaultServices,
  startInputServices,
  startLoadServices,
  startSlowClientServices,
  withServiceSet,
} from './suites';

const USAGE = `usage: npx nx run reliability:run [--quick]

Bad input on every public endpoint, load, backpressure, faults (kill -9, a hanging stage,
SIGTERM), slow or abusive clients and bad credentials, over both protocols, against the built apps
on loopback.
Writes results/reliability/report.md; exits 1 if any case missed its expected outcome. Needs the model
files (README, "Models").

  --quick     a short run: the settings npm test uses (${SMALL.loadImages} images at concurrency ${SMALL.loadConcurrency}), about 2 min
  -h, --help  this text

A full run takes about 11 min on 2 cores and needs about 8 GiB of memory: ${FULL.loadImages} images at
concurrency ${FULL.loadConcurrency} per protocol, RSS after a settle; then the slow clients again and
${CAMERA_BURST.photos} photos of ${CAMERA_BURST.megapixels} MP at once on services with every limit at its default.
`;
const options = parseCommandLine(USAGE, { quick: { type: 'boolean', default: false } });
const settings = options.quick ? SMALL : FULL;
const startedMs = Date.now();

const env = (vars: Record<string, string>) => Object.entries(vars).map(([k, v]) => `${k}=${v}`).join(' ');
const report: ReliabilityReport = {
  startedAt: new Date().toISOString(),
  settings: [
    `bad input / valid images: ${env(LIGHT_LIMITS_ENV)}`,
    `load: ${settings.loadImages} images at concurrency ${settings.loadConcurrency} through the orchestrator, settle ${settings.settleMs / 1000} s; stages with ${env(SMALL_STAGE_QUEUE_ENV)}`,
    `backpressure: burst of ${settings.burst} at an orchestrator with ${env(SMALL_ORCHESTRATOR_BOUNDS)}; burst at the background remover (MAX_CONCURRENT=1, ${env(SMALL_STAGE_QUEUE_ENV)})`,
    `faults: orchestrator with ${env(FAULT_ORCHESTRATOR_ENV)}, STAGE_CALL_RETRIES=2 (default); ${settings.killImages} images during kill -9`,
    `slow clients: gRPC ${env(slowClientEnv('grpc'))}; REST ${env(slowClientEnv('rest'))}; ${IDLE_SOCKETS} idle sockets, ${FLOOD_STREAMS} streams in the flood`,
    `credentials: every service with TLS_CERT_FILE, TLS_KEY_FILE, TLS_CLIENT_CA_FILE (mutual TLS) and AUTH_TOKEN_FILE, the orchestrator with STAGE_TLS_CA_FILE, STAGE_TLS_CERT_FILE, STAGE_TLS_KEY_FILE and STAGE_AUTH_TOKEN_FILE, all from throwaway credentials made for the run; ` +
      `at the orchestrator and the classifier: ${CREDENTIAL_CASES.map((c) => c.id).join(', ')}`,
    ...(options.quick ? [] : [defaultLimitsSettings()]),
    `machine: ${process.platform} ${process.arch}, Node ${process.version}`,
  ],
  cases: [],
  load: [],
  bursts: [],
  photoBursts: [],
};

function defaultLimitsSettings(): string {
  const { headersTimeoutMs, requestTimeoutMs, idleTimeoutMs } = DEFAULT_CONNECTION_LIMITS;
  const budgetMiB = resolveOrchestratorOptions().memoryBudgetBytes / 1024 ** 2;
  return (
    `default limits: services with only PORT set, every limit at README's default. The slow and abusive clients again at HEADERS_TIMEOUT_MS=${headersTimeoutMs} ` +
    `REQUEST_TIMEOUT_MS=${requestTimeoutMs} IDLE_TIMEOUT_MS=${idleTimeoutMs}, so some cases last minutes (the slow body waits ${requestTimeoutMs / 1000} s for its 408, ` +
    `an idle HTTP/1.1 connection ${idleTimeoutMs / 1000} s for its close; gRPC closes every connection at its 30 s maximum age first); their waits overlap. ` +
    `REST stages speak HTTP/1.1 by default (REST_STAGE_HTTP2 off), so the h2c stream flood runs only above. ` +
    `Then ${CAMERA_BURST.photos} photos of ${CAMERA_BURST.megapixels} MP at once on each orchestrator route, ORCH_MEMORY_BUDGET_MB=${budgetMiB}`
  );
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const record = (cases: CaseResult[]) => {
  report.cases.push(...cases);
  for (const c of cases) log(`${c.pass ? 'pass' : 'FAIL'}  ${c.protocol} ${c.group}: ${c.id} @ ${c.target} — ${c.actual}`);
};

const out = join(REPO_ROOT, 'results/reliability/report.md');
try {
  for (const protocol of PROTOCOLS) {
    log(`== ${protocol}: bad input and odd images`);
    record(await withServiceSet(startInputServices(protocol), runInputSuite));
    log(`== ${protocol}: load and backpressure`);
    const load = await withServiceSet(startLoadServices(protocol), (services) => runLoadSuite(services, settings));
    record(load.cases);
    report.load.push({ protocol, stats: load.load });
    for (const [target, stats] of Object.entries(load.bursts)) report.bursts.push({ protocol, target, stats });
    log(`== ${protocol}: faults`);
    record(await withServiceSet(startFaultServices(protocol), (services) => runFaultSuite(services, settings)));
    log(`== ${protocol}: slow and abusive clients`);
    record(await withServiceSet(startSlowClientServices(protocol), runSlowClientSuite));
    log(`== ${protocol}: bad credentials`);
    record(await runCredentialSuite(protocol));
    if (options.quick) continue;
    log(`== ${protocol}: default limits (slow clients at the default timeouts, camera photos beyond the memory budget)`);
    const suiteStartedMs = Date.now();
    const defaults = await withServiceSet(startDefaultLimitsServices(protocol), runDefaultLimitsSuite);
    record(defaults.cases);
    report.photoBursts.push(...defaults.photoBursts.map((stats) => ({ protocol, stats })));
    report.settings.splice(-1, 0, `default limits over ${protocol} took ${Math.round((Date.now() - suiteStartedMs) / 1000)} s`); // above the machine line
  }
} catch (error) {
  report.cases.push({ group: 'health', protocol: 'grpc', id: 'the run itself', target: '-', expected: 'completes', actual: String(error instanceof Error ? error.stack : error), pass: false });
  log(`run aborted: ${String(error)}`);
}
await writeReport(out, report);
const failed = report.cases.filter((c) => !c.pass).length;
log(`${report.cases.length} cases, ${failed} failed in ${Math.round((Date.now() - startedMs) / 1000)} s; report: ${out}`);
process.exit(failed > 0 ? 1 : 0);
