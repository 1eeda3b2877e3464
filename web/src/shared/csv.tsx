import { stringify } from "csv-stringify/browser/esm/sync";

/** One CSV cell: text as shown, numbers as the API gave them (full precision, never rounded for display). */
export type CsvValue = string | number | boolean | null | undefined;

/**
 * The rows as CSV text (RFC 4180: commas, quotes and line breaks in names quoted), with a UTF-8 byte-order
 * mark so that spreadsheets read accents right, and text cells starting with = + - @ (or tab, carriage
 * return) prefixed with ' so that a spreadsheet shows them instead of running them as formulas (CSV
 * injection; numbers, negative ones included, are left as numbers). csv-stringify does the quoting and
 * the formula escape.
 */
export function toCsv(header: string[], rows: CsvValue[][]): string {
  return `\ufeff${stringify([header, ...rows], { escape_formulas: true, record_delimiter: "unix" })}`;
}

/** Offers the text as a file download named `filename` (UTF-8 CSV). */
export function downloadCsv(filename: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the object URL by now; free it on the next turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A "CSV" button that downloads exactly the rows it is given (what the panel or list shows). */
export function CsvButton({
  filename,
  header,
  rows,
  testId,
}: {
  filename: string;
  header: string[];
  rows: () => CsvValue[][];
  testId?: string;
}) {
  return (
    <button
      type="button"
      className="csv-button"
      data-testid={testId ?? "csv-download"}
      title={`Download ${filename}: the figures shown here, as CSV`}
      onClick={() => downloadCsv(filename, toCsv(header, rows()))}
    >
      CSV
    </button>
  );
}
