import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

// The spec starts real service processes on fixed ports and runs a quick benchmark: one file at a time.
export default defineConfig({ test: { ...sharedTestConfig, fileParallelism: false, testTimeout: 240_000, hookTimeout: 240_000 } });
