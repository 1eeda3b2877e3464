import { readFileSync } from "node:fs";
import Papa from "papaparse";

/**
 * An independent reader of CORDIS CSV files for tests (papaparse, not the importer's csv-parse code),
 * so that expected counts and sums do not come from the code under test.
 */
export function readCordisCsv(file: string, delimiter = ";"): Record<string, string>[] {
  const text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  const parsed = Papa.parse<Record<string, string>>(text, {
    delimiter,
    header: true,
    skipEmptyLines: true,
  });
  if (parsed.errors.length)
    throw new Error(`${file}: ${parsed.errors[0]!.message} (row ${parsed.errors[0]!.row})`);
  return parsed.data;
}

/** An amount in whole cents, from either decimal separator, without floating-point arithmetic. */
export function cents(amount: string): number {
  if (amount.trim() === "") return 0;
  const [whole, fraction = ""] = amount.trim().replace(",", ".").split(".");
  return Number(whole) * 100 + Math.sign(Number(whole) || 1) * Number(fraction.padEnd(2, "0").slice(0, 2));
}
