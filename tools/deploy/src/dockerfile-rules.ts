import { validate, ValidationSeverity, type ValidatorSettings } from 'dockerfile-utils';
import { finalStageChain, parseDockerfile, type Instruction } from './dockerfile-stages';

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

function last(instructions: Instruction[], keyword: string): Instruction | undefined {
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
 * The house rules for an image, checked on the stages the default target is made of: multi-stage
 * (tools and dev dependencies stay in build stages), a non-root USER, a HEALTHCHECK, the start
 * command in exec form, production Node settings, and no dev dependencies installed.
 */
export function houseRuleProblems(text: string, buildArgs: Record<string, string> = {}): string[] {
  const dockerfile = parseDockerfile(text);
  const problems: string[] = [];
  if (dockerfile.stages.length < 2) problems.push('not multi-stage: build in one stage, run in another');
  const image = finalStageChain(dockerfile, buildArgs).flatMap((stage) => stage.instructions);

  const user = last(image, 'USER')?.args.split(':')[0];
  if (user === undefined) problems.push('no USER: the image would run as root');
  else if (user === 'root' || user === '0') problems.push(`USER ${user}: the image must not run as root`);

  const healthcheck = last(image, 'HEALTHCHECK');
  if (!healthcheck || /^NONE$/i.test(healthcheck.args)) problems.push('no HEALTHCHECK');
  else if (!/\bCMD\b/.test(healthcheck.args)) problems.push(`HEALTHCHECK without CMD: ${healthcheck.args}`);

  const start = last(image, 'ENTRYPOINT') ?? last(image, 'CMD');
  if (!start) problems.push('no ENTRYPOINT or CMD');
  else if (!isJsonArray(start.args)) problems.push(`${start.keyword} in shell form: signals would reach a shell, not node`);

  const env = image.filter((instruction) => instruction.keyword === 'ENV').map((instruction) => instruction.args);
  if (!env.some((args) => /(^|\s)NODE_ENV=production(\s|$)/.test(args))) problems.push('no ENV NODE_ENV=production');

  for (const run of image.filter((instruction) => instruction.keyword === 'RUN')) {
    if (/\bnpm (ci|install|i)\b/.test(run.args) && !/--omit=dev\b/.test(run.args)) {
      problems.push(`line ${run.line}: installs dev dependencies in the runtime image`);
    }
  }
  return problems;
}
