import type { InlineConfig } from 'vitest/node';

/** Settings every project's vitest run shares: real models and servers make some tests slow. */
export const sharedTestConfig: InlineConfig = {
  include: ['src/**/*.spec.ts', 'tests/**/*.spec.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
  watch: false,
  reporters: ['default'],
};
