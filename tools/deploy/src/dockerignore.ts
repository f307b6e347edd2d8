import { posix } from 'node:path';

const WILDCARDS = new Map([
  ['**/', '(?:.*/)?'],
  ['**', '.*'],
  ['*', '[^/]*'],
  ['?', '[^/]'],
]);

/** The patterns of a .dockerignore, in order: comments and blank lines dropped. */
export function dockerignorePatterns(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** A pattern as Docker reads it: `*` and `?` stay within a folder, `**` crosses folders; anything else is literal. */
function patternRegExp(pattern: string): RegExp {
  const parts = posix.normalize(pattern.replace(/^\/+/, '')).split(/(\*\*\/|\*\*|\*|\?)/);
  const source = parts.map((part) => WILDCARDS.get(part) ?? part.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('');
  return new RegExp(`^${source}$`);
}

/** Whether `pattern` names `path` or a folder above it (leaving out a folder leaves out what it holds). */
function covers(pattern: string, path: string): boolean {
  const regExp = patternRegExp(pattern);
  const segments = path.split('/');
  return segments.some((_segment, index) => regExp.test(segments.slice(0, index + 1).join('/')));
}

/** Whether the build context leaves `path` out, as Docker decides: the last pattern that covers it wins, `!` letting it back in. */
export function isIgnored(patterns: readonly string[], path: string): boolean {
  let ignored = false;
  for (const pattern of patterns) {
    const letIn = pattern.startsWith('!');
    if (covers(letIn ? pattern.slice(1) : pattern, path)) ignored = !letIn;
  }
  return ignored;
}
