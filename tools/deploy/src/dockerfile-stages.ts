import { posix } from 'node:path';

/** One instruction of a Dockerfile, continuation lines joined. */
export interface Instruction {
  keyword: string;
  /** Everything after the keyword, flags included. */
  args: string;
  line: number;
}

/** A build stage: its FROM and the instructions after it. */
export interface Stage {
  /** The `AS` name, if any. */
  name?: string;
  /** The base as written: an image or an earlier stage, maybe with ${ARG}s. */
  base: string;
  instructions: Instruction[];
}

export interface ParsedDockerfile {
  /** ARGs declared before the first FROM, with their defaults: they may appear in FROM lines. */
  globalArgs: Record<string, string>;
  stages: Stage[];
}

/** Splits a Dockerfile into instructions (comments and parser directives dropped). */
export function instructions(text: string): Instruction[] {
  const result: Instruction[] = [];
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (pending === '' && (line.trim() === '' || line.trimStart().startsWith('#'))) return;
    if (pending !== '' && line.trimStart().startsWith('#')) return; // comment inside a continuation
    if (pending === '') start = index + 1;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      return;
    }
    const whole = (pending + line).trim();
    pending = '';
    const keyword = whole.split(/\s+/, 1)[0];
    result.push({ keyword: keyword.toUpperCase(), args: whole.slice(keyword.length).trim(), line: start });
  });
  return result;
}

/** Parses a Dockerfile into its global ARGs and stages. */
export function parseDockerfile(text: string): ParsedDockerfile {
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const instruction of instructions(text)) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
      const asIndex = words.findIndex((word) => word.toUpperCase() === 'AS');
      stages.push({ base: words[0], name: asIndex > 0 ? words[asIndex + 1] : undefined, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword === 'ARG') {
        const [name, value = ''] = instruction.args.split('=', 2);
        globalArgs[name.trim()] = value.trim();
      }
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/** `${NAME}` and `$NAME` replaced by the global ARG defaults (or the given overrides). */
export function expandArgs(value: string, args: Record<string, string>): string {
  return value.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    return name in args ? args[name] : whole;
  });
}

/**
 * The stages an image is made of, base first, for the last stage (the default target): follows
 * `FROM <stage>` through earlier stages, with the global ARGs' defaults or `buildArgs`.
 */
export function finalStageChain(dockerfile: ParsedDockerfile, buildArgs: Record<string, string> = {}): Stage[] {
  const args = { ...dockerfile.globalArgs, ...buildArgs };
  const chain: Stage[] = [];
  let stage: Stage | undefined = dockerfile.stages.at(-1);
  while (stage) {
    chain.unshift(stage);
    const base = expandArgs(stage.base, args);
    const index: number = dockerfile.stages.indexOf(stage);
    stage = dockerfile.stages.slice(0, index).find((earlier) => earlier.name === base);
  }
  return chain;
}

/**
 * Where the image holds a file that `COPY <source> <dest>` put there: `dest` resolved against the
 * WORKDIR in force, through the chain of stages; undefined when no COPY takes exactly `source`.
 */
export function pathInImage(chain: readonly Stage[], source: string): string | undefined {
  let workdir = '/';
  let found: string | undefined;
  for (const instruction of chain.flatMap((stage) => stage.instructions)) {
    if (instruction.keyword === 'WORKDIR') workdir = posix.resolve(workdir, instruction.args);
    if (instruction.keyword !== 'COPY') continue;
    const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
    if (words.length === 2 && words[0] === source) found = posix.resolve(workdir, words[1]);
  }
  return found;
}
