import { SERVICE_NAMES } from '@imagepipeline/config';
import { canRunWith, KUBECTL, writeLocalCredentials } from '@imagepipeline/testing';
import type { IProbe } from 'kubernetes-models/v1';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, posix, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCKER_DIR, overlays, STAGED_HEALTHCHECK, type Overlay } from './deploy-files';
import { finalStageChain, parseDockerfile, pathInImage } from './dockerfile-stages';
import { deploymentsOf, describeObject, envOf, mainContainer, parseManifests, validationProblem, type KubernetesObject } from './kubernetes-objects';
import { mapLimited, runToolAsync } from './run-tool';
import { CREDENTIALS_MOUNT, HEALTHCHECK_FILES, ORCHESTRATOR_FILES, SERVICE_FILES } from './tls-variables';

const TLS_COMPONENT = join(DOCKER_DIR, 'k8s', 'components', 'tls');
const SECRET = 'image-pipeline-tls';

/** Where docker/Dockerfile puts the health check the runtime staging holds: what the exec probes must run. */
const healthcheckInImage = pathInImage(finalStageChain(parseDockerfile(readFileSync(join(DOCKER_DIR, 'Dockerfile'), 'utf8'))), STAGED_HEALTHCHECK);

const all = overlays();
let workDir = '';
/** Per overlay: rendered with the component and a secretGenerator, as docker/README.md shows; and with the component alone. */
const rendered = new Map<string, { generated: KubernetesObject[]; alone: KubernetesObject[] }>();

/** A kustomization in `dir` that adds the tls component to `overlay` (kustomize takes relative paths only). */
async function writeKustomization(dir: string, overlay: Overlay, secretFiles?: string[]): Promise<void> {
  const lines = [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    `namespace: image-pipeline-${overlay.protocol}`,
    `resources: [${relative(dir, overlay.path)}]`,
    `components: [${relative(dir, TLS_COMPONENT)}]`,
    ...(secretFiles ? ['secretGenerator:', `  - name: ${SECRET}`, `    files: [${secretFiles.join(', ')}]`] : []),
  ];
  await writeFile(join(dir, 'kustomization.yaml'), `${lines.join('\n')}\n`);
}

async function render(dir: string): Promise<KubernetesObject[]> {
  const output = await runToolAsync('kubectl', ['kustomize', dir]);
  if (output.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${output.stderr}`);
  return parseManifests(output.stdout);
}

function probes(container: ReturnType<typeof mainContainer>): [string, IProbe | undefined][] {
  return [
    ['startup', container.startupProbe],
    ['readiness', container.readinessProbe],
    ['liveness', container.livenessProbe],
  ];
}

describe.runIf(canRunWith(KUBECTL, 'Kubernetes TLS checks (tools/deploy)'))('components/tls on every overlay', () => {
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'k8s-tls-'));
    const outputs = await mapLimited(all, 4, async (overlay) => {
      const dir = join(workDir, overlay.topology, overlay.protocol);
      const generatedDir = join(dir, 'generated');
      const aloneDir = join(dir, 'alone');
      await Promise.all([mkdir(generatedDir, { recursive: true }), mkdir(aloneDir, { recursive: true })]);
      const credentials = await writeLocalCredentials(generatedDir, ['orchestrator', 'uploader', 'noise-reducer', 'background-remover', 'classifier']);
      await writeKustomization(generatedDir, overlay, Object.values(credentials).map((file) => basename(file)));
      await writeKustomization(aloneDir, overlay);
      return { generated: await render(generatedDir), alone: await render(aloneDir) };
    });
    all.forEach((overlay, index) => rendered.set(overlay.path, outputs[index]));
  });
  afterAll(() => rm(workDir, { recursive: true, force: true }));

  it('finds docker/healthcheck.mjs where docker/Dockerfile puts it', () => {
    expect(healthcheckInImage).toBe('/app/docker/healthcheck.mjs');
  });

  describe.each(all.map((overlay) => [overlay.name, overlay] as const))('%s', (_name, overlay) => {
    const generated = () => rendered.get(overlay.path)!.generated;

    it('renders objects that validate, the generated Secret among them', () => {
      const problems = generated()
        .map((object) => [describeObject(object), validationProblem(object)])
        .filter(([, problem]) => problem !== undefined);
      expect(problems).toEqual([]);
      expect(generated().filter((o) => o.kind === 'Secret').map((o) => o.metadata.name)).toEqual([expect.stringMatching(new RegExp(`^${SECRET}-`))]);
    });

    it('mounts the Secret read-only in every service container, by the name kustomize generated', () => {
      const secret = generated().find((o) => o.kind === 'Secret')!;
      for (const [service, deployment] of deploymentsOf(generated())) {
        const pod = deployment.spec.template.spec;
        const volume = pod.volumes?.find((v) => v.secret?.secretName === secret.metadata.name);
        expect(volume, service).toBeDefined();
        const mount = mainContainer(deployment).volumeMounts?.find((m) => m.name === volume?.name);
        expect(mount, service).toMatchObject({ mountPath: CREDENTIALS_MOUNT, readOnly: true });
        // Key files readable by the pod's group only, which owns them.
        expect(volume?.secret?.defaultMode, service).toBe(0o440);
        expect(pod.securityContext?.fsGroup, service).toBe(pod.securityContext?.runAsGroup);
      }
    });

    it('names a key of the Secret in every *_FILE variable: the service, its health check, and the orchestrator for its stages', () => {
      const secret = generated().find((o) => o.kind === 'Secret')!;
      const keys = Object.keys(secret.data as Record<string, string>);
      for (const [service, deployment] of deploymentsOf(generated())) {
        const container = mainContainer(deployment);
        const variables = [...SERVICE_FILES, ...HEALTHCHECK_FILES, ...(service === 'orchestrator' ? ORCHESTRATOR_FILES : [])];
        for (const variable of variables) {
          const path = envOf(container)[variable] ?? '';
          expect(posix.dirname(path), `${service} ${variable}`).toBe(CREDENTIALS_MOUNT);
          expect(keys, `${service} ${variable}`).toContain(posix.basename(path));
        }
        if (service !== 'orchestrator') expect(ORCHESTRATOR_FILES.filter((v) => envOf(container)[v]), service).toEqual([]);
      }
      expect([...deploymentsOf(generated()).keys()].sort()).toEqual([...SERVICE_NAMES].sort());
    });

    it('probes with docker/healthcheck.mjs in the container (exec), since kubelet probes present no client certificate', () => {
      for (const [service, deployment] of deploymentsOf(generated())) {
        for (const [kind, probe] of probes(mainContainer(deployment))) {
          const command = ['node', healthcheckInImage, ...(kind === 'liveness' ? ['--live'] : [])];
          expect(probe?.exec?.command, `${service} ${kind}`).toEqual(command);
          expect([probe?.grpc, probe?.httpGet, probe?.tcpSocket], `${service} ${kind}`).toEqual([undefined, undefined, undefined]);
        }
      }
    });

    it("has Prometheus scrape every pod over HTTPS, keeping the bases' scrape annotations", () => {
      for (const [service, deployment] of deploymentsOf(generated())) {
        const annotations = deployment.spec.template.metadata.annotations;
        expect(annotations, service).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/path': '/metrics', 'prometheus.io/scheme': 'https' });
        expect(annotations?.['prometheus.io/port'], service).toMatch(/^\d+$/);
      }
    });

    it(`refers to the Secret as ${SECRET} when it is made by hand (kubectl create secret)`, () => {
      for (const [service, deployment] of deploymentsOf(rendered.get(overlay.path)!.alone)) {
        expect(deployment.spec.template.spec.volumes?.map((v) => v.secret?.secretName), service).toContain(SECRET);
      }
    });
  });
});
