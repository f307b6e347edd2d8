import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CommandChecker, expandAlternatives } from './check-command';
import { extractCommands, shellWords } from './extract-commands';
import { helpOf, readWorkspaceFacts } from './workspace-facts';

const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
const facts = readWorkspaceFacts(repoRoot);
const checker = new CommandChecker(facts);

/** README.md and every README under docker/, libs/, tools/, results/ and samples/. */
function readmes(): string[] {
  const found = ['README.md'];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(repoRoot, dir), { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'README.md') found.push(path);
    }
  };
  for (const dir of ['docker', 'libs', 'tools', 'results', 'samples']) walk(dir);
  return found;
}

const commands = readmes().flatMap((file) => extractCommands(file, readFileSync(join(repoRoot, file), 'utf8')));

describe('every command the READMEs show', () => {
  it('is found: the READMEs show commands of every kind', () => {
    const programs = new Set(commands.map((command) => `${command.words[0]} ${command.words[1]}`));
    expect([...programs]).toEqual(expect.arrayContaining(['npm start', 'npm test', 'npx nx', 'docker compose', 'kubectl apply', 'curl -s']));
  });

  it.each(commands.map((command) => [`${command.file}:${command.line} ${command.text}`, command] as const))('%s', (_where, command) => {
    expect(checker.check(command), command.text).toEqual([]);
  });
});

describe('the command checker', () => {
  const problemsOf = (text: string) => checker.check({ file: 'test', line: 1, text, words: shellWords(text) });

  it('finds commands in shell blocks, untagged blocks and code spans, not in source code or prose', () => {
    const markdown = [
      'Run `npm start -- --protocol rest` or `results/`.',
      '```bash',
      'npm test   # everything',
      'PIPELINE_MODEL_DIR=/m npx nx run benchmark:run \\',
      '  --quick',
      '```',
      '```ts',
      "npm.run('x')",
      '```',
    ].join('\n');
    expect(extractCommands('R.md', markdown).map(({ line, words }) => [line, words.join(' ')])).toEqual([
      [1, 'npm start -- --protocol rest'],
      [3, 'npm test'],
      [4, 'npx nx run benchmark:run --quick'],
    ]);
    expect(shellWords(`npx nx run benchmark:run --args="--quick --out /tmp/b" -H 'Accept: image/png'`)).toEqual([
      'npx', 'nx', 'run', 'benchmark:run', '--args=--quick --out /tmp/b', '-H', 'Accept: image/png',
    ]);
  });

  it('rejects scripts, projects, targets and flags that do not exist', () => {
    expect(problemsOf('npm run no-such-script')).toEqual(['npm has no script "no-such-script" in package.json']);
    expect(problemsOf('npx nx run no-such-project:build')).toEqual(['no Nx project "no-such-project"']);
    expect(problemsOf('npx nx run stages:no-such-target')).toEqual(['Nx project "stages" has no target "no-such-target"']);
    expect(problemsOf('npx nx run-many -t no-such-target')).toEqual(['no Nx project has a target "no-such-target"']);
    expect(problemsOf('npx nx run-many -t build --no-such-flag')).toEqual(['nx run-many has no option --no-such-flag']);
    expect(problemsOf('npm start -- --no-such-flag')).toEqual(['tsx tools/topology/src/start-local.ts has no option --no-such-flag']);
    expect(problemsOf('npx nx run benchmark:run --args="--quick"')).toEqual(['benchmark:run has no option --args=--quick']);
  });

  it('rejects missing files, overlays and routes', () => {
    expect(problemsOf('docker compose -f docker/compose.nowhere.yml up')).toEqual(['docker compose -f docker/compose.nowhere.yml: no such file']);
    expect(problemsOf('kubectl apply -k docker/k8s/overlays/<local|nowhere>/grpc')).toEqual(['kubectl: docker/k8s/overlays/nowhere/grpc is not a kustomization']);
    expect(problemsOf('curl http://127.0.0.1:50051/v1/nowhere')).toEqual(['curl: no REST route /v1/nowhere']);
    expect(problemsOf('curl http://127.0.0.1:50030/v1/pipeline')).toEqual(['curl: 50030 is no REST service\'s default port']);
  });

  it('expands alternatives', () => {
    expect(expandAlternatives('o/<a|b>/<c|d>')).toEqual(['o/a/c', 'o/a/d', 'o/b/c', 'o/b/d']);
  });
});

/** The targets that run for minutes: each says how to use it, and how long it takes, at once. */
const LONG_RUNNING = ['benchmark:run', 'benchmark:pipeline', 'benchmark:replicas', 'benchmark:tls', 'reliability:run', 'topology:distributed', 'stages:bench'];

describe.each(LONG_RUNNING)('%s --help', (target) => {
  it('prints its usage with the time a full and a short run take, and runs nothing', () => {
    const [project, name] = target.split(':');
    const owner = facts.projects.get(project)!;
    const [runner, file] = owner.scripts[name].split(/\s+/);
    expect(runner).toBe('tsx');
    expect(existsSync(join(owner.root, file)), relative(repoRoot, join(owner.root, file))).toBe(true);
    const { usage, problem } = helpOf(join(repoRoot, 'node_modules/.bin/tsx'), [file], owner.root);
    expect(problem).toBeUndefined();
    expect(usage).toMatch(/usage/i);
    expect(usage).toMatch(/full run[\s\S]{0,100}?\d+\s*(s|min)\b/i);
    expect(usage).toMatch(/short run[\s\S]{0,100}?\d+\s*(s|min)\b/i);
  });
});
