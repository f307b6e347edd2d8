// The README's "Measured" section quotes benchmark reports; every number in it must be found in the
// kept example reports it cites, so a figure cannot be made up, copied from another day or left
// behind when the reports are rerun.

/** The text of `## <heading>` up to the next `## ` heading. */
export function sectionOf(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no "## ${heading}" section`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** The kept example reports a text cites: `results/examples/….md`, in links or in prose. */
export function citedReports(section: string): string[] {
  return [...new Set(section.match(/results\/examples\/[\w./-]+\.md/g) ?? [])];
}

/** Prose only: images, link targets and code spans (commands, paths, flags) hold no figures. */
function prose(markdown: string): string {
  return markdown
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`[^`\n]*`/g, ' ');
}

const DATE = String.raw`\d{4}-\d{2}-\d{2}`;
const NUMBER = String.raw`\d+(?:,\d{3})*(?:\.\d+)?`;
/** A number not glued to a name: the 2 of U2-Net, MobileNetV2 or int8, the 50 of ResNet-50 and the 1.1 of HTTP/1.1 are not figures. */
const FIGURE = new RegExp(String.raw`(?<![\p{L}\d.,])(?<!\p{L}[-/])(?:${DATE}|${NUMBER})(?![\p{L}\d])`, 'gu');
const ANY_NUMBER = new RegExp(`${DATE}|${NUMBER}`, 'g');
const plain = (figure: string) => figure.replace(/,(?=\d{3})/g, '');

/** Every figure of a markdown text as written, thousands separators dropped (`1,528` → `1528`). */
export function figuresIn(markdown: string): string[] {
  return (prose(markdown).match(FIGURE) ?? []).map(plain);
}

/** The figures of `section` that none of `reports` contains as a number. */
export function missingFigures(section: string, reports: readonly string[]): string[] {
  const found = new Set(reports.flatMap((report) => (report.match(ANY_NUMBER) ?? []).map(plain)));
  return [...new Set(figuresIn(section).filter((figure) => !found.has(figure)))];
}

/**
 * The figures of a section that are not in the reports cited where they stand: each `### `
 * subsection against the reports it cites (all of the section's, if it cites none), as
 * `<figure> (<subsection>)`.
 */
export function unfoundFigures(section: string, readReport: (path: string) => string): string[] {
  const everyReport = citedReports(section);
  return section.split(/\n(?=### )/).flatMap((part) => {
    const cited = citedReports(part);
    const where = /^### (.+)$/m.exec(part)?.[1] ?? 'introduction';
    return missingFigures(part, (cited.length > 0 ? cited : everyReport).map(readReport)).map((figure) => `${figure} (${where})`);
  });
}
