import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service, type IContainer, type IPodSpec } from 'kubernetes-models/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as rendered: apiVersion, kind, metadata, and whatever its kind holds. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface TypedModel {
  validate(): void;
}

/** The kinds our manifests may use, each with its typed model from kubernetes-models. */
const MODELS: Record<string, new (data: never) => TypedModel> = {
  'v1/Namespace': Namespace,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

/** Parses a multi-document YAML stream (`kubectl kustomize` output) into objects. */
export function parseManifests(text: string): KubernetesObject[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(document.errors.map((error) => error.message).join('\n'));
      return document.toJS() as KubernetesObject | null;
    })
    .filter((object): object is KubernetesObject => object !== null);
}

/**
 * Validates an object against the Kubernetes OpenAPI schema of its kind by constructing its typed
 * model; returns the problem, or undefined when valid. Note: the schemas reject wrong types and
 * missing required fields, not unknown field names, so the specs also assert the fields that matter.
 */
export function validationProblem(object: KubernetesObject): string | undefined {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) return `no model for ${object.apiVersion} ${object.kind}: add it to MODELS if it is meant to be there`;
  try {
    new Model(unwrappedSecretData(object) as never).validate();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * kustomize wraps a long Secret value over lines; the API server's base64 decoder skips line breaks,
 * the schema's `byte` format does not, so they are joined before validating.
 */
function unwrappedSecretData(object: KubernetesObject): KubernetesObject {
  if (object.kind !== 'Secret' || !object.data) return object;
  const data = Object.entries(object.data as Record<string, string>).map(([key, value]) => [key, value.replace(/\n/g, '')]);
  return { ...object, data: Object.fromEntries(data) };
}

/** `Kind/name` for messages. */
export function describeObject(object: KubernetesObject): string {
  return `${object.kind}/${object.metadata?.name}`;
}

/** A Deployment as rendered: the fields the checks read. */
export interface DeploymentObject extends KubernetesObject {
  spec: { replicas?: number; template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: IPodSpec } };
}

/** The Deployments among `objects`, by name. */
export function deploymentsOf(objects: readonly KubernetesObject[]): Map<string, DeploymentObject> {
  const list = objects.filter((o) => o.kind === 'Deployment') as DeploymentObject[];
  return new Map(list.map((d) => [d.metadata.name, d]));
}

/** The Deployment's service container: the one named like it. */
export function mainContainer(deployment: DeploymentObject): IContainer {
  const container = deployment.spec.template.spec.containers.find((c) => c.name === deployment.metadata.name);
  if (!container) throw new Error(`${describeObject(deployment)} has no container named like it`);
  return container;
}

/** A container's plain `env` entries, by name. */
export function envOf(container: IContainer): Record<string, string | undefined> {
  return Object.fromEntries((container.env ?? []).map((variable) => [variable.name, variable.value]));
}
