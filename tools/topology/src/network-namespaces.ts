import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SERVICE_NAMES, type ServiceName } from '@imagepipeline/config';
import type { ServiceHosts } from './service-plan';

const run = promisify(execFile);

/** Link shaping for every service's link. No netem on this kernel: rate only, through `tbf`. */
export interface LinkShape {
  /** e.g. `100mbit`; `tc` rate syntax. */
  rate: string;
}

/** The test hosts of a distributed run: one network namespace and IP per service, on one bridge. */
export interface TestNetwork {
  hosts: ServiceHosts;
  /** Every background-remover replica's host, `hosts['background-remover']` first. */
  backgroundRemovers: string[];
  /** The namespace each host (IP) lives in: a service's, or an extra replica's. */
  namespaceOf: Record<string, string>;
  /** This (root) namespace's address on the bridge: every test host reaches it. */
  gateway: string;
  namespaces: Record<ServiceName, string>;
  /** Removes every namespace, link and the bridge; safe to call twice. */
  teardown(): Promise<void>;
}

const PREFIX = 'ipl';
const BRIDGE = `${PREFIX}-br0`;
const SUBNET = '10.213.0';
const GATEWAY = `${SUBNET}.1`;

/**
 * Lets the hosts reach each other across the bridge. A running Docker engine sets iptables' FORWARD
 * policy to DROP, and the kernel passes bridged traffic through iptables: without this rule the
 * orchestrator's calls to the stages would be dropped. (No iptables: nothing filters; no rule needed.)
 */
const BRIDGE_FORWARD_RULE = ['-i', BRIDGE, '-o', BRIDGE, '-j', 'ACCEPT'];

async function ip(...args: string[]): Promise<void> {
  await run('ip', args);
}

/** True when this process may create namespaces (root, iproute2 with netns support). */
export async function canCreateNamespaces(): Promise<{ ok: boolean; reason?: string }> {
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not root: network namespaces need root' };
  try {
    await run('ip', ['netns', 'list']);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `ip netns is unavailable: ${(error as Error).message}` };
  }
}

export interface TestNetworkOptions {
  /** Background-remover hosts (default 1): the second and later get namespaces of their own. */
  backgroundReplicas?: number;
}

/** Names of the hosts to build: the services, then `background-remover-2`, `-3`, … */
function hostNames(backgroundReplicas: number): string[] {
  const extra = Array.from({ length: Math.max(0, backgroundReplicas - 1) }, (_, i) => `background-remover-${i + 2}`);
  return [...SERVICE_NAMES, ...extra];
}

/**
 * Builds the test hosts: a bridge with the gateway address in this (root) namespace, and for each
 * service (and extra background-remover replica) a namespace joined to it by a veth pair, with its
 * own IP. The client runs outside, in the root namespace, and reaches every host over the bridge.
 */
export async function createTestNetwork(shape?: LinkShape, options: TestNetworkOptions = {}): Promise<TestNetwork> {
  await removeLeftovers();
  const hosts = {} as ServiceHosts;
  const namespaces = {} as Record<ServiceName, string>;
  const backgroundRemovers: string[] = [];
  const namespaceOf: Record<string, string> = {};
  const network: TestNetwork = { hosts, backgroundRemovers, namespaceOf, gateway: GATEWAY, namespaces, teardown: removeLeftovers };
  try {
    await ip('link', 'add', BRIDGE, 'type', 'bridge');
    await ip('addr', 'add', `${GATEWAY}/24`, 'dev', BRIDGE);
    await ip('link', 'set', BRIDGE, 'up');
    await run('iptables', ['-I', 'FORWARD', ...BRIDGE_FORWARD_RULE]).catch(() => undefined);
    for (const [index, name] of hostNames(options.backgroundReplicas ?? 1).entries()) {
      const namespace = `${PREFIX}-${name}`;
      const address = `${SUBNET}.${10 + index}`;
      const outside = `${PREFIX}-v${index}`;
      const inside = `${PREFIX}-p${index}`;
      await ip('netns', 'add', namespace);
      await ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside);
      await ip('link', 'set', outside, 'master', BRIDGE);
      await ip('link', 'set', outside, 'up');
      await ip('link', 'set', inside, 'netns', namespace);
      await ip('-n', namespace, 'addr', 'add', `${address}/24`, 'dev', inside);
      await ip('-n', namespace, 'link', 'set', inside, 'up');
      await ip('-n', namespace, 'link', 'set', 'lo', 'up');
      await ip('-n', namespace, 'route', 'add', 'default', 'via', GATEWAY);
      if (shape) {
        // Shape both directions: the bridge side sends into the host, the host side sends out.
        await shapeLink([], outside, shape);
        await shapeLink(['-n', namespace], inside, shape);
      }
      namespaceOf[address] = namespace;
      if (name.startsWith('background-remover')) backgroundRemovers.push(address);
      if ((SERVICE_NAMES as readonly string[]).includes(name)) {
        hosts[name as ServiceName] = address;
        namespaces[name as ServiceName] = namespace;
      }
    }
  } catch (error) {
    await removeLeftovers();
    throw error;
  }
  return network;
}

async function shapeLink(namespaceArgs: string[], device: string, shape: LinkShape): Promise<void> {
  await run('tc', [...namespaceArgs, 'qdisc', 'add', 'dev', device, 'root', 'tbf', 'rate', shape.rate, 'burst', '64kb', 'latency', '50ms']);
}

/**
 * Deletes what an earlier (possibly crashed) run left. The veth pairs go first, by their ends in
 * this namespace: that takes both ends at once, whereas a deleted namespace releases its end only
 * when the kernel gets round to it, which on a busy machine is after the next run wants the name.
 */
async function removeLeftovers(): Promise<void> {
  const links = await run('ip', ['-o', 'link', 'show']).catch(() => ({ stdout: '' }));
  for (const [, name] of links.stdout.matchAll(new RegExp(`^\\d+: (${PREFIX}-v\\d+)@`, 'gm'))) {
    await ip('link', 'delete', name).catch(() => undefined);
  }
  const { stdout } = await run('ip', ['netns', 'list']).catch(() => ({ stdout: '' }));
  for (const line of stdout.split('\n')) {
    const name = line.split(' ')[0];
    if (name.startsWith(`${PREFIX}-`)) await ip('netns', 'delete', name).catch(() => undefined);
  }
  await ip('link', 'delete', BRIDGE).catch(() => undefined);
  while (await run('iptables', ['-D', 'FORWARD', ...BRIDGE_FORWARD_RULE]).then(() => true, () => false));
}
