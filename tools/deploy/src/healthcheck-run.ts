import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { DOCKER_DIR } from './deploy-files';

/** docker/healthcheck.mjs, the image's health check. */
export const HEALTHCHECK_SCRIPT = join(DOCKER_DIR, 'healthcheck.mjs');

/** Variables of the test's own environment that would change what the check does. */
const CONTAINER_VARIABLES = /^(APP|PORT|REST_STAGE_HTTP2|TLS_.+|HEALTHCHECK_.+)$/;

/** Runs docker/healthcheck.mjs as the container would; asynchronously, so the test's servers can answer. */
export function healthcheck(args: string[], env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !CONTAINER_VARIABLES.test(name)));
  return new Promise((resolve) => {
    execFile(process.execPath, [HEALTHCHECK_SCRIPT, ...args], { env: { ...base, ...env }, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}
