/** Milliseconds as the reports print them. */
export const ms = (value: number) => value.toFixed(2);

/** `a / b` as a ratio, e.g. `1.96×`. */
export const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** `a - b` in milliseconds, signed, e.g. `+26.24`. */
export const overhead = (a: number, b: number) =>
  `${a >= b ? '+' : ''}${ms(a - b)}`;

/**
 * A markdown table, first column left-aligned and the others right-aligned,
 * padded as Prettier pads them so the written report passes its check.
 */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) =>
    Math.max(3, cell.length, ...rows.map(row => row[column].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells
      .map((cell, column) =>
        column === 0
          ? cell.padEnd(widths[column])
          : cell.padStart(widths[column]),
      )
      .join(' | ')} |`;
  const delimiter = `| ${widths
    .map((width, column) =>
      column === 0 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`,
    )
    .join(' | ')} |`;
  return [line(header), delimiter, ...rows.map(line)].join('\n');
}
