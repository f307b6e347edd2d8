import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/**
 * Parses a script's command line with `node:util` parseArgs, adding `--help` / `-h`. Help prints
 * `usage` and exits 0 before the script does anything; an unknown or malformed option prints the
 * problem and the usage and exits 2. For the long-running tools, whose usage says how long they take.
 */
export function parseCommandLine<T extends ParseArgsOptionsConfig>(usage: string, options: T, args: string[] = process.argv.slice(2)) {
  const text = usage.endsWith('\n') ? usage : `${usage}\n`;
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(text);
    process.exit(0);
  }
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${text}`);
    process.exit(2);
  }
}
