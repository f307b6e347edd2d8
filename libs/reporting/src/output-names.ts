const MAX_STEM_LENGTH = 120;
const FALLBACK_STEM = 'image';

/**
 * Turns a client file name into a safe folder/file stem: the directory part and the extension
 * are dropped, characters other than letters, digits, `.`, `_` and `-` become `_`, leading dots
 * go (no hidden files, no `..`), Windows device names get a `_` prefix, and the length is capped.
 */
export function safeFileStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const withoutExtension = base.replace(/\.[^.]*$/, '');
  let stem = (withoutExtension || base)
    .normalize('NFC')
    .trim()
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/^\.+/, '')
    .slice(0, MAX_STEM_LENGTH);
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(stem)) stem = `_${stem}`;
  return stem.length > 0 ? stem : FALLBACK_STEM;
}

/**
 * One stem per file name, in order, unique even on case-insensitive file systems:
 * `cat.jpg` and `Cat.png` become `cat` and `Cat-2`.
 */
export function assignOutputStems(fileNames: readonly string[]): string[] {
  const taken = new Set<string>();
  return fileNames.map((fileName) => {
    const stem = safeFileStem(fileName);
    let candidate = stem;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem}-${n}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}
