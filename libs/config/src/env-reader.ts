import { readFileSync } from 'node:fs';
import { isStageAddress, stageEndpoints } from './stage-endpoints';

/** Environment variables as a plain record, e.g. `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface IntegerRange {
  min?: number;
  max?: number;
  odd?: boolean;
}

/** Thrown once per process with every bad variable listed, so one start-up shows all mistakes. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Reads typed values from an environment, collecting problems instead of throwing at the first,
 * then `finish()` throws one ConfigError naming every bad variable.
 */
export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  string(name: string, fallback: string): string {
    const raw = this.raw(name);
    return raw ?? fallback;
  }

  optionalString(name: string): string | undefined {
    return this.raw(name);
  }

  integer(name: string, fallback: number, range: IntegerRange = {}): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER, odd = false } = range;
    if (!/^-?\d+$/.test(raw) || value < min || value > max || (odd && value % 2 === 0)) {
      return this.problem(name, `${odd ? 'an odd' : 'an'} integer from ${min} to ${max}`, raw, fallback);
    }
    return value;
  }

  optionalInteger(name: string, range: IntegerRange = {}): number | undefined {
    return this.raw(name) === undefined ? undefined : this.integer(name, 0, range);
  }

  port(name: string, fallback: number): number {
    return this.integer(name, fallback, { min: 0, max: 65535 });
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.raw(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    return this.problem(name, 'true or false', raw, fallback);
  }

  /** The address of another service: `host:port`, or several separated by commas. */
  address(name: string, fallback: string): string {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    if (!isStageAddress(raw)) return this.problem(name, 'host:port or host:port,host:port,...', raw, fallback);
    return stageEndpoints(raw).join(',');
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      return this.problem(name, `one of ${allowed.join(', ')}`, raw, fallback);
    }
    return raw as T;
  }

  /**
   * The contents of the file a variable names, or undefined when it is unset; a file that cannot be
   * read, or is empty, is a problem naming the variable. Read once, at start-up.
   */
  optionalFile(name: string): Buffer | undefined {
    const path = this.raw(name);
    if (path === undefined) return undefined;
    try {
      const contents = readFileSync(path);
      return contents.length > 0 ? contents : this.problem(name, 'a non-empty file', path, undefined);
    } catch (error) {
      return this.problem(name, `a readable file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`, path, undefined);
    }
  }

  /** Records that `what` must be `expected` (a rule between variables); answers undefined. */
  require(what: string, expected: string): undefined {
    this.problems.push(`${what}: expected ${expected}`);
    return undefined;
  }

  /** Throws a ConfigError listing every problem seen so far. */
  finish(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }

  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  private problem<T>(name: string, expected: string, received: string, fallback: T): T {
    this.problems.push(`${name}: expected ${expected}, got "${received}"`);
    return fallback;
  }
}
