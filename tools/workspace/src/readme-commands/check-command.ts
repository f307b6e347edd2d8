import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PORTS } from '@imagepipeline/config';
import { REST_ROUTES } from '@imagepipeline/contracts';
import type { DocCommand } from './extract-commands';
import { flagsIn, helpOf, normaliseFlag, type WorkspaceFacts } from './workspace-facts';

/**
 * Checks one documented command against the workspace without running it: scripts, Nx projects and
 * targets, files and folders exist, and every flag shown is one the command accepts (from its
 * `--help`, which every long-running script answers at once). Returns what is wrong, if anything.
 */
export class CommandChecker {
  private readonly helpCache = new Map<string, { flags?: Set<string>; problem?: string }>();

  constructor(private readonly facts: WorkspaceFacts) {}

  check(command: DocCommand): string[] {
    const elided = command.words.some(isEllipsis);
    const [program, ...args] = command.words.filter((word) => !isEllipsis(word));
    switch (program) {
      case 'npm':
        return this.npm(args);
      case 'npx':
        return args[0] === 'nx' ? this.nx(args.slice(1)) : this.script(args[0] === 'tsx' ? 'tsx' : args[0], args.slice(1));
      case 'node':
        return this.script('node', args);
      case 'docker':
        return this.docker(args, elided);
      case 'kubectl':
        return this.kubectl(args);
      case 'curl':
        return this.curl(args);
      default:
        return [];
    }
  }

  private npm([verb, ...rest]: string[]): string[] {
    if (verb === 'ci' || verb === 'install') return [];
    const [name, passed] = verb === 'run' ? [rest[0], rest.slice(1)] : [verb, rest];
    const script = this.facts.rootScripts[name];
    if (script === undefined) return [`npm has no script "${name}" in package.json`];
    const args = passed[0] === '--' ? passed.slice(1) : passed;
    // What the script finally runs decides what its arguments may be.
    const last = script.split('&&').at(-1)!.trim().split(/\s+/);
    if (last[0] === 'nx') return this.nx([...last.slice(1), ...args]);
    return this.script(last[0], [...last.slice(1), ...args]);
  }

  private nx(args: string[]): string[] {
    const [verb, ...rest] = args;
    if (verb === 'run-many' || verb === 'affected') return this.nxMany(verb, rest);
    // `nx run project:target …` or `nx target project …`
    const [project, target] = verb === 'run' ? (rest[0] ?? '').split(':') : [rest[0], verb];
    const flagArgs = rest.slice(1);
    if (isPlaceholder(project)) return [];
    const facts = this.facts.projects.get(project);
    if (!facts) return [`no Nx project "${project}"`];
    if (!facts.targets.has(target)) return [`Nx project "${project}" has no target "${target}"`];
    const flags = flagArgs.filter(isFlag);
    if (flags.length === 0) return [];
    const nxFlags = this.helpFlags('nx run-many', 'npx', ['nx', 'run-many'], this.facts.repoRoot);
    const own = flags.filter((flag) => !nxFlags.flags?.has(normaliseFlag(flag)));
    if (own.length === 0) return [];
    const script = facts.scripts[target]?.split(/\s+/) ?? [];
    if (script[0] !== 'tsx' && script[0] !== 'node') return own.map((flag) => `${project}:${target} takes no option ${flag}`);
    return this.unknownFlags(`${project}:${target}`, script[0], script.slice(1, 2), facts.root, own);
  }

  private nxMany(verb: string, args: string[]): string[] {
    const problems: string[] = [];
    let list: 'targets' | 'projects' | undefined;
    for (const arg of args) {
      if (arg === '-t' || arg === '--targets' || arg === '--target') list = 'targets';
      else if (arg === '-p' || arg === '--projects') list = 'projects';
      else if (isFlag(arg)) {
        list = undefined;
        const [flag, value] = arg.split('=');
        if (flag === '--projects' || flag === '-p') problems.push(...this.projectNames(value));
        else if (flag === '--targets' || flag === '-t') problems.push(...this.targetNames(value));
        else if (!this.helpFlags(`nx ${verb}`, 'npx', ['nx', verb], this.facts.repoRoot).flags?.has(normaliseFlag(flag))) problems.push(`nx ${verb} has no option ${flag}`);
      } else if (list === 'targets') problems.push(...this.targetNames(arg));
      else if (list === 'projects') problems.push(...this.projectNames(arg));
    }
    return problems;
  }

  private targetNames(list: string): string[] {
    const all = [...this.facts.projects.values()];
    return list.split(',').filter((target) => !all.some((project) => project.targets.has(target))).map((target) => `no Nx project has a target "${target}"`);
  }

  private projectNames(list: string): string[] {
    return list.split(',').filter((name) => !isPlaceholder(name) && !this.facts.projects.has(name)).map((name) => `no Nx project "${name}"`);
  }

  /** `tsx file …` or `node file …`: the file exists and takes the flags shown. */
  private script(runner: string, [file, ...args]: string[]): string[] {
    if (!file) return [];
    if (!this.pathExists(file)) return [`${runner} ${file}: no such file (run from the repository root)`];
    const flags = args.filter(isFlag);
    return flags.length === 0 || isPlaceholder(file) ? [] : this.unknownFlags(`${runner} ${file}`, runner, [file], this.facts.repoRoot, flags);
  }

  private unknownFlags(label: string, runner: string, args: string[], cwd: string, flags: string[]): string[] {
    const command = runner === 'tsx' ? join(this.facts.repoRoot, 'node_modules/.bin/tsx') : process.execPath;
    const help = this.helpFlags(label, command, args, cwd);
    if (help.problem) return [`${label} does not answer --help: ${help.problem}`];
    return flags.filter((flag) => !help.flags!.has(normaliseFlag(flag))).map((flag) => `${label} has no option ${flag}`);
  }

  private helpFlags(label: string, command: string, args: string[], cwd: string): { flags?: Set<string>; problem?: string } {
    let help = this.helpCache.get(label);
    if (!help) {
      const { usage, problem } = helpOf(command, args, cwd);
      help = usage === undefined ? { problem } : { flags: flagsIn(usage) };
      this.helpCache.set(label, help);
    }
    return help;
  }

  /** `elided`: the doc left words out (`…`), so a missing option is not a problem. */
  private docker([verb, ...args]: string[], elided: boolean): string[] {
    const problems: string[] = [];
    const valueOf = (flag: string) => args[args.indexOf(flag) + 1];
    if (verb === 'build') {
      const dockerfile = args.includes('-f') ? valueOf('-f') : undefined;
      if (!(elided && dockerfile === undefined) && !this.pathExists(dockerfile)) problems.push(`docker build -f ${dockerfile}: no such file`);
      const app = args.find((arg) => arg.startsWith('APP='))?.slice(4);
      if (app && !isPlaceholder(app) && !this.pathExists(`apps/${app}`)) problems.push(`no app "${app}" in apps/`);
      const stage = args.includes('--target') ? valueOf('--target') : undefined;
      if (stage && dockerfile && !new RegExp(`^FROM .* AS ${stage}$`, 'm').test(readFileSync(join(this.facts.repoRoot, dockerfile), 'utf8'))) problems.push(`${dockerfile} has no stage "${stage}"`);
    } else if (verb === 'compose') {
      for (const flag of ['-f', '--env-file']) {
        const file = args.includes(flag) ? valueOf(flag) : undefined;
        if (file && !this.pathExists(file) && !this.pathExists(`docker/distributed/*/${file}`)) problems.push(`docker compose ${flag} ${file}: no such file`);
      }
    } else if (verb === 'run') {
      const image = args.find((arg) => arg.startsWith('image-pipeline/'));
      if (image && !this.pathExists(`apps/${image.slice('image-pipeline/'.length)}`)) problems.push(`no app for image ${image}`);
    }
    return problems;
  }

  private kubectl(args: string[]): string[] {
    const dirArg = args.includes('-k') ? args[args.indexOf('-k') + 1] : args[0] === 'kustomize' ? args[1] : undefined;
    if (!dirArg) return [];
    return expandAlternatives(dirArg)
      .filter((dir) => !this.pathExists(`${dir}/kustomization.yaml`))
      .map((dir) => `kubectl: ${dir} is not a kustomization`);
  }

  private curl(args: string[]): string[] {
    const problems: string[] = [];
    for (const arg of args) {
      if (arg.startsWith('@') && !this.pathExists(arg.slice(1))) problems.push(`curl: no file ${arg.slice(1)}`);
      const url = /^http:\/\/(?:127\.0\.0\.1|localhost):(\d+)(\/\S*)$/.exec(arg);
      if (!url) continue;
      const port = Number(url[1]);
      if (!Object.values(DEFAULT_PORTS.rest).includes(port)) problems.push(`curl: ${port} is no REST service's default port`);
      const routes = Object.values(REST_ROUTES).map((route) => new RegExp(`^${route.replace(/:\w+/g, '[^/]+')}$`));
      if (!routes.some((route) => route.test(url[2]))) problems.push(`curl: no REST route ${url[2]}`);
    }
    return problems;
  }

  /** A path relative to the repository root exists; `<placeholder>` and `*` stand for any name. */
  private pathExists(path: string | undefined): boolean {
    if (!path) return false;
    const segments = path.replace(/^\.\//, '').split('/').filter(Boolean);
    const walk = (dir: string, index: number): boolean => {
      if (index === segments.length) return existsSync(dir);
      const segment = segments[index];
      if (!isPlaceholder(segment) && !segment.includes('*')) return walk(join(dir, segment), index + 1);
      if (!existsSync(dir)) return false;
      const pattern = new RegExp(`^${segment.replace(/<[^>]+>|\$\w+|\*/g, '.+').replace(/\./g, '\\.').replace(/\\\.\+/g, '.+')}$`);
      return readdirSync(dir).some((name) => pattern.test(name) && walk(join(dir, name), index + 1));
    };
    return walk(this.facts.repoRoot, 0);
  }
}

function isEllipsis(word: string): boolean {
  return word === '…' || word === '...';
}

function isFlag(arg: string): boolean {
  return /^--?[a-zA-Z]/.test(arg);
}

/** `<protocol>` or `$APP`: a name the reader fills in. */
function isPlaceholder(text: string): boolean {
  return /<[^>]+>|\$\w+/.test(text);
}

/** `overlays/<local|distributed>/<grpc|rest>` → every combination; other placeholders stay. */
export function expandAlternatives(text: string): string[] {
  const match = /<([^<>|]+(?:\|[^<>|]+)+)>/.exec(text);
  if (!match) return [text];
  return match[1].split('|').flatMap((choice) => expandAlternatives(text.replace(match[0], choice)));
}
