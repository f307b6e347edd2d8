/** One sample of a Prometheus text exposition: its name (a histogram's with `_bucket`, `_sum` or `_count`) and its labels. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
}

const SAMPLE_LINE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+\S+/;
const LABEL_PAIR = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** The samples of a scrape (`GET /metrics`), comments left out. */
export function parseScrape(text: string): Sample[] {
  return text.split('\n').flatMap((line) => {
    const match = line.startsWith('#') ? null : SAMPLE_LINE.exec(line);
    return match ? [{ name: match[1], labels: labelsOf(match[2] ?? '') }] : [];
  });
}

function labelsOf(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(LABEL_PAIR)].map(([, name, value]) => [name, unescapeValue(value)]));
}

/** The exposition format escapes `\`, `"` and line feeds in label values. */
function unescapeValue(value: string): string {
  return value.replace(/\\(.)/g, (_, character: string) => (character === 'n' ? '\n' : character));
}
