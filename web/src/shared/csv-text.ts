import { stringify } from "csv-stringify/browser/esm/sync";
import { CSV_QUOTING, defusedCell } from "../../../src/util/csv-cells.js";

/** One CSV cell: text as shown, numbers as the API gave them (full precision, never rounded for display). */
export type CsvValue = string | number | boolean | null | undefined;

/**
 * The rows as CSV text (RFC 4180: commas, quotes, carriage returns and line feeds in names quoted), with a
 * UTF-8 byte-order mark so that spreadsheets read accents right, and text that a spreadsheet would run as
 * a formula prefixed with ' (src/util/csv-cells.ts; numbers, negative ones included, are left as numbers).
 */
export function toCsv(header: string[], rows: CsvValue[][]): string {
  const cells = [header, ...rows].map((row) => row.map(defusedCell));
  return `\ufeff${stringify(cells, { ...CSV_QUOTING, record_delimiter: "unix" })}`;
}
