// Runs the input table against running services: every bad input on every endpoint of the
// protocol (with a health probe after each), odd valid images through the pipeline, then one good
// image on every endpoint to prove each service is still healthy.
import { SERVICE_NAMES } from '@imagepipeline/config';
import { BAD_INPUT_CASES, makeGoodJpeg, VALID_IMAGE_CASES, type BadInputCase, type ValidImageCase } from './cases';
import { describeOutcome, type CaseResult } from './case-result';
import type { ServiceSet } from './service-set';
import { callEndpoint, ENDPOINT_SERVICE, ENDPOINTS, endpointLabel, type CallOutcome, type EndpointName } from './wire';

/** Every bad-input case on every endpoint of `services.protocol`. */
export async function checkBadInput(services: ServiceSet, cases: readonly BadInputCase[] = BAD_INPUT_CASES): Promise<CaseResult[]> {
  const { protocol } = services;
  const results: CaseResult[] = [];
  for (const testCase of cases) {
    const expected = testCase.expected[protocol];
    const payload = await testCase.payload(protocol);
    if (!expected || !payload) continue;
    for (const endpoint of ENDPOINTS) {
      const service = ENDPOINT_SERVICE[endpoint];
      const outcome = await callEndpoint(protocol, services.address(service), endpoint, payload, 30_000);
      const healthy = await services.isReady(service);
      const codeOk = expected.codes.length === 0 || expected.codes.includes(outcome.code ?? '');
      const hasMessage = !!outcome.message && outcome.message.length > 0;
      results.push({
        group: 'bad input',
        protocol,
        id: testCase.id,
        target: endpointLabel(protocol, endpoint),
        expected: `${expected.status} ${expected.codes.join('|') || '(any code)'} with a message; healthy after`,
        actual: `${describeOutcome(outcome)}${healthy ? '' : ' — NOT HEALTHY AFTER'}`,
        pass: !outcome.ok && outcome.status === expected.status && codeOk && hasMessage && healthy,
      });
    }
  }
  return results;
}

/** Odd but valid images through the orchestrator: RGBA PNG out, at the displayed size. */
export async function checkValidImages(services: ServiceSet, cases: readonly ValidImageCase[] = VALID_IMAGE_CASES): Promise<CaseResult[]> {
  const { protocol } = services;
  const results: CaseResult[] = [];
  for (const testCase of cases) {
    const outcome = await callEndpoint(protocol, services.address('orchestrator'), 'pipeline', { kind: 'image', bytes: await testCase.make(), fileName: testCase.fileName });
    const image = outcome.image;
    results.push({
      group: 'valid image',
      protocol,
      id: testCase.id,
      target: endpointLabel(protocol, 'pipeline'),
      expected: `processed: RGBA PNG ${testCase.width}×${testCase.height}, a label`,
      actual: outcome.ok
        ? `processed: ${image?.format} ${image?.channels}ch ${image?.width}×${image?.height}, label "${outcome.label ?? ''}"`
        : describeOutcome(outcome),
      pass:
        outcome.ok &&
        image?.format === 'png' &&
        image.channels === 4 &&
        image.width === testCase.width &&
        image.height === testCase.height &&
        !!outcome.label,
    });
  }
  return results;
}

/** Each service reports ready and one good image succeeds on every endpoint. */
export async function checkHealthy(services: ServiceSet, label = 'healthy after'): Promise<CaseResult[]> {
  const { protocol } = services;
  const good = await makeGoodJpeg();
  const results: CaseResult[] = [];
  for (const service of SERVICE_NAMES) {
    const ready = await services.isReady(service);
    results.push({ group: 'health', protocol, id: `${label}: ${service} ready`, target: services.address(service), expected: 'ready', actual: ready ? 'ready' : 'NOT READY', pass: ready });
  }
  for (const endpoint of ENDPOINTS) {
    const outcome = await callEndpoint(protocol, services.address(ENDPOINT_SERVICE[endpoint]), endpoint, { kind: 'image', bytes: good, fileName: 'good.jpg' });
    results.push({
      group: 'health',
      protocol,
      id: `${label}: good image`,
      target: endpointLabel(protocol, endpoint),
      expected: 'success',
      actual: outcome.ok ? `${outcome.status}${describeImage(endpoint, outcome)}` : describeOutcome(outcome),
      pass: outcome.ok,
    });
  }
  return results;
}

function describeImage(endpoint: EndpointName, outcome: CallOutcome): string {
  if (endpoint === 'classify') return ` label "${outcome.label}"`;
  return outcome.image ? ` ${outcome.image.format} ${outcome.image.width}×${outcome.image.height}` : '';
}
