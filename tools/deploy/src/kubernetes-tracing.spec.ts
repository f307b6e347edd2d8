import { SERVICE_NAMES } from '@imagepipeline/config';
import { canRunWith, KUBECTL } from '@imagepipeline/testing';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overlays, type Overlay } from './deploy-files';
import { deploymentsOf, describeObject, mainContainer, parseManifests, validationProblem, type KubernetesObject } from './kubernetes-objects';
import { mapLimited, runToolAsync } from './run-tool';
import { TRACING_COMPONENT, TRACING_CONFIG_MAP, TRACING_ON } from './tracing-files';

const all = overlays();
let workDir = '';
/** Per overlay: as shipped; with the component and a configMapGenerator, as docker/README.md shows; with the component alone. */
const rendered = new Map<string, { shipped: KubernetesObject[]; generated: KubernetesObject[]; alone: KubernetesObject[] }>();

/** A kustomization in `dir` that adds the tracing component to `overlay`, generating the ConfigMap when asked (kustomize takes relative paths only). */
async function writeKustomization(dir: string, overlay: Overlay, generate: boolean): Promise<void> {
  const literals = Object.entries(TRACING_ON).map(([name, value]) => `${name}=${value}`);
  const lines = [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    `namespace: image-pipeline-${overlay.protocol}`,
    `resources: [${relative(dir, overlay.path)}]`,
    `components: [${relative(dir, TRACING_COMPONENT)}]`,
    ...(generate ? ['configMapGenerator:', `  - name: ${TRACING_CONFIG_MAP}`, `    literals: [${literals.join(', ')}]`] : []),
  ];
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'kustomization.yaml'), `${lines.join('\n')}\n`);
}

async function render(path: string): Promise<KubernetesObject[]> {
  const output = await runToolAsync('kubectl', ['kustomize', path]);
  if (output.status !== 0) throw new Error(`kubectl kustomize ${path} failed:\n${output.stderr}`);
  return parseManifests(output.stdout);
}

describe.runIf(canRunWith(KUBECTL, 'Kubernetes tracing checks (tools/deploy)'))('components/tracing on every overlay', () => {
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'k8s-tracing-'));
    const outputs = await mapLimited(all, 4, async (overlay) => {
      const dir = join(workDir, overlay.topology, overlay.protocol);
      await Promise.all([writeKustomization(join(dir, 'generated'), overlay, true), writeKustomization(join(dir, 'alone'), overlay, false)]);
      return { shipped: await render(overlay.path), generated: await render(join(dir, 'generated')), alone: await render(join(dir, 'alone')) };
    });
    all.forEach((overlay, index) => rendered.set(overlay.path, outputs[index]));
  });
  afterAll(() => rm(workDir, { recursive: true, force: true }));

  describe.each(all.map((overlay) => [overlay.name, overlay] as const))('%s', (_name, overlay) => {
    const generated = () => rendered.get(overlay.path)!.generated;

    it('as shipped, traces nothing: no container takes an OTEL_ variable or a ConfigMap of variables', () => {
      for (const [service, deployment] of deploymentsOf(rendered.get(overlay.path)!.shipped)) {
        const pod = deployment.spec.template.spec;
        for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
          expect((container.env ?? []).filter((v) => v.name.startsWith('OTEL_')), `${service} ${container.name}`).toEqual([]);
          expect(container.envFrom, `${service} ${container.name}`).toBeUndefined();
        }
      }
    });

    it('renders objects that validate, the generated ConfigMap among them with the variables', () => {
      const problems = generated()
        .map((object) => [describeObject(object), validationProblem(object)])
        .filter(([, problem]) => problem !== undefined);
      expect(problems).toEqual([]);
      const maps = generated().filter((o) => o.kind === 'ConfigMap');
      expect(maps.map((o) => o.metadata.name)).toEqual([expect.stringMatching(new RegExp(`^${TRACING_CONFIG_MAP}-`))]);
      expect(maps[0].data).toEqual(TRACING_ON);
    });

    it('gives every service container the ConfigMap by the name kustomize generated, and sets none of its variables over it', () => {
      const map = generated().find((o) => o.kind === 'ConfigMap')!;
      for (const [service, deployment] of deploymentsOf(generated())) {
        const container = mainContainer(deployment);
        expect(container.envFrom, service).toEqual([{ configMapRef: { name: map.metadata.name } }]);
        // A container's own `env` wins over `envFrom`.
        expect((container.env ?? []).filter((v) => v.name in TRACING_ON), service).toEqual([]);
      }
      expect([...deploymentsOf(generated()).keys()].sort()).toEqual([...SERVICE_NAMES].sort());
    });

    it(`refers to the ConfigMap as ${TRACING_CONFIG_MAP} when it is made by hand (kubectl create configmap)`, () => {
      for (const [service, deployment] of deploymentsOf(rendered.get(overlay.path)!.alone)) {
        expect(mainContainer(deployment).envFrom, service).toEqual([{ configMapRef: { name: TRACING_CONFIG_MAP } }]);
      }
    });
  });
});
