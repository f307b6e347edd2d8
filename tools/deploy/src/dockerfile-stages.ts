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

/** The WORKDIR in force after these instructions: `/` when none sets it. */
export function workdirOf(instructions: readonly Instruction[]): string {
  return instructions.filter((i) => i.keyword === 'WORKDIR').reduce((dir, i) => posix.resolve(dir, i.args), '/');
}

/**
 * Where `COPY <sources…> <dest>` puts the build context's `file`: a source naming it, or a folder
 * source (`dir/`, whose contents are copied) holding it; undefined when no source covers it.
 */
function copiedTo(sources: readonly string[], dest: string, file: string): string | undefined {
  for (const source of sources) {
    if (source === file) return dest.endsWith('/') || sources.length > 1 ? posix.join(dest, posix.basename(file)) : dest;
    if (source.endsWith('/') && file.startsWith(source)) return posix.join(dest, file.slice(source.length));
  }
  return undefined;
}

/**
 * Where the image holds a file of the build context: the last COPY that covers it, its destination
 * resolved against the WORKDIR in force, through the chain of stages. `COPY --from` copies from
 * another stage, not the context, so it is skipped.
 */
export function pathInImage(chain: readonly Stage[], file: string): string | undefined {
  let workdir = '/';
  let found: string | undefined;
  for (const instruction of chain.flatMap((stage) => stage.instructions)) {
    if (instruction.keyword === 'WORKDIR') workdir = posix.resolve(workdir, instruction.args);
    if (instruction.keyword !== 'COPY' || /(^|\s)--from=/.test(instruction.args)) continue;
    const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
    const dest = words.at(-1) ?? '';
    const target = copiedTo(words.slice(0, -1), posix.isAbsolute(dest) ? dest : `${workdir}/${dest}`, file);
    if (target !== undefined) found = posix.normalize(target);
  }
  return found;
}

/**
 * The variables the ENV instructions set, later ones winning. Only the `KEY=value` form, unquoted,
 * as this repository writes them: anything else reads as a wrong value, so a check fails rather than passes.
 */
export function imageEnv(instructions: readonly Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of instructions.filter((i) => i.keyword === 'ENV')) {
    for (const word of instruction.args.split(/\s+/)) {
      const at = word.indexOf('=');
      env[at < 0 ? word : word.slice(0, at)] = at < 0 ? '' : word.slice(at + 1);
    }
  }
  return env;
}
