/** A column of a plain-text table. */
export interface TextColumn {
  title: string;
  align: 'left' | 'right';
  /** Longest cell before it is cut with `…`; the last column is never padded. */
  maxWidth?: number;
}

/** Lays out rows under a header and a rule, columns two spaces apart, padded to align. */
export function renderTextTable(columns: readonly TextColumn[], rows: readonly string[][]): string {
  const cells = [columns.map((c) => c.title), ...rows].map((row) =>
    row.map((cell, i) => clip(cell.replace(/\s+/g, ' '), columns[i].maxWidth)),
  );
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => [...(row[i] ?? '')].length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => {
        const pad = ' '.repeat(widths[i] - [...cell].length);
        if (i === columns.length - 1 && columns[i].align === 'left') return cell;
        return columns[i].align === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

function clip(text: string, maxWidth: number | undefined): string {
  const chars = [...text];
  return maxWidth === undefined || chars.length <= maxWidth ? text : `${chars.slice(0, maxWidth - 1).join('')}…`;
}
