import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** An Nx project as its package.json declares it: npm scripts are targets, and so are `nx.targets`. */
export interface ProjectFacts {
  name: string;
  root: string;
  scripts: Record<string, string>;
  targets: Set<string>;
}

/** What the docs' commands are checked against: the root scripts and the Nx projects. */
export interface WorkspaceFacts {
  repoRoot: string;
  rootScripts: Record<string, string>;
  projects: Map<string, ProjectFacts>;
}

export function readWorkspaceFacts(repoRoot: string): WorkspaceFacts {
  const projects = new Map<string, ProjectFacts>();
  for (const group of ['apps', 'libs', 'tools']) {
    for (const folder of readdirSync(join(repoRoot, group))) {
      const manifest = join(repoRoot, group, folder, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
      const scripts: Record<string, string> = pkg.scripts ?? {};
      const name: string = pkg.nx?.name ?? pkg.name;
      const targets = new Set([...Object.keys(scripts), ...Object.keys(pkg.nx?.targets ?? {})]);
      projects.set(name, { name, root: join(repoRoot, group, folder), scripts, targets });
    }
  }
  const rootScripts = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts ?? {};
  return { repoRoot, rootScripts, projects };
}

/** `--some-flag` and `--someFlag` name the same option (yargs, and so Nx, accept both). */
export function normaliseFlag(flag: string): string {
  return flag.replace(/=.*$/, '').replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** The long options (`--name`) a usage text mentions, normalised. */
export function flagsIn(usage: string): Set<string> {
  return new Set([...usage.matchAll(/(?<![\w-])--[a-zA-Z][\w-]*/g)].map((match) => normaliseFlag(match[0])));
}

/** The usage text a command prints for `--help`, or why it printed none. */
export function helpOf(command: string, args: string[], cwd: string): { usage?: string; problem?: string } {
  const result = spawnSync(command, [...args, '--help'], { cwd, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NX_TUI: 'false', NX_DAEMON: 'false' } });
  if (result.error) return { problem: result.error.message };
  if (result.status !== 0) return { problem: `\`${[command, ...args].join(' ')} --help\` exited ${result.status}: ${result.stderr.trim().split('\n').at(-1)}` };
  return { usage: `${result.stdout}\n${result.stderr}` };
}
