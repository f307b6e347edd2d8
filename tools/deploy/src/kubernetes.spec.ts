import { DEFAULT_PORTS, SERVICE_NAMES, STAGE_ADDRESS_VARIABLES, type ServiceName, type StageServiceName } from '@imagepipeline/config';
import type { IProbe } from 'kubernetes-models/v1';
import { beforeAll, describe, expect, it } from 'vitest';
import { overlays, type Overlay } from './deploy-files';
import { canRunWith, KUBECTL } from '@imagepipeline/testing';
import { metricsPortOf } from './metrics-port';
import { mapLimited, runToolAsync } from './run-tool';
import {
  deploymentsOf,
  describeObject,
  envOf as env,
  mainContainer,
  parseManifests,
  validationProblem,
  type DeploymentObject,
  type KubernetesObject,
} from './kubernetes-objects';

const MODEL_STAGES: readonly string[] = ['background-remover', 'classifier'];
const all = overlays();
const rendered = new Map<string, KubernetesObject[]>();

function objects(overlay: Overlay): KubernetesObject[] {
  const found = rendered.get(overlay.path);
  if (!found) throw new Error(`${overlay.name} was not rendered`);
  return found;
}

function deployments(overlay: Overlay): Map<string, DeploymentObject> {
  return deploymentsOf(objects(overlay));
}

/** What a NetworkPolicy's fields hold, for the checks below. */
interface NetworkPolicySpec {
  podSelector: { matchLabels?: Record<string, string> };
  policyTypes?: string[];
  ingress?: { from?: { podSelector?: { matchLabels?: Record<string, string> }; namespaceSelector?: unknown; ipBlock?: unknown }[]; ports?: { port: number | string }[] }[];
}

/** True when every label of `selector` is on the pod. */
function selects(selector: Record<string, string> | undefined, podLabels: Record<string, string>): boolean {
  return Object.entries(selector ?? {}).every(([key, value]) => podLabels[key] === value);
}

describe.runIf(canRunWith(KUBECTL, 'Kubernetes overlay checks (tools/deploy)'))('kustomize overlays', () => {
  beforeAll(async () => {
    const outputs = await mapLimited(all, 4, (overlay) => runToolAsync('kubectl', ['kustomize', overlay.path]));
    all.forEach((overlay, index) => {
      const output = outputs[index];
      if (output.status !== 0) throw new Error(`kubectl kustomize ${overlay.name} failed:\n${output.stderr}`);
      rendered.set(overlay.path, parseManifests(output.stdout));
    });
  });

  it('exist for both topologies and both protocols', () => {
    expect(all.map((overlay) => overlay.name).sort()).toEqual([
      'docker/k8s/overlays/distributed/grpc',
      'docker/k8s/overlays/distributed/rest',
      'docker/k8s/overlays/local/grpc',
      'docker/k8s/overlays/local/rest',
    ]);
  });

  describe.each(all.map((overlay) => [overlay.name, overlay] as const))('%s', (_name, overlay) => {
    const port = (service: ServiceName) => DEFAULT_PORTS[overlay.protocol][service];

    it('renders objects that validate against their kubernetes-models schema', () => {
      const problems = objects(overlay)
        .map((object) => [describeObject(object), validationProblem(object)])
        .filter(([, problem]) => problem !== undefined);
      expect(problems).toEqual([]);
    });

    it('puts everything in the protocol namespace', () => {
      for (const object of objects(overlay)) {
        if (object.kind === 'Namespace') expect(object.metadata.name).toBe(`image-pipeline-${overlay.protocol}`);
        else expect(object.metadata.namespace, describeObject(object)).toBe(`image-pipeline-${overlay.protocol}`);
      }
    });

    it('has a Deployment and a Service per service, on its default port', () => {
      const byName = deployments(overlay);
      expect([...byName.keys()].sort()).toEqual([...SERVICE_NAMES].sort());
      const services = objects(overlay).filter((o) => o.kind === 'Service');
      expect(services.map((s) => s.metadata.name).sort()).toEqual([...SERVICE_NAMES].sort());
      for (const service of SERVICE_NAMES) {
        const container = mainContainer(byName.get(service)!);
        expect(container.image, service).toBe(`image-pipeline/${service}-${overlay.protocol}:latest`);
        expect(container.ports?.map((p) => p.containerPort), service).toEqual([port(service)]);
        expect(env(container).PORT, service).toBe(String(port(service)));
        const spec = services.find((s) => s.metadata.name === service)!.spec as { ports: { port: number }[] };
        expect(spec.ports.map((p) => p.port), service).toEqual([port(service)]);
      }
    });

    it('gives every container resource requests and limits', () => {
      for (const deployment of deployments(overlay).values()) {
        const pod = deployment.spec.template.spec;
        for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
          const where = `${deployment.metadata.name}/${container.name}`;
          for (const kind of ['requests', 'limits'] as const) {
            expect(container.resources?.[kind]?.cpu, `${where} ${kind}.cpu`).toBeDefined();
            expect(container.resources?.[kind]?.memory, `${where} ${kind}.memory`).toBeDefined();
          }
        }
      }
    });

    it(`probes readiness and liveness on the ${overlay.protocol === 'grpc' ? 'grpc.health.v1 service' : '/readyz and /healthz endpoints'}`, () => {
      for (const [service, deployment] of deployments(overlay)) {
        const container = mainContainer(deployment);
        const probes: [string, IProbe | undefined, string][] = [
          ['readiness', container.readinessProbe, '/readyz'],
          ['liveness', container.livenessProbe, '/healthz'],
        ];
        for (const [kind, probe, path] of probes) {
          expect(probe, `${service} ${kind}`).toBeDefined();
          if (overlay.protocol === 'grpc') {
            expect(probe?.grpc?.port, `${service} ${kind}`).toBe(port(service as ServiceName));
          } else {
            expect(probe?.httpGet?.path, `${service} ${kind}`).toBe(path);
            expect([port(service as ServiceName), 'http'], `${service} ${kind}`).toContain(probe?.httpGet?.port);
          }
        }
        // gRPC liveness reports NOT_SERVING until the models load: a startup probe must cover that.
        if (overlay.protocol === 'grpc') expect(container.startupProbe?.grpc?.port, service).toBe(port(service as ServiceName));
      }
    });

    // Prometheus's kubernetes-pods convention: gRPC pods on their metrics port, which no Service
    // exposes (a pod keeps one container port); REST pods on the service port. Plain HTTP here;
    // components/tls adds prometheus.io/scheme: https (kubernetes-tls.spec.ts).
    it('asks Prometheus to scrape every pod where its configuration serves GET /metrics (annotations)', () => {
      for (const [service, deployment] of deployments(overlay)) {
        const container = mainContainer(deployment);
        const metricsPort = metricsPortOf(overlay.protocol, service as ServiceName, env(container));
        expect(deployment.spec.template.metadata.annotations, service).toEqual({
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': String(metricsPort),
          'prometheus.io/path': '/metrics',
        });
        if (overlay.protocol === 'rest') expect(container.ports?.map((p) => p.containerPort), service).toEqual([metricsPort]);
        else expect(metricsPort, service).not.toBe(port(service as ServiceName));
      }
    });

    it('runs as non-root with a read-only root filesystem', () => {
      for (const [service, deployment] of deployments(overlay)) {
        const pod = deployment.spec.template.spec;
        expect(pod.securityContext?.runAsNonRoot, service).toBe(true);
        for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
          expect(container.securityContext?.readOnlyRootFilesystem, `${service}/${container.name}`).toBe(true);
          expect(container.securityContext?.allowPrivilegeEscalation, `${service}/${container.name}`).toBe(false);
        }
      }
    });

    it('points the orchestrator at the stage Services', () => {
      const orchestrator = env(mainContainer(deployments(overlay).get('orchestrator')!));
      for (const [stage, variable] of Object.entries(STAGE_ADDRESS_VARIABLES)) {
        expect(orchestrator[variable], variable).toBe(`${stage}:${port(stage as StageServiceName)}`);
      }
    });

    // The orchestrator balances over what a stage's name resolves to (gRPC: a dns:/// target with
    // round_robin; REST: a lookup every 5 s). Only a headless Service answers every ready pod, so
    // only then do the replicas the HPA adds get calls.
    it('names headless stage Services, so the orchestrator balances over every ready pod', () => {
      const services = new Map(objects(overlay).filter((o) => o.kind === 'Service').map((o) => [o.metadata.name, o]));
      const orchestrator = env(mainContainer(deployments(overlay).get('orchestrator')!));
      for (const variable of Object.values(STAGE_ADDRESS_VARIABLES)) {
        const [name, addressPort] = (orchestrator[variable] ?? '').split(':');
        const spec = services.get(name)?.spec as { clusterIP?: string; ports?: { port: number }[] } | undefined;
        expect(spec?.clusterIP, `${variable} → Service/${name}`).toBe('None');
        expect(spec?.ports?.map((p) => p.port), `${variable} → Service/${name}`).toContain(Number(addressPort));
      }
    });

    it('lets only the orchestrator reach the stages, on their service ports (NetworkPolicy)', () => {
      const policies = objects(overlay).filter((o) => o.kind === 'NetworkPolicy');
      expect(policies).toHaveLength(1);
      const spec = policies[0].spec as NetworkPolicySpec;
      const podLabels = (service: string) => deployments(overlay).get(service)!.spec.template.metadata.labels;
      for (const service of SERVICE_NAMES) {
        expect(selects(spec.podSelector.matchLabels, podLabels(service)), service).toBe(service !== 'orchestrator');
      }
      expect(spec.policyTypes).toEqual(['Ingress']);
      expect(spec.ingress).toHaveLength(1);
      const [rule] = spec.ingress!;
      // One peer, a pod selector alone: the orchestrator's pods of this namespace, nothing else.
      expect(rule.from).toHaveLength(1);
      expect(Object.keys(rule.from![0])).toEqual(['podSelector']);
      for (const service of SERVICE_NAMES) {
        expect(selects(rule.from![0].podSelector?.matchLabels, podLabels(service)), service).toBe(service === 'orchestrator');
      }
      for (const service of SERVICE_NAMES.filter((name) => name !== 'orchestrator')) {
        const [containerPort] = mainContainer(deployments(overlay).get(service)!).ports ?? [];
        expect(rule.ports?.map((p) => p.port), service).toContain(containerPort.name);
      }
    });

    it('gives the model stages their models read-only at PIPELINE_MODEL_DIR, filled by an initContainer', () => {
      for (const [service, deployment] of deployments(overlay)) {
        const pod = deployment.spec.template.spec;
        const container = mainContainer(deployment);
        const modelDir = env(container).PIPELINE_MODEL_DIR;
        if (!MODEL_STAGES.includes(service)) {
          expect(modelDir, service).toBeUndefined();
          continue;
        }
        const mount = container.volumeMounts?.find((m) => m.mountPath === modelDir);
        expect(mount?.readOnly, service).toBe(true);
        expect(env(container).PIPELINE_MODEL_DOWNLOAD, service).toBe('false');
        const filler = pod.initContainers?.find((c) => c.volumeMounts?.some((m) => m.name === mount?.name));
        expect(filler?.image, service).toBe('image-pipeline/models:latest');
        expect(pod.volumes?.find((v) => v.name === mount?.name)?.emptyDir, service).toBeDefined();
      }
    });
  });

  describe.each(all.filter((o) => o.topology === 'local').map((o) => [o.name, o] as const))('%s (one node)', (_name, overlay) => {
    it('runs one replica of each service and no autoscaler', () => {
      for (const [service, deployment] of deployments(overlay)) expect(deployment.spec.replicas, service).toBe(1);
      expect(objects(overlay).filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
    });
  });

  describe.each(all.filter((o) => o.topology === 'distributed').map((o) => [o.name, o] as const))('%s (a node per service)', (_name, overlay) => {
    it('autoscales the background remover on CPU with an autoscaling/v2 HPA', () => {
      const hpas = objects(overlay).filter((o) => o.kind === 'HorizontalPodAutoscaler');
      expect(hpas).toHaveLength(1);
      const spec = hpas[0].spec as {
        scaleTargetRef: { apiVersion: string; kind: string; name: string };
        minReplicas: number;
        maxReplicas: number;
        metrics: { resource?: { name: string } }[];
      };
      expect(hpas[0].apiVersion).toBe('autoscaling/v2');
      expect(spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'background-remover' });
      expect(spec.maxReplicas).toBeGreaterThan(spec.minReplicas);
      expect(spec.metrics.map((m) => m.resource?.name)).toContain('cpu');
      // The HPA owns the replica count: a fixed one would be reset by every apply.
      expect(deployments(overlay).get('background-remover')!.spec.replicas).toBeUndefined();
    });

    it('keeps each service off the nodes of the others (required pod anti-affinity per hostname)', () => {
      for (const [service, deployment] of deployments(overlay)) {
        const labels = deployment.spec.template.metadata.labels;
        const terms = deployment.spec.template.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
        expect(terms, service).toHaveLength(1);
        const [term] = terms;
        expect(term.topologyKey, service).toBe('kubernetes.io/hostname');
        expect(term.labelSelector?.matchExpressions, service).toEqual(
          expect.arrayContaining([
            { key: 'app.kubernetes.io/part-of', operator: 'In', values: [labels['app.kubernetes.io/part-of']] },
            { key: 'app.kubernetes.io/name', operator: 'NotIn', values: [service] },
          ]),
        );
        expect(labels['app.kubernetes.io/name'], service).toBe(service);
      }
    });
  });
});
