/**
 * The rules every CSV this project writes follows, on the server (network exports) and in the browser
 * (the dashboard's and explore pages' downloads): one definition, imported by both. Browser-safe: no
 * Node module.
 */

/**
 * Text that a spreadsheet would run as a formula: =, +, - or @ first, also after leading whitespace,
 * control characters (C0, DEL and C1: Unicode's Cc) or format characters that show nothing (zero-width
 * space, word joiner, soft hyphen, direction marks, byte-order mark: Unicode's Cf), which a reader does
 * not see and a spreadsheet may skip before a formula; or a tab or carriage return first (the OWASP
 * list). Numbers are never touched: -5 stays a number.
 */
const FORMULA = /^(?:[\s\p{Cc}\p{Cf}]*[=+\-@]|[\t\r])/u;

/** A cell value as written: text that could run as a formula gets a leading ' (CSV injection). */
export function defusedCell<T>(value: T): T | string {
  return typeof value === "string" && FORMULA.test(value) ? `'${value}` : value;
}

/**
 * csv-stringify options that quote any field holding a carriage return, a line feed, the delimiter or a
 * quote. csv-stringify quotes line feeds and delimiters by itself, but not a bare carriage return, which a
 * spreadsheet reads as the end of the row: `X\r=1+2` became two rows and a live `=1+2`.
 */
export const CSV_QUOTING = { quoted_match: /[\r\n",]/ } as const;
