import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { canRunWith, commandProblem, SKIPPED_TESTS_FILE_VARIABLE, type ExternalTool } from './index';

const missing: ExternalTool = { name: 'frobnicator', probe: () => 'frobnicator is not installed', install: 'apt-get install frobnicator' };
const present: ExternalTool = { name: 'node', probe: () => commandProblem(process.execPath, ['--version']), install: 'install Node.js' };

describe('canRunWith', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tool-gate-'));
  afterEach(() => vi.restoreAllMocks());

  it('lets the tests run when the tool is there', () => {
    expect(canRunWith(present, 'node tests', { CI: 'true' })).toBe(true);
  });

  it('outside CI, skips with one line naming the tool and how to install it, and records it for npm test', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const file = join(dir, 'skipped.txt');
    expect(canRunWith(missing, 'the frobnication tests', { [SKIPPED_TESTS_FILE_VARIABLE]: file })).toBe(false);
    const line = 'skipped: the frobnication tests: needs frobnicator (frobnicator is not installed); to run it: apt-get install frobnicator';
    expect(warn).toHaveBeenCalledWith(line);
    expect(readFileSync(file, 'utf8')).toBe(`${line}\n`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('in CI, a missing tool is an error, not a skip', () => {
    expect(() => canRunWith(missing, 'the frobnication tests', { CI: 'true' })).toThrow(/^CI=true: skipped: the frobnication tests: needs frobnicator/);
  });
});

describe('commandProblem', () => {
  it('says a command is not installed, or how it failed', () => {
    expect(commandProblem('no-such-command-here', [])).toBe('no-such-command-here is not installed');
    expect(commandProblem(process.execPath, ['-e', 'console.error("broken"); process.exit(3)'])).toMatch(/exited 3: broken$/);
    expect(commandProblem(process.execPath, ['--version'])).toBeUndefined();
  });
});
