import type { LatencyRow } from './latency-rows';

/** The CSV header, in column order. */
export const LATENCY_COLUMNS = [
  'image',
  'stage',
  'start_s',
  'end_s',
  'observed_ms',
  'compute_ms',
  'transport_ms',
  'queue_ms',
  'status',
] as const;

/** Renders latency rows as RFC 4180 CSV: a header line, CRLF line ends, quoted where needed. */
export function formatLatencyCsv(rows: readonly LatencyRow[]): string {
  const lines = [LATENCY_COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(
      [
        csvField(row.image),
        csvField(row.stage),
        csvNumber(row.startS, 3),
        csvNumber(row.endS, 3),
        csvNumber(row.observedMs, 3),
        csvNumber(row.computeMs, 3),
        csvNumber(row.transportMs, 3),
        csvNumber(row.queueMs, 3),
        csvField(row.status),
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Quotes a field when it holds a comma, a quote, CR or LF (or leading/trailing space); doubles quotes. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvNumber(value: number | undefined, decimals: number): string {
  return value === undefined ? '' : String(Number(value.toFixed(decimals)));
}
