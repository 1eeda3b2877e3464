import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import { ABOUT_FIELDS, ABOUT_SHEET, type ColumnSpec, SHEETS } from "./workbook-spec.js";

/**
 * The curation template, from the one workbook definition (workbook-spec.ts): an About sheet and one
 * sheet per kind, each header with its note (what to write, an example, whether it is required) and,
 * where the schema has a vocabulary, a drop-down of the allowed values.
 */

const columnNote = (column: ColumnSpec) =>
  `${column.required ? "Required. " : "Optional. "}${column.note}${
    typeof column.kind === "object" ? `\nAllowed: ${column.kind.oneOf.join(", ")}` : ""
  }`;

/** The template as XLSX bytes. */
export async function templateWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "PerMed Atlas";
  const about = workbook.addWorksheet(ABOUT_SHEET);
  about.columns = [
    { header: "", key: "field", width: 16 },
    { header: "", key: "value", width: 60 },
  ];
  ABOUT_FIELDS.forEach((field, i) => {
    const row = about.getRow(i + 1);
    row.getCell(1).value = field.header;
    row.getCell(1).font = { bold: true };
    row.getCell(1).note = columnNote(field);
  });
  for (const sheet of SHEETS) {
    const worksheet = workbook.addWorksheet(sheet.name, { views: [{ state: "frozen", ySplit: 1 }] });
    worksheet.columns = sheet.columns.map((column) => ({
      header: column.header,
      key: column.header,
      width: Math.max(14, column.header.length + 4),
    }));
    const header = worksheet.getRow(1);
    header.font = { bold: true };
    sheet.columns.forEach((column, i) => {
      const cell = header.getCell(i + 1);
      cell.note = columnNote(column);
      if (typeof column.kind === "object") {
        const letter = cell.address.replace(/\d+$/, "");
        // Validation on the rows a curator fills; the reader checks every value again anyway.
        for (let row = 2; row <= 200; row++)
          worksheet.getCell(`${letter}${row}`).dataValidation = {
            type: "list",
            allowBlank: true,
            formulae: [`"${column.kind.oneOf.join(",")}"`],
          };
      }
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The template's sheets as CSV: one file per sheet with its header, and columns.csv describing every column. */
export function templateCsv(): Map<string, string> {
  const files = new Map<string, string>();
  files.set("about.csv", stringify([["field", "value"], ...ABOUT_FIELDS.map((f) => [f.header, ""])]));
  for (const sheet of SHEETS)
    files.set(`${sheet.name.toLowerCase()}.csv`, stringify([sheet.columns.map((c) => c.header)]));
  files.set(
    "columns.csv",
    stringify([
      ["sheet", "column", "required", "allowed values", "note"],
      ...ABOUT_FIELDS.map((f) => [ABOUT_SHEET, f.header, f.required ? "yes" : "no", "", f.note]),
      ...SHEETS.flatMap((sheet) =>
        sheet.columns.map((c) => [
          sheet.name,
          c.header,
          c.required ? "yes" : "no",
          typeof c.kind === "object" ? c.kind.oneOf.join(" ") : "",
          c.note,
        ]),
      ),
    ]),
  );
  return files;
}

/** Writes curation-template.xlsx and the CSV files into `dir` (created if missing); returns the paths. */
export async function writeTemplate(dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written = [path.join(dir, "curation-template.xlsx")];
  writeFileSync(written[0]!, await templateWorkbook());
  for (const [name, text] of templateCsv()) {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    written.push(file);
  }
  return written;
}
