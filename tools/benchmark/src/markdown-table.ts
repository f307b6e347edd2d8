/** A Markdown table: a header row, the separator, one row per entry. */
export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

/** How the reports name each protocol. */
export const PROTOCOL_TITLES = { grpc: 'gRPC', rest: 'REST' } as const;
