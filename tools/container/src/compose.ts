import { spawnSync } from 'node:child_process';
import { dockerOutput, REPO_ROOT } from './docker';

let found: string[] | undefined;

/** `docker compose` (v2) where the plugin is installed, else Debian's `docker-compose` (1.29); asked once per process. */
export function composeCommand(): string[] {
  found ??= spawnSync('docker', ['compose', 'version'], { encoding: 'utf8', timeout: 15_000 }).status === 0 ? ['docker', 'compose'] : ['docker-compose'];
  return found;
}

/** One compose project: files, project name and the variables the files read. */
export class ComposeProject {
  private readonly command = composeCommand();

  constructor(
    readonly name: string,
    private readonly files: string[],
    private readonly env: Record<string, string>,
    private readonly envFile?: string,
  ) {}

  /** Starts these services (and what they depend on) in the background. */
  up(services: string[]): void {
    this.compose(['up', '--detach', '--no-build', ...services]);
  }

  /** Runs a one-off service (the client job) to its end; its exit status. */
  run(service: string): number {
    return this.compose(['run', '--rm', service], false);
  }

  /** Stops and removes the project's containers and its own network; never throws. */
  down(): void {
    this.compose(['down', '--remove-orphans', '--timeout', '20'], false);
  }

  /** The project's containers by service name. */
  containers(): Map<string, string> {
    const ids = dockerOutput(['ps', '--all', '--quiet', '--filter', `label=com.docker.compose.project=${this.name}`])?.split('\n').filter(Boolean) ?? [];
    const byService = new Map<string, string>();
    for (const id of ids) {
      const service = dockerOutput(['inspect', '--format', '{{index .Config.Labels "com.docker.compose.service"}}', id]);
      if (service && !byService.has(service)) byService.set(service, id);
    }
    return byService;
  }

  /** The last lines each container logged: what a failed start needs to be understood. */
  logs(lines = 40): void {
    this.compose(['logs', '--no-color', '--tail', String(lines)], false);
  }

  private compose(args: string[], check = true): number {
    const envFile = this.envFile ? ['--env-file', this.envFile] : [];
    const fileArgs = this.files.flatMap((file) => ['-f', file]);
    const full = [...this.command.slice(1), ...envFile, '-p', this.name, ...fileArgs, ...args];
    const result = spawnSync(this.command[0], full, { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, ...this.env } });
    const status = result.status ?? 1;
    if (check && status !== 0) throw new Error(`${this.command.join(' ')} ${full.slice(this.command.length - 1).join(' ')} exited ${status}`);
    return status;
  }
}

/** A container's health as Docker reports it: starting, healthy, unhealthy, or its state when it has no check. */
export function healthOf(container: string): string {
  return dockerOutput(['inspect', '--format', '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}', container]) ?? 'gone';
}

/**
 * Waits until every listed service's container is healthy; the milliseconds each took from `since`.
 * Throws, naming the services, when one turns unhealthy or stops, or when the time is up.
 */
export async function waitHealthy(project: ComposeProject, services: string[], since: number, timeoutMs: number): Promise<Map<string, number>> {
  const healthyAfter = new Map<string, number>();
  while (healthyAfter.size < services.length) {
    const containers = project.containers();
    for (const service of services.filter((name) => !healthyAfter.has(name))) {
      const id = containers.get(service);
      const health = id ? healthOf(id) : 'not created';
      if (health === 'healthy') healthyAfter.set(service, Date.now() - since);
      else if (health === 'unhealthy' || health === 'exited' || health === 'dead') throw new Error(`${project.name}: ${service} is ${health}`);
    }
    if (healthyAfter.size === services.length) break;
    if (Date.now() - since > timeoutMs) {
      const waiting = services.filter((name) => !healthyAfter.has(name));
      throw new Error(`${project.name}: not healthy within ${timeoutMs / 1000} s: ${waiting.join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return healthyAfter;
}
