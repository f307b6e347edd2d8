import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

// Each file starts real service processes on fixed ports: run files one after another.
export default defineConfig({ test: { ...sharedTestConfig, fileParallelism: false, testTimeout: 180_000, hookTimeout: 180_000 } });
