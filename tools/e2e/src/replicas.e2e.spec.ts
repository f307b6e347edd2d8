// Two background-remover replicas on two hosts of the network-namespace topology: the orchestrator
// gives both work, and an image whose replica is killed mid-run still finishes on the other.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Protocol } from '@imagepipeline/config';
import { canRunWith, NETWORK_NAMESPACES } from '@imagepipeline/testing';
import {
  countBackgroundRemovals,
  REPOSITORY_PHOTO_DIRS,
  withDistributedServices,
  writeRepeatedPhotos,
  type DistributedServices,
  type RunningService,
} from '@imagepipeline/topology';
import { REPO_ROOT, runCli } from './run-cli';

const IMAGES = 16;

interface Summary {
  images: { fileName: string; error?: unknown }[];
}

/** The background-remover processes, the first replica first. */
function backgroundRemovers({ plans, started }: DistributedServices): RunningService[] {
  return started.services.filter((_, i) => plans[i].service === 'background-remover');
}

function orchestratorAddress({ plans }: DistributedServices): string {
  const plan = plans.find((p) => p.service === 'orchestrator')!;
  return `${plan.host}:${plan.port}`;
}

/** Resolves once `condition` holds, or `stop` has settled; checked every 100 ms. */
async function waitFor(condition: () => Promise<boolean>, stop: Promise<unknown>): Promise<void> {
  let stopped = false;
  void stop.finally(() => (stopped = true));
  while (!stopped && !(await condition())) await new Promise((resolve) => setTimeout(resolve, 100));
}

describe.runIf(canRunWith(NETWORK_NAMESPACES, 'background-remover replica tests (tools/e2e)')).each(['grpc', 'rest'] as const)(
  'two background-remover replicas over %s',
  (protocol: Protocol) => {
    let work: string;
    let input: string;

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), `e2e-replicas-${protocol}-`));
      input = await writeRepeatedPhotos(join(work, 'input'), IMAGES, REPOSITORY_PHOTO_DIRS.map((dir) => join(REPO_ROOT, dir)));
    });
    afterAll(() => rm(work, { recursive: true, force: true }));

    /** Two replicas on their own hosts; the replicas' request counts come from their own logs (info). */
    const withTwoReplicas = <T>(name: string, body: (services: DistributedServices) => Promise<T>) =>
      withDistributedServices(
        {
          protocol,
          root: REPO_ROOT,
          logDir: join(work, name, 'logs'),
          backgroundReplicas: 2,
          env: { LOG_LEVEL: 'info' },
          log: () => undefined,
        },
        body,
      );

    const sendImages = (services: DistributedServices, out: string) =>
      runCli(['--protocol', protocol, '--topology', 'distributed', '--orchestrator', orchestratorAddress(services), '--input', input, '--out', out]);

    const readSummary = async (out: string): Promise<Summary> =>
      JSON.parse(await readFile(join(out, 'distributed', protocol, 'summary.json'), 'utf8')) as Summary;

    it(`gives both replicas work, within 30 % of each other over ${IMAGES} images`, async () => {
      const out = join(work, 'balance', 'out');
      const { run, counts } = await withTwoReplicas('balance', async (services) => {
        const run = await sendImages(services, out);
        const counts = await Promise.all(backgroundRemovers(services).map((replica) => countBackgroundRemovals(protocol, replica.logFile)));
        return { run, counts };
      });
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      const summary = await readSummary(out);
      expect(summary.images.filter((image) => image.error)).toEqual([]);
      expect(counts).toHaveLength(2);
      expect(counts[0] + counts[1]).toBeGreaterThanOrEqual(IMAGES);
      expect(Math.min(...counts), `requests per replica: ${counts.join(', ')}`).toBeGreaterThanOrEqual(0.7 * Math.max(...counts));
    });

    it('finishes every image when one replica is killed (SIGKILL) mid-run', async () => {
      const out = join(work, 'kill', 'out');
      const { run, clientRunningAtKill, countsAtKill, countsAtEnd } = await withTwoReplicas('kill', async (services) => {
        const replicas = backgroundRemovers(services);
        const counts = () => Promise.all(replicas.map((replica) => countBackgroundRemovals(protocol, replica.logFile)));
        let clientRunning = true;
        const client = sendImages(services, out).finally(() => (clientRunning = false));
        // Mid-run: once the replica to kill has taken a couple of images, with more still to send.
        await waitFor(async () => (await counts())[1] >= 2, client);
        const clientRunningAtKill = clientRunning;
        const countsAtKill = await counts();
        replicas[1].process.kill('SIGKILL');
        const run = await client;
        return { run, clientRunningAtKill, countsAtKill, countsAtEnd: await counts() };
      });
      expect(clientRunningAtKill, 'the client had finished before the kill').toBe(true);
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      const summary = await readSummary(out);
      expect(summary.images).toHaveLength(IMAGES);
      expect(summary.images.filter((image) => image.error)).toEqual([]);
      // The survivor took the rest: more requests after the kill than before.
      expect(countsAtEnd[0], `survivor's requests at the kill ${countsAtKill[0]}, at the end ${countsAtEnd[0]}`).toBeGreaterThan(countsAtKill[0]);
    });
  },
);
