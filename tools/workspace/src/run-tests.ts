// `npm test`: lint, type-check and test every project (or those named by --projects) through Nx,
// then list every group of tests that was skipped for want of a tool outside npm.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SKIPPED_TESTS_FILE_VARIABLE } from '@imagepipeline/testing';

const skipDir = mkdtempSync(join(tmpdir(), 'pipeline-test-skips-'));
const skipFile = join(skipDir, 'skipped.txt');
const nxArgs = ['nx', 'run-many', '-t', 'lint', 'typecheck', 'test', '--outputStyle=stream', ...process.argv.slice(2)];

const nx = spawn('npx', nxArgs, { stdio: 'inherit', env: { ...process.env, [SKIPPED_TESTS_FILE_VARIABLE]: skipFile } });
const code = await new Promise<number>((resolve) => nx.once('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0))));

const skipped = [...new Set(readLines(skipFile))];
rmSync(skipDir, { recursive: true, force: true });
if (skipped.length > 0) {
  process.stdout.write(`\nnpm test: ${skipped.length} group(s) of tests skipped because a tool is missing (CI=true makes this an error):\n`);
  for (const line of skipped) process.stdout.write(`  - ${line.replace(/^skipped: /, '')}\n`);
}
process.exit(code);

function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}
