/** A shell command shown in a README, where it stands, and its words. */
export interface DocCommand {
  file: string;
  line: number;
  text: string;
  words: string[];
}

/** The programs whose commands the docs check; other code spans are prose, paths or output. */
const PROGRAMS = new Set(['npm', 'npx', 'node', 'docker', 'kubectl', 'curl']);
/** Code blocks in these languages are source code, not commands. */
const CODE_LANGUAGES = new Set(['ts', 'typescript', 'js', 'json', 'yaml', 'yml', 'proto', 'python']);

/**
 * The commands of a Markdown document: every line of a shell code block (and of an untagged block)
 * that runs one of {@link PROGRAMS}, with `\` continuations joined and `# comments` dropped, and
 * every inline code span that does.
 */
export function extractCommands(file: string, markdown: string): DocCommand[] {
  const commands: DocCommand[] = [];
  const lines = markdown.split('\n');
  let fence: string | undefined;
  let pending: { line: number; text: string } | undefined;
  lines.forEach((raw, index) => {
    const fenceMatch = /^\s*```(\S*)/.exec(raw);
    if (fenceMatch) {
      fence = fence === undefined ? fenceMatch[1].toLowerCase() : undefined;
      return;
    }
    if (fence !== undefined) {
      if (CODE_LANGUAGES.has(fence)) return;
      const text = pending ? `${pending.text} ${raw.trim()}` : raw.trim();
      const start = pending?.line ?? index + 1;
      if (text.endsWith('\\')) {
        pending = { line: start, text: text.slice(0, -1).trim() };
        return;
      }
      pending = undefined;
      addCommand(commands, file, start, stripComment(text));
      return;
    }
    for (const span of raw.matchAll(/`([^`]+)`/g)) addCommand(commands, file, index + 1, span[1].trim());
  });
  return commands;
}

function addCommand(commands: DocCommand[], file: string, line: number, text: string): void {
  const words = shellWords(text);
  while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) words.shift();
  if (words.length < 2 || !PROGRAMS.has(words[0])) return;
  commands.push({ file, line, text, words });
}

/** Drops a trailing `# comment` (a `#` after whitespace, outside quotes). */
function stripComment(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#' && (i === 0 || /\s/.test(text[i - 1]))) return text.slice(0, i).trim();
  }
  return text;
}

/** Splits a command line into words as a shell would for simple quoting (no expansions). */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|'([^']*)'|([^\s"']+)/g)) {
    const [, double, single, bare] = match;
    const word = double ?? single ?? bare;
    // `--args="--quick --out x"` is one word: a part that touches the one before it joins it.
    if (words.length > 0 && match.index > 0 && !/\s/.test(text[match.index - 1])) words[words.length - 1] += word;
    else words.push(word);
  }
  return words;
}
