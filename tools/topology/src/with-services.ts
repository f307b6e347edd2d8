import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClientSecurity, Protocol } from '@imagepipeline/config';
import { waitUntilReady } from './readiness';
import { startService, type RunningService } from './service-process';
import type { ServicePlan } from './service-plan';

export interface ServicesRun {
  protocol: Protocol;
  services: ServicePlan[];
  /** Repository root: built apps are in `dist/apps/<app>/main.mjs` below it. */
  root: string;
  logDir: string;
  /** How to launch a planned service; by default `node <bundle>` on this host. */
  launch?: (plan: ServicePlan, bundle: string) => { command: string; args: string[] };
  readinessTimeoutMs?: number;
  /** How the readiness probes reach services that require TLS (mutual TLS included). */
  security?: ClientSecurity;
  log?: (line: string) => void;
  /** Each service in a process group of its own (see `StartOptions.detached`). */
  detached?: boolean;
  /** Stops starting: the services started so far are stopped and the start rejects with the abort reason. */
  signal?: AbortSignal;
}

/** Services started by `startServices`; `stop()` ends them all, in reverse order. */
export interface StartedServices {
  services: RunningService[];
  stop(): Promise<void>;
}

/**
 * Starts every planned service in order and waits until each is ready (probing health, not
 * sleeping). If one fails to start, the ones already started are stopped before the error is thrown.
 */
export async function startServices(run: ServicesRun): Promise<StartedServices> {
  const log = run.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const launch = run.launch ?? ((_plan, bundle) => ({ command: process.execPath, args: [bundle] }));
  const started: RunningService[] = [];
  const stop = async () => {
    for (const service of started.splice(0).reverse()) {
      const code = await service.stop();
      if (code !== 0) log(`warning: ${service.name} exited with ${code}; see ${service.logFile}`);
    }
  };
  const aborted = run.signal && abortion(run.signal);
  aborted?.catch(() => undefined);
  try {
    for (const plan of run.services) {
      run.signal?.throwIfAborted();
      const bundle = join(run.root, 'dist/apps', plan.app, 'main.mjs');
      const { command, args } = launch(plan, bundle);
      const service = await startService({ name: plan.name, command, args, env: plan.env, logDir: run.logDir, cwd: run.root, detached: run.detached });
      started.push(service);
      const address = `${plan.host}:${plan.port}`;
      await Promise.race([
        waitUntilReady(run.protocol, address, run.readinessTimeoutMs ?? 120_000, plan.name, run.security),
        service.exited.then(async (code) => {
          throw new Error(`${plan.name} exited with ${code} before it was ready:\n${await tail(service.logFile)}`);
        }),
        ...(aborted ? [aborted] : []),
      ]);
      log(`${plan.name} ready at ${address}`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { services: [...started], stop };
}

/** Starts the services, runs `body` with them, and stops them whatever happens (Ctrl-C included). */
export async function withServices<T>(run: ServicesRun, body: (started: StartedServices) => Promise<T>): Promise<T> {
  const started = await startServices(run);
  const onSignal = () => void started.stop().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await body(started);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await started.stop();
  }
}

/** Rejects with the signal's reason once it aborts. */
export function abortion(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

async function tail(file: string, lines = 20): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
