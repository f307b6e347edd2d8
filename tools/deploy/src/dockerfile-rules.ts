import { validate, ValidationSeverity, type ValidatorSettings } from 'dockerfile-utils';
import { finalStageChain, imageEnv, parseDockerfile, type Instruction } from './dockerfile-stages';

/**
 * dockerfile-utils reports errors (the builder would refuse the file) and a few warnings. Every
 * one of those warnings is a real defect here, so all count: a second CMD, ENTRYPOINT or
 * HEALTHCHECK silently replaces the first, a relative WORKDIR depends on the base image, JSON in
 * single quotes runs as a shell string, and casing or empty continuation lines break on other tools.
 */
export const STRICT_LINT: ValidatorSettings = {
  deprecatedMaintainer: ValidationSeverity.ERROR,
  directiveCasing: ValidationSeverity.ERROR,
  emptyContinuationLine: ValidationSeverity.ERROR,
  instructionCasing: ValidationSeverity.ERROR,
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
  instructionWorkdirRelative: ValidationSeverity.ERROR,
};

/** dockerfile-utils' findings as `line N: message`. */
export function lintProblems(text: string): string[] {
  return validate(text, STRICT_LINT).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
}

function last(instructions: readonly Instruction[], keyword: string): Instruction | undefined {
  return instructions.filter((instruction) => instruction.keyword === keyword).at(-1);
}

function isJsonArray(args: string): boolean {
  try {
    return Array.isArray(JSON.parse(args));
  } catch {
    return false;
  }
}

/**
 * The house rules for an app image, checked on the stages its default target is made of: it adds
 * the app to a stage every app shares (one cached runtime layer for all images), and the image
 * keeps the rules of `imageRuleProblems`.
 */
export function houseRuleProblems(text: string, buildArgs: Record<string, string> = {}): string[] {
  const chain = finalStageChain(parseDockerfile(text), buildArgs);
  const shared = chain.length < 2 ? ['not multi-stage: the app goes on top of a stage every app shares'] : [];
  return [...shared, ...imageRuleProblems(chain.flatMap((stage) => stage.instructions))];
}

/**
 * RUN and ADD anywhere in the file: the build must work with no network, so the host stages what
 * the image needs and COPY takes it. Every stage counts: the classic builder builds them all.
 */
export function offlineBuildProblems(text: string): string[] {
  return parseDockerfile(text)
    .stages.flatMap((stage) => stage.instructions)
    .filter((instruction) => instruction.keyword === 'RUN' || instruction.keyword === 'ADD')
    .map((instruction) => `line ${instruction.line}: ${instruction.keyword}: the build must need no network; stage it on the host and COPY it`);
}

/**
 * The rules on what an image is (its instructions, base first): a non-root USER, a HEALTHCHECK,
 * the start command in exec form and NODE_ENV=production. Also for an image that extends another:
 * pass the base image's instructions followed by its own.
 */
export function imageRuleProblems(image: readonly Instruction[]): string[] {
  const problems: string[] = [];
  const user = last(image, 'USER')?.args.split(':')[0];
  if (user === undefined) problems.push('no USER: the image would run as root');
  else if (user === 'root' || user === '0') problems.push(`USER ${user}: the image must not run as root`);

  const healthcheck = last(image, 'HEALTHCHECK');
  if (!healthcheck || /^NONE$/i.test(healthcheck.args)) problems.push('no HEALTHCHECK');
  else if (!/\bCMD\b/.test(healthcheck.args)) problems.push(`HEALTHCHECK without CMD: ${healthcheck.args}`);

  const start = last(image, 'ENTRYPOINT') ?? last(image, 'CMD');
  if (!start) problems.push('no ENTRYPOINT or CMD');
  else if (!isJsonArray(start.args)) problems.push(`${start.keyword} in shell form: signals would reach a shell, not node`);

  if (imageEnv(image).NODE_ENV !== 'production') problems.push('no ENV NODE_ENV=production');
  return problems;
}
