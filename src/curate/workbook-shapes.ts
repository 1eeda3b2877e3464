/**
 * The shapes of a workbook as read (read-workbook.ts reads it, workbook-transfer.ts moves it between
 * threads, plan-workbook.ts plans from it): cell values before their column's kind is checked, sheets by
 * name, and the problems found while reading, each located by sheet and cell.
 */

/** A problem located in the workbook: `sheet!cell: reason`, or `file: reason` for the file as a whole. */
export interface WorkbookProblem {
  /** The sheet, or the file name for a problem of the whole file. */
  sheet: string;
  /** A cell (B4), a range (A2:C2), or undefined for the whole sheet or file. */
  cell?: string;
  reason: string;
}

/** A cell's value as read, before its column's kind is checked. */
export type CellValue =
  | { type: "empty" }
  | { type: "text"; text: string }
  | { type: "number"; number: number }
  | { type: "date"; date: Date }
  | { type: "boolean"; value: boolean }
  | { type: "hyperlink"; text: string; target: string };

export interface ReadCell {
  address: string;
  value: CellValue;
}

export interface ReadSheet {
  name: string;
  /** Header cells (row 1) by column number, trimmed text. */
  headers: { column: number; address: string; text: string }[];
  /** Data rows (2...), empty rows left out; cells by column number. */
  rows: { row: number; cells: Map<number, ReadCell> }[];
}

export interface ReadWorkbook {
  fileName: string;
  sha256: string;
  sheets: Map<string, ReadSheet>;
  /** Cells that could not be read as values (formulas, merged cells, errors ...): refused. */
  problems: WorkbookProblem[];
}
