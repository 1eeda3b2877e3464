import { FunderKind, MembershipStatus, ProgrammeKind, StatementQualifier } from "../generated/graphql.js";

/**
 * The curation workbook: one sheet per kind of record, each with its columns. The template, the
 * reader and the check are all derived from this one definition, so a column added here shows in the
 * template, is read and is checked. Vocabularies are the schema's enums (through the generated types).
 */

/** How a cell is read and checked. */
export type CellKind =
  | "text"
  | "longText"
  | "slug"
  | "ref"
  | "refList"
  | "country"
  | "year"
  | "date"
  | "asOf"
  | "amount"
  | "currency"
  | "url"
  | "number"
  | "attribute"
  | { oneOf: readonly string[] };

export interface ColumnSpec {
  /** The header as the template writes it and the reader expects it (matched ignoring case and spaces). */
  header: string;
  kind: CellKind;
  required?: boolean;
  /** The column's note in the template: what to write, with an example. */
  note: string;
}

export interface SheetSpec {
  name: string;
  /** What a row of this sheet states (the template's sheet note and the admin page). */
  description: string;
  columns: readonly ColumnSpec[];
  /** The columns that identify a row: two rows with the same values are duplicates. */
  key: readonly string[];
}

const url: ColumnSpec = {
  header: "source URL",
  kind: "url",
  required: true,
  note: "The public page or document that states this row, e.g. https://www.eppermed.eu/funding-projects/calls/jtc2024",
};
const asOf: ColumnSpec = {
  header: "as of",
  kind: "asOf",
  note: "When the source said it: a date (2024-09-11), a month (2017-10) or a year (2024)",
};

export const ABOUT_SHEET = "About";

/** The About sheet: field/value pairs (column A the field, column B its value). */
export const ABOUT_FIELDS: readonly ColumnSpec[] = [
  {
    header: "workbook",
    kind: "slug",
    required: true,
    note: "A short name that stays the same in every version of this workbook, e.g. era-permed-partners (lower case, digits, -). Loading a later version replaces what the earlier one stated.",
  },
  {
    header: "title",
    kind: "text",
    required: true,
    note: "What the workbook holds, e.g. ERA PerMed partners 2024",
  },
  { header: "curator", kind: "text", required: true, note: "Who keeps it: a name or a team" },
  { header: "description", kind: "longText", note: "Anything a reader should know about the workbook" },
];

export const SHEETS: readonly SheetSpec[] = [
  {
    name: "Funders",
    description:
      "Funders that the atlas does not know yet, declared once so that the other sheets can name them. A funder the atlas already knows is named by its id, acronym or name instead: declaring it again is refused with the match.",
    key: ["id"],
    columns: [
      {
        header: "id",
        kind: "slug",
        required: true,
        note: "A short name for the new funder, e.g. nkfih (it becomes funder:nkfih)",
      },
      { header: "name", kind: "text", required: true, note: "Its full name as the source prints it" },
      { header: "acronym", kind: "text", note: "e.g. NKFIH" },
      {
        header: "kind",
        kind: { oneOf: Object.values(FunderKind) },
        required: true,
        note: "What kind of body",
      },
      { header: "country", kind: "country", note: "ISO 3166-1 alpha-2 code, e.g. HU" },
      { header: "website", kind: "url", note: "Its home page" },
      url,
    ],
  },
  {
    name: "Memberships",
    description: "Which funder is a member (or observer) of which consortium, with the evidence.",
    key: ["body", "consortium"],
    columns: [
      {
        header: "body",
        kind: "ref",
        required: true,
        note: "The funder: its id (funder:isciii), acronym (ISCIII) or name, or the id of a funder declared on the Funders sheet",
      },
      {
        header: "country",
        kind: "country",
        note: "ISO alpha-2 code of the funder's country; checked against what the atlas knows",
      },
      {
        header: "consortium",
        kind: "ref",
        required: true,
        note: "The consortium: its id (consortium:era-permed), acronym (ERA PerMed) or name",
      },
      {
        header: "status",
        kind: { oneOf: Object.values(MembershipStatus) },
        required: true,
        note: "MEMBER or OBSERVER",
      },
      { header: "since", kind: "year", note: "Year the membership began, e.g. 2017" },
      { header: "evidence", kind: "longText", required: true, note: "The words of the source that show it" },
      url,
      asOf,
    ],
  },
  {
    name: "Calls",
    description:
      "The calls (and other programmes) that a consortium runs, with their budget, deadlines and funders.",
    key: ["consortium", "call"],
    columns: [
      { header: "consortium", kind: "ref", required: true, note: "The consortium that runs the call" },
      { header: "call", kind: "slug", required: true, note: "The call's short name, e.g. JTC2024" },
      { header: "title", kind: "text", required: true, note: "The call's title as the source prints it" },
      {
        header: "kind",
        kind: { oneOf: Object.values(ProgrammeKind) },
        note: "TRANSNATIONAL_CALL when empty",
      },
      { header: "year", kind: "year", required: true, note: "The year the call opened, e.g. 2024" },
      { header: "budget", kind: "amount", note: "The stated budget as a number, e.g. 45000000" },
      {
        header: "currency",
        kind: "currency",
        note: "ISO 4217 code of the budget, e.g. EUR (required with a budget)",
      },
      { header: "pre-proposal deadline", kind: "date", note: "A date, e.g. 2024-03-05" },
      { header: "full-proposal deadline", kind: "date", note: "A date, e.g. 2024-06-20" },
      {
        header: "funders",
        kind: "refList",
        note: "The funders that fund the call, separated by ; (ids, acronyms or names)",
      },
      url,
      asOf,
    ],
  },
  {
    name: "Projects",
    description:
      "Projects funded by a transnational call (not CORDIS grants: those come from the CORDIS import).",
    key: ["grant reference"],
    columns: [
      {
        header: "grant reference",
        kind: "text",
        required: true,
        note: "The reference the call gives the project, e.g. ERAPERMED2019-163",
      },
      { header: "acronym", kind: "text", note: "e.g. P4-LUCAT" },
      { header: "title", kind: "text", required: true, note: "The project's title" },
      { header: "consortium", kind: "ref", required: true, note: "The consortium that ran the call" },
      { header: "call", kind: "slug", required: true, note: "The call's short name, e.g. JTC2019" },
      { header: "start", kind: "date", note: "Start date, e.g. 2020-04-01" },
      { header: "end", kind: "date", note: "End date, e.g. 2023-03-31" },
      url,
    ],
  },
  {
    name: "Partners",
    description: "The partners of the projects on the Projects sheet: one row per partner.",
    key: ["grant reference", "organisation"],
    columns: [
      {
        header: "grant reference",
        kind: "text",
        required: true,
        note: "A grant reference of the Projects sheet",
      },
      {
        header: "organisation",
        kind: "ref",
        required: true,
        note: "The partner's name as the source prints it, or an organisation id (org:...)",
      },
      { header: "country", kind: "country", required: true, note: "ISO alpha-2 code, e.g. ES" },
      {
        header: "role",
        kind: { oneOf: ["COORDINATOR", "PARTNER"] },
        required: true,
        note: "COORDINATOR or PARTNER",
      },
      { header: "amount", kind: "amount", note: "The partner's funding as a number" },
      { header: "currency", kind: "currency", note: "ISO 4217 code of the amount (required with an amount)" },
    ],
  },
  {
    name: "Facts",
    description:
      "Figures and facts as a source states them (a call's funded projects, a consortium's size), each about a consortium or a call.",
    key: ["subject", "attribute", "source URL", "as of"],
    columns: [
      {
        header: "subject",
        kind: "ref",
        required: true,
        note: "What the fact is about: a consortium or programme id, acronym or name, or a call as consortium/call (EP PerMed/JTC2024)",
      },
      {
        header: "attribute",
        kind: "attribute",
        required: true,
        note: "What is stated, in lowerCamelCase, e.g. fundedProjectCount, totalInvestment, fundingOrganisationCount",
      },
      { header: "value", kind: "number", note: "The number stated, if any, e.g. 27" },
      { header: "unit", kind: "text", note: "The unit of the value, e.g. EUR, projects" },
      {
        header: "qualifier",
        kind: { oneOf: Object.values(StatementQualifier) },
        note: "How the number is meant: EXACT, OVER, AT_LEAST, UP_TO, APPROXIMATELY",
      },
      { header: "statement", kind: "longText", required: true, note: "The source's words" },
      url,
      asOf,
    ],
  },
];

export const sheetSpec = (name: string) => SHEETS.find((sheet) => sheet.name === name);

/** A header as compared: case, spaces, hyphens and underscores do not matter. */
export const headerKey = (header: string) => header.toLowerCase().replace(/[\s_-]+/g, "");

/** Rows a sheet may hold: a workbook is curated by hand, not a data export. */
export const MAX_ROWS_PER_SHEET = 5000;

/** Excel's own limit for the characters of one cell. */
export const MAX_CELL_CHARACTERS = 32767;
