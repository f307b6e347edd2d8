import { ConfigError } from './env-reader';

/**
 * Runs a config loader for a process entry point: a ConfigError prints its list of bad variables
 * and exits with status 2 instead of a stack trace.
 */
export function loadConfigOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
}
