import { isCalendarDate } from "../util/calendar-date.js";
import { EARLIEST_YEAR, LATEST_YEAR } from "../util/year-range.js";
import { textOf, textProblem } from "./read-workbook.js";
import type { CellValue } from "./workbook-shapes.js";
import type { CellKind } from "./workbook-spec.js";

/** A parsed cell: its value, or why it is refused. */
export type Parsed<T> = { ok: T } | { problem: string };

/** ISO 4217 codes as the runtime's ICU knows them: no list of our own to keep. */
const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

/** Excel's 1900 date system: serial 25569 is 1970-01-01. */
const serialToIso = (serial: number) =>
  new Date(Math.round((serial - 25569) * 86_400_000)).toISOString().slice(0, 10);

const looksLikeSerial = (n: number) => Number.isFinite(n) && n >= 1 && n < 2_958_466;

function dateProblem(value: CellValue, what: string, example: string): string {
  if (value.type === "number" && looksLikeSerial(value.number))
    return `${value.number} is an Excel date serial (${serialToIso(value.number)}), not a date; format the cell as a date or write ${example}`;
  return `"${textOf(value)}" is not ${what}; write ${example}`;
}

/** A date cell's day: Excel stores days, so a time of day means the cell is not a plain date. */
function dayOf(date: Date): Parsed<string> {
  if (Number.isNaN(date.getTime())) return { problem: "not a valid date" };
  if (date.getUTCHours() || date.getUTCMinutes() || date.getUTCSeconds())
    return { problem: `holds a time of day (${date.toISOString()}); write the date alone` };
  return { ok: date.toISOString().slice(0, 10) };
}

/** Text of a cell that must hold text: a number is taken as typed, anything else refused. */
function textCell(value: CellValue, keepLayout: boolean): Parsed<string> {
  let text: string;
  if (value.type === "text") text = value.text;
  else if (value.type === "number") text = String(value.number);
  else if (value.type === "hyperlink") return { problem: "a hyperlink; write plain text here" };
  else if (value.type === "date") return { problem: `a date (${textOf(value)}); write text here` };
  else if (value.type === "boolean") return { problem: `${value.value ? "TRUE" : "FALSE"}; write text here` };
  else return { ok: "" };
  const problem = textProblem(text, keepLayout);
  return problem ? { problem } : { ok: text.trim() };
}

/** Text that passes `accept`, or the problem `refuse` words for it. */
function checkedText(value: CellValue, accept: RegExp, refuse: (text: string) => string): Parsed<string> {
  const text = textCell(value, false);
  if ("problem" in text) return text;
  return accept.test(text.ok) ? text : { problem: refuse(text.ok) };
}

/** One of the allowed words, however the cell spaces or cases it. */
function oneOfCell(value: CellValue, allowed: readonly string[]): Parsed<string> {
  const text = textCell(value, false);
  if ("problem" in text) return text;
  const found = allowed.find((word) => word === text.ok.toUpperCase().replace(/[\s-]+/g, "_"));
  return found ? { ok: found } : { problem: `"${text.ok}" is not one of ${allowed.join(", ")}` };
}

/** Items separated by semicolons or line breaks. */
function refListCell(value: CellValue): Parsed<string[]> {
  const text = textCell(value, true);
  if ("problem" in text) return text;
  return {
    ok: text.ok
      .split(/[;\n]/)
      .map((item) => item.trim())
      .filter(Boolean),
  };
}

/** An ISO alpha-2 code the graph knows; a country's name is refused with its code proposed. */
function countryCell(value: CellValue, countries: Map<string, string>): Parsed<string> {
  const text = textCell(value, false);
  if ("problem" in text) return text;
  const code = text.ok.toUpperCase();
  if (countries.has(code)) return { ok: code };
  const byName = [...countries].find(([, name]) => name?.toLowerCase() === text.ok.toLowerCase());
  return {
    problem: byName
      ? `"${text.ok}" is a country name; write its ISO 3166-1 alpha-2 code, ${byName[0]}`
      : `unknown country "${text.ok}"; write an ISO 3166-1 alpha-2 code such as ES`,
  };
}

function yearCell(value: CellValue): Parsed<number> {
  const n =
    value.type === "number" ? value.number : value.type === "text" ? Number(value.text.trim()) : Number.NaN;
  if (value.type === "date") return { problem: `a date (${textOf(value)}); write the year alone, e.g. 2017` };
  return Number.isInteger(n) && n >= EARLIEST_YEAR && n <= LATEST_YEAR
    ? { ok: n }
    : { problem: `"${textOf(value)}" is not a year between ${EARLIEST_YEAR} and ${LATEST_YEAR}` };
}

function dateCell(value: CellValue): Parsed<string> {
  if (value.type === "date") return dayOf(value.date);
  if (value.type === "text" && isCalendarDate(value.text.trim())) return { ok: value.text.trim() };
  return { problem: dateProblem(value, "a date", "2024-03-05") };
}

/** When a statement held: a day, a month (YYYY-MM) or a year. */
function asOfCell(value: CellValue): Parsed<string> {
  if (value.type === "date") return dayOf(value.date);
  if (
    value.type === "number" &&
    Number.isInteger(value.number) &&
    value.number >= EARLIEST_YEAR &&
    value.number <= LATEST_YEAR
  )
    return { ok: String(value.number) };
  if (value.type === "text") {
    const text = value.text.trim();
    if (/^\d{4}$/.test(text) || /^\d{4}-(0[1-9]|1[0-2])$/.test(text) || isCalendarDate(text))
      return { ok: text };
  }
  return { problem: dateProblem(value, "a date, month or year", "2024-09-11, 2024-09 or 2024") };
}

/** A number typed alone; an amount may not be negative. */
function numberCell(value: CellValue, kind: "amount" | "number"): Parsed<number> {
  let n = Number.NaN;
  if (value.type === "number") n = value.number;
  else if (value.type === "text" && /^-?\d+(\.\d+)?$/.test(value.text.trim())) n = Number(value.text.trim());
  else if (value.type === "text")
    return {
      problem: `"${value.text}" is not a number; type the number alone, e.g. 45000000 (the unit goes in its own column)`,
    };
  if (!Number.isFinite(n)) return { problem: `"${textOf(value)}" is not a number` };
  if (kind === "amount" && n < 0) return { problem: `${n} is negative; an amount is 0 or more` };
  return { ok: n };
}

function currencyCell(value: CellValue): Parsed<string> {
  const text = textCell(value, false);
  if ("problem" in text) return text;
  const code = text.ok.toUpperCase();
  if (code === "€") return { problem: '"€" is a symbol; write the ISO 4217 code, EUR' };
  return /^[A-Z]{3}$/.test(code) && CURRENCIES.has(code)
    ? { ok: code }
    : { problem: `"${text.ok}" is not an ISO 4217 currency code such as EUR or USD` };
}

/** An http(s) address, typed or as a link whose shown text is the address itself. */
function urlCell(value: CellValue): Parsed<string> {
  let address: string;
  if (value.type === "hyperlink") {
    const shown = value.text.trim();
    const target = value.target.trim();
    // Excel turns a typed address into a link to itself: that is the address. A link behind other
    // words hides where it points, so it is refused.
    if (shown && shown.replace(/\/$/, "") !== target.replace(/\/$/, "").replace(/^mailto:/, ""))
      return {
        problem: `a hyperlink that shows "${shown}" but points to ${target}; write the address itself`,
      };
    address = target;
  } else {
    const text = textCell(value, false);
    if ("problem" in text) return text;
    address = text.ok;
  }
  try {
    const parsed = new URL(address);
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error("not http");
    return { ok: address };
  } catch {
    return { problem: `"${address}" is not a web address (https://...)` };
  }
}

/**
 * Parses one cell by its column's kind. Returns undefined for an empty cell. `countries` is the
 * graph's ISO alpha-2 codes with their names (for a message that proposes the code).
 */
export function parseCell(
  kind: CellKind,
  value: CellValue,
  countries: Map<string, string>,
): Parsed<string | number | string[]> | undefined {
  if (value.type === "empty") return undefined;
  if (typeof kind === "object") return oneOfCell(value, kind.oneOf);
  switch (kind) {
    case "text":
    case "ref":
      return textCell(value, false);
    case "longText":
      return textCell(value, true);
    case "slug":
      return checkedText(
        value,
        /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
        (text) => `"${text}" must be letters, digits, ".", "_" or "-", starting with a letter or digit`,
      );
    case "refList":
      return refListCell(value);
    case "country":
      return countryCell(value, countries);
    case "year":
      return yearCell(value);
    case "date":
      return dateCell(value);
    case "asOf":
      return asOfCell(value);
    case "amount":
    case "number":
      return numberCell(value, kind);
    case "currency":
      return currencyCell(value);
    case "url":
      return urlCell(value);
    case "attribute":
      return checkedText(
        value,
        /^[a-z][A-Za-z0-9]*$/,
        (text) => `"${text}" must be lowerCamelCase, e.g. fundedProjectCount`,
      );
  }
}
