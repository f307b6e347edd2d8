import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const SCRIPT = `
import { parseCommandLine } from ${JSON.stringify(fileURLToPath(new URL('./command-line.ts', import.meta.url)))};
const values = parseCommandLine('usage: demo [--quick]', { quick: { type: 'boolean', default: false } });
console.log(JSON.stringify(values));
`;

const dir = mkdtempSync(join(tmpdir(), 'command-line-'));
const demo = join(dir, 'demo.ts');
writeFileSync(demo, SCRIPT);

function runDemo(...args: string[]) {
  return spawnSync(TSX, [demo, ...args], { encoding: 'utf8', timeout: 30_000 });
}

describe('parseCommandLine', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('returns the options', () => {
    const result = runDemo('--quick');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ quick: true });
  });

  it('prints the usage and exits 0 on --help, before the script runs', () => {
    const result = runDemo('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('usage: demo [--quick]\n');
  });

  it('names an unknown option, prints the usage and exits 2', () => {
    const result = runDemo('--args=--quick');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Unknown option '--args'[\s\S]*usage: demo \[--quick\]/);
    expect(result.stdout).toBe('');
  });
});
