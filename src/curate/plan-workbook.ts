import { createHash } from "node:crypto";
import neo4j from "neo4j-driver";
import type { PropertyValue, WriteTransaction } from "../import/graph-writer.js";
import { REL, type RelationshipType } from "../model/relationships.js";
import { neo4jDate } from "../util/neo4j-date.js";
import { TimeSlicer } from "../util/time-slices.js";
import { parseCell } from "./cells.js";
import {
  existingIds,
  fold,
  type GraphKnowledge,
  type KnownBody,
  organisationsNamed,
  projectsByGrantReference,
  readKnowledge,
  slug,
} from "./graph-knowledge.js";
import { aboutFields } from "./read-workbook.js";
import type { ReadSheet, ReadWorkbook, WorkbookProblem } from "./workbook-shapes.js";
import { ABOUT_FIELDS, ABOUT_SHEET, headerKey, SHEETS, type SheetSpec } from "./workbook-spec.js";

/**
 * From a read workbook to what a load would write, checked against the graph: every cell parsed by
 * its column, every reference resolved to a body the graph knows (or one the workbook declares), and
 * every record given a stable id, so that the same workbook always plans the same records. Nothing is
 * written here.
 */

type Props = Record<string, PropertyValue | null>;

/** A node that a row states. `owned`: the workbook created it (and may change or remove it). */
export interface PlannedNode {
  id: string;
  labels: string[];
  properties: Props;
  sheet: string;
  row: number;
  owned: boolean;
}

export interface PlannedRelationship {
  type: RelationshipType;
  from: string;
  to: string;
  properties: Props;
  sheet: string;
  row: number;
}

/** A reference resolved to a body the graph already holds (what a curator should see before loading). */
export interface CurationMatch {
  sheet: string;
  cell: string;
  text: string;
  id: string;
  name: string;
}

export interface CurationPlan {
  problems: WorkbookProblem[];
  matches: CurationMatch[];
  /** Things the row states that other sources already recorded: left as they are. */
  alreadyRecorded: { sheet: string; row: number; record: string }[];
  sourceId: string;
  source: PlannedNode | undefined;
  nodes: PlannedNode[];
  relationships: PlannedRelationship[];
  rowsRead: number;
}

interface Row {
  sheet: string;
  row: number;
  values: Map<string, string | number | string[]>;
  /** Column header -> cell address, for messages. */
  cells: Map<string, string>;
}

const at = (row: Row, header: string) => row.cells.get(header) ?? `A${row.row}`;

type Column = SheetSpec["columns"][number];

/** The sheet's columns by column number, from its header row; adds a problem for each bad header. */
function parseHeaders(
  sheet: ReadSheet,
  spec: SheetSpec,
  problems: WorkbookProblem[],
): { columns: Map<number, Column>; seen: Map<string, string> } {
  const name = spec.name;
  const byKey = new Map(spec.columns.map((c) => [headerKey(c.header), c]));
  const columns = new Map<number, Column>();
  /** Column header -> the address of its header cell. */
  const seen = new Map<string, string>();
  for (const header of sheet.headers) {
    const column = byKey.get(headerKey(header.text));
    if (!column) {
      problems.push({
        sheet: name,
        cell: header.address,
        reason: `unknown column "${header.text}"; the columns are ${spec.columns.map((c) => c.header).join(", ")}`,
      });
      continue;
    }
    const earlier = seen.get(column.header);
    if (earlier) {
      problems.push({
        sheet: name,
        cell: header.address,
        reason: `column "${column.header}" named twice (also ${earlier})`,
      });
      continue;
    }
    seen.set(column.header, header.address);
    columns.set(header.column, column);
  }
  for (const column of spec.columns)
    if (column.required && !seen.has(column.header))
      problems.push({ sheet: name, cell: "A1", reason: `required column "${column.header}" is missing` });
  return { columns, seen };
}

/** One data row parsed by its columns; `ok` false when a cell has a problem (added to `problems`). */
function parseRow(
  sheet: ReadSheet,
  spec: SheetSpec,
  header: ReturnType<typeof parseHeaders>,
  { row, cells }: ReadSheet["rows"][number],
  knowledge: GraphKnowledge,
  problems: WorkbookProblem[],
): { parsed: Row; ok: boolean } {
  const name = spec.name;
  const parsed: Row = { sheet: name, row, values: new Map(), cells: new Map() };
  let ok = true;
  for (const [columnNumber, cell] of cells) {
    const column = header.columns.get(columnNumber);
    if (!column) {
      if (!sheet.headers.some((h) => h.column === columnNumber))
        problems.push({ sheet: name, cell: cell.address, reason: "a value in a column without a header" });
      ok = false;
      continue;
    }
    parsed.cells.set(column.header, cell.address);
    const result = parseCell(column.kind, cell.value, knowledge.countries);
    if (!result) continue;
    if ("problem" in result) {
      problems.push({ sheet: name, cell: cell.address, reason: `${column.header}: ${result.problem}` });
      ok = false;
    } else parsed.values.set(column.header, result.ok);
  }
  for (const column of spec.columns) {
    if (
      column.required &&
      header.seen.has(column.header) &&
      !parsed.values.has(column.header) &&
      !parsed.cells.has(column.header)
    ) {
      const letter = header.seen.get(column.header)!.replace(/\d+$/, "");
      problems.push({
        sheet: name,
        cell: `${letter}${row}`,
        reason: `${column.header}: required, but empty`,
      });
      ok = false;
    }
  }
  return { parsed, ok };
}

/**
 * Parses a sheet's header and rows by its spec, adding problems; rows with a bad cell are left out.
 * Gives the event loop a turn whenever `slicer`'s slice is spent: a sheet holds up to 5,000 rows.
 */
async function parseSheet(
  sheet: ReadSheet | undefined,
  spec: SheetSpec,
  knowledge: GraphKnowledge,
  problems: WorkbookProblem[],
  slicer: TimeSlicer,
): Promise<Row[]> {
  if (!sheet) return [];
  const name = spec.name;
  if (!sheet.headers.length) {
    problems.push({
      sheet: name,
      cell: "A1",
      reason: "the sheet is empty: its header row (row 1) is missing; copy it from the template",
    });
    return [];
  }
  const header = parseHeaders(sheet, spec, problems);
  const rows: Row[] = [];
  const keys = new Map<string, number>();
  for (const read of sheet.rows) {
    const { parsed, ok } = parseRow(sheet, spec, header, read, knowledge, problems);
    const key = spec.key.map((k) => fold(String(parsed.values.get(k) ?? ""))).join("|");
    const first = keys.get(key);
    if (first !== undefined && ok)
      problems.push({
        sheet: name,
        cell: `A${read.row}`,
        reason: `duplicate of row ${first} (same ${spec.key.join(", ")})`,
      });
    else if (ok) {
      keys.set(key, read.row);
      rows.push(parsed);
    }
    await slicer.pause();
  }
  return rows;
}

/** Names a body as a curator reads it: `funder:isciii (National Institute of Health Carlos III)`. */
const label = (body: { id: string; name: string }) => `${body.id} (${body.name})`;

/** A body's name and acronym folded, and the words of both: folded once per body, not once per row. */
interface FoldedBody {
  name: string;
  acronym: string | null;
  words: Set<string>;
}

const foldedBodies = new WeakMap<KnownBody, FoldedBody>();

function folded(body: KnownBody): FoldedBody {
  let found = foldedBodies.get(body);
  if (!found) {
    const name = fold(body.name);
    const acronym = body.acronym === null ? null : fold(body.acronym);
    found = {
      name,
      acronym,
      words: new Set(`${name} ${acronym ?? ""}`.split(" ").filter((w) => w.length > 2)),
    };
    foldedBodies.set(body, found);
  }
  return found;
}

/** The candidates whose id, name, acronym or "name (acronym)" is the text, folded. */
function exactMatches<T extends KnownBody>(text: string, bodies: T[]): T[] {
  const wanted = fold(text);
  const inParens = /^(.*)\(([^)]+)\)\s*$/.exec(text);
  const forms = new Set([wanted, ...(inParens ? [fold(inParens[1]!), fold(inParens[2]!)] : [])]);
  const id = text.trim();
  return bodies.filter((b) => {
    const f = folded(b);
    return b.id === id || forms.has(f.name) || (f.acronym !== null && forms.has(f.acronym));
  });
}

/** Bodies whose words mostly agree with the text: proposals for a name that matched nothing. */
function nearMatches<T extends KnownBody>(text: string, bodies: T[]): T[] {
  const words = new Set(
    fold(text)
      .split(" ")
      .filter((w) => w.length > 2),
  );
  if (!words.size) return [];
  return bodies
    .map((b) => {
      const theirs = folded(b).words;
      const shared = [...words].filter((w) => theirs.has(w)).length;
      return { b, score: shared / Math.max(1, Math.min(words.size, theirs.size)) };
    })
    .filter((x) => x.score >= 0.5)
    .sort((x, y) => y.score - x.score)
    .slice(0, 3)
    .map((x) => x.b);
}

/** What the steps of a plan share: the graph as read, the workbook's source, and what is planned so far. */
interface Planning {
  tx: WriteTransaction;
  /** Turns of the event loop between rows (the server's thread also answers other requests). */
  slicer: TimeSlicer;
  knowledge: GraphKnowledge;
  sourceId: string;
  /** The About sheet's name for the workbook; the ids of its stated facts carry it. */
  workbookKey: string | undefined;
  problems: WorkbookProblem[];
  matches: CurationMatch[];
  nodes: Map<string, PlannedNode>;
  relationships: PlannedRelationship[];
  /** Funders the other sheets may name: the graph's, and those the Funders sheet declares. */
  funders: KnownBody[];
  /** Programme ids of the Calls sheet's calls, by `callKey`. */
  calls: Map<string, string>;
  /** Project ids of the Projects sheet's rows, by folded grant reference. */
  projectIds: Map<string, string>;
}

/** Where a row or a planned node came from. */
type Origin = { sheet: string; row: number };

const funderHint = ", or declare the funder on the Funders sheet";

function problem(plan: Planning, row: Row, header: string, reason: string): void {
  plan.problems.push({ sheet: row.sheet, cell: at(row, header), reason });
}

/** What marks a node as the workbook's, so that a later version of it may change or remove the node. */
const owner = (plan: Planning, sheet: string) => ({ curatedBy: plan.sourceId, curatedSheet: sheet });

/** The first row that states a node plans it; later rows only refer to it. */
function addNode(plan: Planning, node: PlannedNode): void {
  if (!plan.nodes.has(node.id)) plan.nodes.set(node.id, node);
}

/** Plans a relationship, marked with the workbook and the row that states it. */
function relate(
  plan: Planning,
  type: RelationshipType,
  from: string,
  to: string,
  origin: Origin,
  props: Props = {},
): void {
  plan.relationships.push({
    type,
    from,
    to,
    properties: {
      ...props,
      curatedBy: plan.sourceId,
      curatedSheet: origin.sheet,
      curatedRow: neo4j.int(origin.row),
    },
    sheet: origin.sheet,
    row: origin.row,
  });
}

/** Resolves a reference to one body, recording the match, or adds a problem proposing near ones. */
function resolve(
  plan: Planning,
  row: Row,
  header: string,
  text: string,
  kind: string,
  bodies: KnownBody[],
  hint = "",
): KnownBody | undefined {
  const cell = at(row, header);
  const found = exactMatches(text, bodies);
  const distinct = [...new Map(found.map((b) => [b.id, b])).values()];
  if (distinct.length === 1) {
    const body = distinct[0]!;
    if (body.id !== text.trim() && body.curatedBy !== plan.sourceId)
      plan.matches.push({ sheet: row.sheet, cell, text, id: body.id, name: body.name });
    return body;
  }
  if (distinct.length > 1) {
    plan.problems.push({
      sheet: row.sheet,
      cell,
      reason: `${header}: "${text}" could be ${distinct.map(label).join(" or ")}; write the id`,
    });
    return undefined;
  }
  const near = nearMatches(text, bodies);
  plan.problems.push({
    sheet: row.sheet,
    cell,
    reason: `${header}: unknown ${kind} "${text}"${near.length ? `; did you mean ${near.map(label).join(" or ")}? Write its id` : ""}${hint}`,
  });
  return undefined;
}

const resolveConsortium = (plan: Planning, row: Row) =>
  resolve(
    plan,
    row,
    "consortium",
    row.values.get("consortium") as string,
    "consortium",
    plan.knowledge.consortia,
  );

/** Reads the About sheet: who keeps the workbook, and the name that stays the same across its versions. */
function readAbout(read: ReadWorkbook, knowledge: GraphKnowledge, problems: WorkbookProblem[]) {
  const about = aboutFields(read.sheets.get(ABOUT_SHEET));
  const value = (field: string): string | undefined => {
    const spec = ABOUT_FIELDS.find((f) => f.header === field)!;
    const cell = about.get(field);
    const parsed = cell ? parseCell(spec.kind, cell.value, knowledge.countries) : undefined;
    if (!parsed) {
      if (spec.required && read.sheets.has(ABOUT_SHEET))
        problems.push({
          sheet: ABOUT_SHEET,
          cell: cell?.address ?? "B1",
          reason: `${field}: required, but empty (write "${field}" in column A and its value in column B)`,
        });
      return undefined;
    }
    if ("problem" in parsed) {
      problems.push({ sheet: ABOUT_SHEET, cell: cell!.address, reason: `${field}: ${parsed.problem}` });
      return undefined;
    }
    return String(parsed.ok);
  };
  return {
    workbookKey: value("workbook"),
    title: value("title"),
    curator: value("curator"),
    description: value("description"),
    workbookCell: about.get("workbook")?.address,
  };
}

type About = ReturnType<typeof readAbout>;

/**
 * Builds the plan. Reads the graph in `tx`; writes nothing. Its loops over rows give the event loop a
 * turn whenever `slicer`'s slice is spent (a sheet holds up to 5,000 rows).
 */
export async function planWorkbook(
  read: ReadWorkbook,
  tx: WriteTransaction,
  slicer = new TimeSlicer(),
): Promise<CurationPlan> {
  const problems: WorkbookProblem[] = [...read.problems];
  const knowledge = await readKnowledge(tx);
  const about = readAbout(read, knowledge, problems);
  const rowsOf = (name: string) =>
    parseSheet(read.sheets.get(name), SHEETS.find((s) => s.name === name)!, knowledge, problems, slicer);
  const funderRows = await rowsOf("Funders");
  const membershipRows = await rowsOf("Memberships");
  const callRows = await rowsOf("Calls");
  const projectRows = await rowsOf("Projects");
  const partnerRows = await rowsOf("Partners");
  const factRows = await rowsOf("Facts");
  const plan: Planning = {
    tx,
    slicer,
    knowledge,
    sourceId: `source:workbook-${(about.workbookKey ?? "unnamed").toLowerCase()}`,
    workbookKey: about.workbookKey,
    problems,
    matches: [],
    nodes: new Map(),
    relationships: [],
    funders: knowledge.funders,
    calls: new Map(),
    projectIds: new Map(),
  };
  // Each step may refer to what the earlier ones planned: calls to declared funders, projects to calls,
  // partners to projects, facts to calls.
  await planFunders(plan, funderRows);
  await planMemberships(plan, membershipRows);
  await planCalls(plan, callRows);
  await planProjects(plan, projectRows);
  await planPartners(plan, partnerRows);
  await planFacts(plan, factRows);
  const source = await planSource(plan, read, about);
  await linkToSource(plan);
  const { kept, alreadyRecorded } = await leaveForeignRelationships(plan);
  const rowsRead = [...read.sheets.values()].reduce((sum, sheet) => sum + sheet.rows.length, 0);
  return {
    problems,
    matches: plan.matches,
    alreadyRecorded,
    sourceId: plan.sourceId,
    source,
    nodes: [...plan.nodes.values()],
    relationships: kept,
    rowsRead,
  };
}

type ExistingIds = Awaited<ReturnType<typeof existingIds>>;

/** The Funders sheet: funders the workbook declares, which the other sheets may then name. */
async function planFunders(plan: Planning, rows: Row[]): Promise<void> {
  const existing = await existingIds(
    plan.tx,
    rows.map((r) => `funder:${String(r.values.get("id")).toLowerCase()}`),
  );
  const declared: KnownBody[] = [];
  for (const row of rows) {
    const funder = declareFunder(plan, row, existing);
    if (funder) declared.push(funder);
    await plan.slicer.pause();
  }
  const declaredIds = new Set(declared.map((d) => d.id));
  plan.funders = [...plan.knowledge.funders.filter((f) => !declaredIds.has(f.id)), ...declared];
}

/** Plans one declared funder, unless the atlas already has it by its id, name or acronym. */
function declareFunder(plan: Planning, row: Row, existing: ExistingIds): KnownBody | undefined {
  const id = `funder:${String(row.values.get("id")).toLowerCase()}`;
  const name = row.values.get("name") as string;
  const acronym = (row.values.get("acronym") as string | undefined) ?? null;
  const country = (row.values.get("country") as string | undefined) ?? null;
  const there = existing.get(id);
  if (there && there.curatedBy !== plan.sourceId) {
    problem(
      plan,
      row,
      "id",
      `${id} already exists (${there.name ?? there.labels.join("/")}); name it by its id on the other sheets instead of declaring it`,
    );
    return undefined;
  }
  const others = plan.knowledge.funders.filter((f) => f.id !== id);
  const same = exactMatches(name, others)
    .concat(acronym ? exactMatches(acronym, others) : [])
    .filter((f) => f.curatedBy !== plan.sourceId || f.id !== id);
  if (same.length) {
    problem(
      plan,
      row,
      "name",
      `the atlas already knows ${[...new Set(same.map(label))].join(", ")}; name it by that id on the other sheets instead of declaring a new funder`,
    );
    return undefined;
  }
  addNode(plan, {
    id,
    labels: ["Funder"],
    properties: {
      name,
      acronym,
      kind: row.values.get("kind") as string,
      website: (row.values.get("website") as string | undefined) ?? null,
      sourceUrl: row.values.get("source URL") as string,
      ...owner(plan, row.sheet),
    },
    sheet: row.sheet,
    row: row.row,
    owned: true,
  });
  if (country) relate(plan, REL.BASED_IN, id, `country:${country}`, row);
  return { id, name, acronym, country, curatedBy: plan.sourceId };
}

/** The Memberships sheet: a funder's membership of a consortium, with its evidence. */
async function planMemberships(plan: Planning, rows: Row[]): Promise<void> {
  for (const row of rows) {
    await plan.slicer.pause();
    const body = resolve(
      plan,
      row,
      "body",
      row.values.get("body") as string,
      "funder",
      plan.funders,
      funderHint,
    );
    const consortium = resolveConsortium(plan, row);
    const country = row.values.get("country") as string | undefined;
    if (body && country && body.country && body.country !== country) {
      problem(plan, row, "country", `country: ${body.id} is based in ${body.country}, not ${country}`);
      continue;
    }
    if (!body || !consortium) continue;
    relate(plan, REL.MEMBER_OF, body.id, consortium.id, row, {
      status: row.values.get("status") as string,
      since: (row.values.get("since") as number | undefined) ?? null,
      evidence: row.values.get("evidence") as string,
      asOf: (row.values.get("as of") as string | undefined) ?? null,
      evidenceSource: plan.sourceId,
      evidenceUrl: row.values.get("source URL") as string,
    });
  }
}

const callKey = (consortiumId: string, call: string) => `${consortiumId}|${fold(call)}`;

/** The id a call of the consortium gets when the graph does not have it yet. */
const newCallId = (consortiumId: string, call: string) =>
  `programme:${consortiumId.replace(/^consortium:/, "")}-${slug(call)}`;

/** The graph's programme for a consortium's call, by its short name or the id a workbook gave it. */
const knownCall = (knowledge: GraphKnowledge, consortiumId: string, call: string) =>
  knowledge.programmes.find(
    (g) =>
      g.runBy.includes(consortiumId) &&
      (fold(g.acronym ?? "") === fold(call) || g.id === newCallId(consortiumId, call)),
  );

/** A call named on another sheet: one of the Calls sheet's, or one the graph has. */
const callId = (plan: Planning, consortiumId: string, call: string) =>
  plan.calls.get(callKey(consortiumId, call)) ?? knownCall(plan.knowledge, consortiumId, call)?.id;

/** The Calls sheet: a programme run by the consortium, matched by its short name where the graph has it. */
async function planCalls(plan: Planning, rows: Row[]): Promise<void> {
  for (const row of rows) {
    await plan.slicer.pause();
    const consortium = resolveConsortium(plan, row);
    if (!consortium) continue;
    const call = row.values.get("call") as string;
    const known = knownCall(plan.knowledge, consortium.id, call);
    const id = known?.id ?? newCallId(consortium.id, call);
    const owned = !known || known.curatedBy === plan.sourceId;
    if (known && !owned)
      plan.matches.push({
        sheet: row.sheet,
        cell: at(row, "call"),
        text: call,
        id: known.id,
        name: known.name,
      });
    plan.calls.set(callKey(consortium.id, call), id);
    if (!planCall(plan, row, id, owned)) continue;
    if (owned) relate(plan, REL.RUN_BY, id, consortium.id, row);
    for (const text of (row.values.get("funders") as string[] | undefined) ?? []) {
      const funder = resolve(plan, row, "funders", text, "funder", plan.funders, funderHint);
      if (funder) relate(plan, REL.FUNDED_BY, id, funder.id, row);
    }
    planDeadlines(plan, row, id);
  }
}

/** Plans a call's programme node; false, with a problem, when its budget has no currency. */
function planCall(plan: Planning, row: Row, id: string, owned: boolean): boolean {
  const budget = row.values.get("budget") as number | undefined;
  const currency = row.values.get("currency") as string | undefined;
  if (budget !== undefined && !currency) {
    problem(plan, row, "currency", "currency: required with a budget (an ISO 4217 code such as EUR)");
    return false;
  }
  addNode(plan, {
    id,
    labels: ["Programme"],
    properties: {
      name: row.values.get("title") as string,
      acronym: row.values.get("call") as string,
      kind: (row.values.get("kind") as string | undefined) ?? "TRANSNATIONAL_CALL",
      startYear: row.values.get("year") as number,
      budget: currency === "EUR" ? (budget ?? null) : null,
      budgetOriginal: currency && currency !== "EUR" ? (budget ?? null) : null,
      budgetCurrency: currency && currency !== "EUR" ? currency : null,
      website: row.values.get("source URL") as string,
      ...owner(plan, row.sheet),
    },
    sheet: row.sheet,
    row: row.row,
    owned,
  });
  return true;
}

/** A call's proposal deadlines, stated as facts about its programme. */
function planDeadlines(plan: Planning, row: Row, id: string): void {
  for (const [field, attribute] of [
    ["pre-proposal deadline", "preProposalDeadline"],
    ["full-proposal deadline", "fullProposalDeadline"],
  ] as const) {
    const date = row.values.get(field) as string | undefined;
    if (!date) continue;
    const factId = `fact:${(plan.workbookKey ?? "x").toLowerCase()}-${id.replace(/^programme:/, "")}-${attribute.toLowerCase()}`;
    addNode(plan, {
      id: factId,
      labels: ["StatedFact"],
      properties: {
        attribute,
        statement: `${field} ${date}`,
        value: null,
        unit: null,
        qualifier: null,
        asOf: (row.values.get("as of") as string | undefined) ?? null,
        context: row.values.get("source URL") as string,
        ...owner(plan, row.sheet),
      },
      sheet: row.sheet,
      row: row.row,
      owned: true,
    });
    relate(plan, REL.ABOUT, factId, id, row);
  }
}

/** The Projects sheet: projects of the calls, matched by grant reference where the graph has them. */
async function planProjects(plan: Planning, rows: Row[]): Promise<void> {
  const referenceOf = (row: Row) => row.values.get("grant reference") as string;
  const byReference = await projectsByGrantReference(plan.tx, rows.map(referenceOf));
  const newProjectIds = rows
    .filter((r) => !byReference.has(referenceOf(r)))
    .map((r) => `project:${slug(referenceOf(r))}`);
  const takenProjects = await existingIds(plan.tx, newProjectIds);
  for (const row of rows) {
    await plan.slicer.pause();
    const consortium = resolveConsortium(plan, row);
    if (!consortium) continue;
    const call = row.values.get("call") as string;
    const programme = callId(plan, consortium.id, call);
    if (!programme) {
      problem(
        plan,
        row,
        "call",
        `call: ${consortium.acronym ?? consortium.name} has no call "${call}" in the atlas or on the Calls sheet`,
      );
      continue;
    }
    const reference = referenceOf(row);
    const known = byReference.get(reference);
    let id = known?.id ?? `project:${slug(reference)}`;
    const taken = takenProjects.get(id);
    // Another source's node holds the slug: the workbook's project gets an id of its own.
    if (!known && taken && taken.curatedBy !== plan.sourceId)
      id = `${id}-${createHash("sha1").update(reference).digest("hex").slice(0, 6)}`;
    const owned = !known || known.curatedBy === plan.sourceId;
    if (known && !owned)
      plan.matches.push({
        sheet: row.sheet,
        cell: at(row, "grant reference"),
        text: reference,
        id: known.id,
        name: reference,
      });
    plan.projectIds.set(fold(reference), id);
    if (planProject(plan, row, id, owned)) relate(plan, REL.FUNDED_UNDER, id, programme, row);
  }
}

/** Plans a project's node; false, with a problem, when it ends before it starts. */
function planProject(plan: Planning, row: Row, id: string, owned: boolean): boolean {
  const start = row.values.get("start") as string | undefined;
  const end = row.values.get("end") as string | undefined;
  if (start && end && end < start) {
    problem(plan, row, "end", `end: ${end} is before the start ${start}`);
    return false;
  }
  addNode(plan, {
    id,
    labels: ["Project"],
    properties: {
      title: row.values.get("title") as string,
      acronym: (row.values.get("acronym") as string | undefined) ?? null,
      grantReference: row.values.get("grant reference") as string,
      startDate: start ? neo4jDate(start) : null,
      endDate: end ? neo4jDate(end) : null,
      startYear: start ? Number(start.slice(0, 4)) : null,
      sourceUrl: row.values.get("source URL") as string,
      ...owner(plan, row.sheet),
    },
    sheet: row.sheet,
    row: row.row,
    owned,
  });
  return true;
}

/** What the Partners sheet needs to find or create a row's organisation. */
interface OrganisationLookup {
  /** Which of the organisation ids the rows name or would create exist already. */
  taken: ExistingIds;
  /** Organisations by folded name or acronym and country, in the order organisationsNamed gave them. */
  byFoldedName: Map<string, KnownBody[]>;
  /** Organisations whose LOCATED_IN is planned already. */
  located: Set<string>;
}

/** The Partners sheet: organisations matched by id, or by name in the same country; new ones are created. */
async function planPartners(plan: Planning, rows: Row[]): Promise<void> {
  const lookup = await organisationLookup(plan, rows);
  for (const row of rows) {
    await plan.slicer.pause();
    const reference = row.values.get("grant reference") as string;
    const project =
      plan.projectIds.get(fold(reference)) ??
      (await projectsByGrantReference(plan.tx, [reference])).get(reference)?.id;
    if (!project) {
      problem(
        plan,
        row,
        "grant reference",
        `grant reference: "${reference}" is not on the Projects sheet nor in the atlas`,
      );
      continue;
    }
    const organisation = partnerOrganisation(plan, row, lookup);
    if (!organisation) continue;
    const amount = row.values.get("amount") as number | undefined;
    const currency = row.values.get("currency") as string | undefined;
    if (amount !== undefined && !currency) {
      problem(plan, row, "currency", "currency: required with an amount (an ISO 4217 code such as EUR)");
      continue;
    }
    relate(plan, REL.PARTICIPATES_IN, organisation, project, row, {
      role: row.values.get("role") as string,
      contribution: currency === "EUR" ? (amount ?? null) : null,
      contributionOriginal: currency && currency !== "EUR" ? (amount ?? null) : null,
      contributionCurrency: currency && currency !== "EUR" ? currency : null,
    });
  }
}

/** The organisations the rows name or would create, as the graph has them: read once for all rows. */
async function organisationLookup(plan: Planning, rows: Row[]): Promise<OrganisationLookup> {
  const texts = rows.map((r) => r.values.get("organisation") as string);
  const named = await organisationsNamed(
    plan.tx,
    texts.filter((t) => !t.startsWith("org:")),
  );
  const taken = await existingIds(
    plan.tx,
    texts.map((t) => (t.startsWith("org:") ? t : `org:${slug(t)}`)),
  );
  // One lookup per partner row instead of a scan of every named organisation.
  const byFoldedName = new Map<string, KnownBody[]>();
  for (const o of named) {
    const keys = new Set([`${fold(o.name)}|${o.country}`, `${fold(o.acronym ?? "")}|${o.country}`]);
    for (const key of keys) byFoldedName.set(key, [...(byFoldedName.get(key) ?? []), o]);
  }
  return { taken, byFoldedName, located: new Set() };
}

/** The id of a partner row's organisation, planning it if the workbook creates it; undefined on a problem. */
function partnerOrganisation(plan: Planning, row: Row, lookup: OrganisationLookup): string | undefined {
  const text = row.values.get("organisation") as string;
  const country = row.values.get("country") as string;
  if (text.startsWith("org:")) {
    if (lookup.taken.has(text)) return text;
    problem(
      plan,
      row,
      "organisation",
      `organisation: unknown id ${text}; write the organisation's name to create it`,
    );
    return undefined;
  }
  const same = lookup.byFoldedName.get(`${fold(text)}|${country}`) ?? [];
  if (same.length && same[0]!.curatedBy !== plan.sourceId) {
    const organisation = same[0]!.id;
    plan.matches.push({
      sheet: row.sheet,
      cell: at(row, "organisation"),
      text,
      id: organisation,
      name: same[0]!.name,
    });
    return organisation;
  }
  let organisation = same[0]?.id ?? `org:${slug(text)}`;
  const taken = lookup.taken.get(organisation);
  // Another source's organisation of that name, elsewhere: the workbook's gets its country in the id.
  if (!same.length && taken && taken.curatedBy !== plan.sourceId)
    organisation = `org:${slug(text)}-${country.toLowerCase()}`;
  addNode(plan, {
    id: organisation,
    labels: ["Organisation"],
    properties: { name: text, ...owner(plan, row.sheet) },
    sheet: row.sheet,
    row: row.row,
    owned: true,
  });
  if (!lookup.located.has(organisation)) {
    lookup.located.add(organisation);
    relate(plan, REL.LOCATED_IN, organisation, `country:${country}`, row);
  }
  return organisation;
}

/** The Facts sheet: stated facts about a consortium, a programme, or a call written consortium/call. */
async function planFacts(plan: Planning, rows: Row[]): Promise<void> {
  const subjects: KnownBody[] = [...plan.knowledge.consortia, ...plan.knowledge.programmes];
  for (const row of rows) {
    await plan.slicer.pause();
    const subject = factSubject(plan, row, subjects);
    if (!subject) continue;
    const attribute = row.values.get("attribute") as string;
    const key = [subject, attribute, row.values.get("source URL"), row.values.get("as of") ?? ""].join("|");
    const id = `fact:${(plan.workbookKey ?? "x").toLowerCase()}-${slug(attribute)}-${createHash("sha1").update(key).digest("hex").slice(0, 8)}`;
    addNode(plan, {
      id,
      labels: ["StatedFact"],
      properties: {
        attribute,
        statement: row.values.get("statement") as string,
        value: (row.values.get("value") as number | undefined) ?? null,
        unit: (row.values.get("unit") as string | undefined) ?? null,
        qualifier: (row.values.get("qualifier") as string | undefined) ?? null,
        asOf: (row.values.get("as of") as string | undefined) ?? null,
        context: row.values.get("source URL") as string,
        ...owner(plan, row.sheet),
      },
      sheet: row.sheet,
      row: row.row,
      owned: true,
    });
    relate(plan, REL.ABOUT, id, subject, row);
  }
}

/** The id of what a fact is about; undefined, with a problem, when it names nothing the plan knows. */
function factSubject(plan: Planning, row: Row, subjects: KnownBody[]): string | undefined {
  const text = row.values.get("subject") as string;
  const split = /^(.+)\/([^/]+)$/.exec(text);
  if (!split || text.includes(":")) {
    const hint = "; a call is written consortium/call, e.g. EP PerMed/JTC2024";
    return resolve(plan, row, "subject", text, "consortium or programme", subjects, hint)?.id;
  }
  const consortium = resolve(plan, row, "subject", split[1]!.trim(), "consortium", plan.knowledge.consortia);
  if (!consortium) return undefined;
  const call = split[2]!.trim();
  const subject = callId(plan, consortium.id, call);
  if (!subject)
    problem(
      plan,
      row,
      "subject",
      `subject: ${consortium.acronym ?? consortium.name} has no call "${call}" in the atlas or on the Calls sheet`,
    );
  return subject;
}

/** The workbook's Source node; a problem when the name is another source's. */
async function planSource(
  plan: Planning,
  read: ReadWorkbook,
  about: About,
): Promise<PlannedNode | undefined> {
  const existingSource = (await existingIds(plan.tx, [plan.sourceId])).get(plan.sourceId);
  if (existingSource && existingSource.curatedBy !== plan.sourceId)
    plan.problems.push({
      sheet: ABOUT_SHEET,
      cell: about.workbookCell ?? "B1",
      reason: `workbook: ${plan.sourceId} is a source that was not loaded from a workbook; choose another name`,
    });
  if (!about.workbookKey) return undefined;
  return {
    id: plan.sourceId,
    labels: ["Source"],
    properties: {
      title: about.title ?? about.workbookKey,
      kind: "DATASET",
      publisher: about.curator ?? null,
      curator: about.curator ?? null,
      description: about.description ?? null,
      fileName: read.fileName,
      sha256: read.sha256,
      curatedBy: plan.sourceId,
      curatedSheet: ABOUT_SHEET,
    },
    sheet: ABOUT_SHEET,
    row: 1,
    owned: true,
  };
}

/** Every record the workbook states is SOURCED_FROM its Source. */
async function linkToSource(plan: Planning): Promise<void> {
  for (const node of plan.nodes.values()) {
    relate(plan, REL.SOURCED_FROM, node.id, plan.sourceId, node);
    await plan.slicer.pause();
  }
}

/** Relationships looked up per query by leaveForeignRelationships. */
const FOREIGN_BATCH = 2_000;

/**
 * A relationship that another source already recorded stays theirs: the row is shown as recorded
 * instead. The rest is kept once each.
 */
async function leaveForeignRelationships(
  plan: Planning,
): Promise<{ kept: PlannedRelationship[]; alreadyRecorded: CurationPlan["alreadyRecorded"] }> {
  const recorded = new Set<string>();
  // In batches: one query of every relationship is megabytes of parameters packed in one go on the
  // server's thread.
  for (let i = 0; i < plan.relationships.length; i += FOREIGN_BATCH) {
    const batch = plan.relationships.slice(i, i + FOREIGN_BATCH);
    const foreign = await plan.tx.run(
      `UNWIND $rels AS rel
       MATCH (a:Entity {id: rel.from})-[r]->(b:Entity {id: rel.to}) WHERE type(r) = rel.type AND coalesce(r.curatedBy, '') <> $source
       RETURN DISTINCT rel.type + ' ' + rel.from + ' -> ' + rel.to AS key`,
      { rels: batch.map((r) => ({ type: r.type, from: r.from, to: r.to })), source: plan.sourceId },
    );
    for (const record of foreign.records) recorded.add(record.get("key") as string);
  }
  const kept: PlannedRelationship[] = [];
  const alreadyRecorded: CurationPlan["alreadyRecorded"] = [];
  // By key, not by scanning what is kept: a sheet of thousands of rows would make this quadratic,
  // seconds of the server's event loop.
  const keptKeys = new Set<string>();
  for (const rel of plan.relationships) {
    await plan.slicer.pause();
    const key = `${rel.type} ${rel.from} -> ${rel.to}`;
    if (recorded.has(key)) {
      if (rel.type !== REL.SOURCED_FROM)
        alreadyRecorded.push({ sheet: rel.sheet, row: rel.row, record: key });
    } else if (!keptKeys.has(key)) {
      keptKeys.add(key);
      kept.push(rel);
    }
  }
  return { kept, alreadyRecorded };
}
