import { spawnSync } from 'node:child_process';

/** A program some tests need that `npm ci` cannot install, and how to get it. */
export interface ExternalTool {
  /** What the tool is, as a user would look for it: `docker-compose`, `Python grpc_tools`. */
  name: string;
  /** Why it is missing, or undefined when it can run here. */
  probe(): string | undefined;
  /** One line telling a user how to install it. */
  install: string;
}

/** Runs a command to completion; the reason it cannot run, or undefined when it exits 0. */
export function commandProblem(command: string, args: readonly string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  if (result.error) return (result.error as NodeJS.ErrnoException).code === 'ENOENT' ? `${command} is not installed` : result.error.message;
  if (result.status !== 0) return `\`${command} ${args.join(' ')}\` exited ${result.status}: ${result.stderr.trim().split('\n').at(-1) ?? ''}`;
  return undefined;
}

/** Debian's Python with grpcio and grpc_tools: the interop test generates stubs and calls every service. */
export const PYTHON_GRPC: ExternalTool = {
  name: 'Python grpcio and grpc_tools (/usr/bin/python3)',
  probe: () => commandProblem('/usr/bin/python3', ['-c', 'import grpc, grpc_tools']),
  install: 'apt-get install python3-grpcio python3-grpc-tools',
};

export const DOCKER_COMPOSE: ExternalTool = {
  name: 'docker-compose',
  probe: () => commandProblem('docker-compose', ['version']),
  install: 'apt-get install docker-compose',
};

/** A Docker engine that answers (not only the client): the container tests build images and run the compose files. */
export const DOCKER_ENGINE: ExternalTool = {
  name: 'a running Docker engine',
  probe: () => commandProblem('docker', ['info', '--format', '{{.ServerVersion}}']),
  install: 'start one: as root, apt-get install docker.io debootstrap, then dockerd & (see docker/README.md, "Building offline")',
};

/** Debian's Chromium, which playwright-core drives headless (a browser download is impossible here). */
export const CHROMIUM: ExternalTool = {
  name: 'Chromium (/usr/bin/chromium)',
  probe: () => commandProblem('/usr/bin/chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--version']),
  install: 'apt-get install chromium',
};

/** kubectl with its built-in kustomize (Debian's kubernetes-client is too old for kustomize components). */
export const KUBECTL: ExternalTool = {
  name: 'kubectl',
  probe: () => commandProblem('kubectl', ['version', '--client']),
  install: 'install kubectl ≥ 1.27 (it includes kustomize): https://kubernetes.io/docs/tasks/tools/',
};

/** Root and iproute2: the distributed topology puts each service in a network namespace of its own. */
export const NETWORK_NAMESPACES: ExternalTool = {
  name: 'network namespaces (root and iproute2)',
  probe: () => (process.getuid?.() !== 0 ? 'not root' : commandProblem('ip', ['netns', 'list'])),
  install: 'run the tests as root with iproute2 installed (apt-get install iproute2)',
};
