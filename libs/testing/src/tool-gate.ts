import { appendFileSync } from 'node:fs';
import type { ExternalTool } from './external-tools';

/**
 * The file `npm test` collects skipped groups in (set by tools/workspace's test runner), so it can
 * list them all at the end; a test run started another way only prints the line.
 */
export const SKIPPED_TESTS_FILE_VARIABLE = 'PIPELINE_SKIPPED_TESTS_FILE';

/** A group of tests skipped for want of a tool, as one line. */
export function skipLine(group: string, tool: ExternalTool, problem: string): string {
  return `skipped: ${group}: needs ${tool.name} (${problem}); to run it: ${tool.install}`;
}

/**
 * Whether the tests of `group`, which need `tool`, can run here. When the tool is missing they are
 * skipped with one line saying so, except in CI (`CI=true`), where the missing tool is an error:
 * CI installs every tool, so a skip there would hide a broken set-up.
 */
export function canRunWith(tool: ExternalTool, group: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const problem = tool.probe();
  if (problem === undefined) return true;
  const line = skipLine(group, tool, problem);
  if (env.CI === 'true') throw new Error(`CI=true: ${line}`);
  console.warn(line);
  const file = env[SKIPPED_TESTS_FILE_VARIABLE];
  if (file) appendFileSync(file, `${line}\n`);
  return false;
}
