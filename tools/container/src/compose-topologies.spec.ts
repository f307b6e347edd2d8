import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, parse } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canRunWith, DOCKER_ENGINE } from '@imagepipeline/testing';
import { runDistributedCompose, runLocalCompose, SERVICES, type ComposeRun, type Protocol } from './compose-topologies';
import { dockerOutput, REPO_ROOT } from './docker';
import { appImage, appNames, buildAppImage, buildRuntimeImage } from './images';

const SAMPLES = readdirSync(join(REPO_ROOT, 'samples')).filter((name) => /\.(png|jpe?g)$/i.test(name));
// What `npm start` writes for a run (results/README.md).
const RUN_FILES = ['summary.json', 'latency.csv', 'latency.xlsx', 'timeline.png', 'timeline.svg'];

/** The images are built here, the way `nx run-many -t container` does (Nx has bundled the apps: test dependsOn build). */
describe.runIf(canRunWith(DOCKER_ENGINE, 'container images and compose topologies (tools/container)'))('containers on this engine', () => {
  beforeAll(() => {
    buildRuntimeImage();
    for (const app of appNames()) buildAppImage(app);
  }, 900_000);

  it('builds every app image, running as the node user', () => {
    for (const app of appNames()) expect(dockerOutput(['image', 'inspect', '--format', '{{.Config.User}}', appImage(app)]), app).toBe('node');
  });

  describe.each<[string, (protocol: Protocol) => Promise<ComposeRun>]>([
    ['docker/compose.local.<protocol>.yml', runLocalCompose],
    ['docker/distributed/<protocol>/*.yml as six projects on one engine', runDistributedCompose],
  ])('%s', (_files, run) => {
    it.each<Protocol>(['grpc', 'rest'])('%s: every service healthy, non-root and read-only, the client job writes every sample\'s results', async (protocol) => {
      const { resultsDir, services } = await run(protocol);
      expect(services.map((stats) => stats.service)).toEqual([...SERVICES]);
      for (const stats of services) {
        expect(stats.image, stats.service).toBe(appImage(`${stats.service}-${protocol}`));
        expect(stats, stats.service).toMatchObject({ user: 'node', readOnlyRootfs: true });
        expect(stats.readyMs, `${stats.service} logged ready`).toBeGreaterThan(0);
        expect(stats.peakRssBytes, stats.service).toBeGreaterThan(0);
      }
      for (const file of RUN_FILES) expect(existsSync(join(resultsDir, file)), file).toBe(true);
      const summary = JSON.parse(readFileSync(join(resultsDir, 'summary.json'), 'utf8')) as { protocol: string; counts: { images: number; succeeded: number } };
      expect(summary.protocol).toBe(protocol);
      expect(summary.counts).toMatchObject({ images: SAMPLES.length, succeeded: SAMPLES.length });
      for (const sample of SAMPLES) expect(existsSync(join(resultsDir, 'processed', `${parse(sample).name}.png`)), sample).toBe(true);
    }, 300_000);
  });
});
