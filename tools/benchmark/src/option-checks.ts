/** The checks every benchmark's command-line options share; each error names the flag and what was given. */

/** Throws unless each named setting is a whole number of at least 1. */
export function requireCounts<Name extends string>(settings: Record<Name, number>, names: readonly Name[], given: Partial<Record<Name, unknown>>): void {
  for (const name of names) {
    if (!Number.isInteger(settings[name]) || settings[name] < 1) throw new Error(`--${name} must be a whole number of at least 1, got "${String(given[name])}"`);
  }
}

/** Throws unless `basePort` is a whole number from 1024 to 65000 (the services take the ports above it). */
export function requireBasePort(basePort: number, given: unknown): void {
  if (!Number.isInteger(basePort) || basePort < 1024 || basePort > 65_000) {
    throw new Error(`--base-port must be a whole number from 1024 to 65000, got "${String(given)}"`);
  }
}
