/**
 * The rules every CSV this project writes follows, on the server (network exports) and in the browser
 * (the dashboard's and explore pages' downloads): one definition, imported by both. Browser-safe: no
 * Node module.
 */

/**
 * Text that a spreadsheet would run as a formula: =, +, - or @ first, also after leading whitespace or
 * control characters (Excel and LibreOffice skip them before a formula), or a tab or carriage return
 * first (the OWASP list). Numbers are never touched: -5 stays a number.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters before a formula are the point
const FORMULA = /^(?:[\s\u0000-\u001f\u007f]*[=+\-@]|[\t\r])/;

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
