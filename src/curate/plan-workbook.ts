import { createHash } from "node:crypto";
import neo4j from "neo4j-driver";
import type { PropertyValue, WriteTransaction } from "../import/graph-writer.js";
import { REL, type RelationshipType } from "../model/relationships.js";
import { neo4jDate } from "../util/neo4j-date.js";
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
import { aboutFields, type ReadSheet, type ReadWorkbook, type WorkbookProblem } from "./read-workbook.js";
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

/** Parses a sheet's header and rows by its spec, adding problems; rows with a bad cell are left out. */
function parseSheet(
  sheet: ReadSheet | undefined,
  spec: SheetSpec,
  knowledge: GraphKnowledge,
  problems: WorkbookProblem[],
): Row[] {
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
  const byKey = new Map(spec.columns.map((c) => [headerKey(c.header), c]));
  const columns = new Map<number, (typeof spec.columns)[number]>();
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
  const rows: Row[] = [];
  const keys = new Map<string, number>();
  for (const { row, cells } of sheet.rows) {
    const parsed: Row = { sheet: name, row, values: new Map(), cells: new Map() };
    let ok = true;
    for (const [columnNumber, cell] of cells) {
      const column = columns.get(columnNumber);
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
        seen.has(column.header) &&
        !parsed.values.has(column.header) &&
        !parsed.cells.has(column.header)
      ) {
        const letter = seen.get(column.header)!.replace(/\d+$/, "");
        problems.push({
          sheet: name,
          cell: `${letter}${row}`,
          reason: `${column.header}: required, but empty`,
        });
        ok = false;
      }
    }
    const key = spec.key.map((k) => fold(String(parsed.values.get(k) ?? ""))).join("|");
    const first = keys.get(key);
    if (first !== undefined && ok) {
      problems.push({
        sheet: name,
        cell: `A${row}`,
        reason: `duplicate of row ${first} (same ${spec.key.join(", ")})`,
      });
      ok = false;
    } else if (ok) keys.set(key, row);
    if (ok) rows.push(parsed);
  }
  return rows;
}

/** Names a body as a curator reads it: `funder:isciii (National Institute of Health Carlos III)`. */
const label = (body: { id: string; name: string }) => `${body.id} (${body.name})`;

/** The candidates whose id, name, acronym or "name (acronym)" is the text, folded. */
function exactMatches<T extends KnownBody>(text: string, bodies: T[]): T[] {
  const wanted = fold(text);
  const inParens = /^(.*)\(([^)]+)\)\s*$/.exec(text);
  const forms = new Set([wanted, ...(inParens ? [fold(inParens[1]!), fold(inParens[2]!)] : [])]);
  return bodies.filter(
    (b) =>
      b.id === text.trim() || forms.has(fold(b.name)) || (b.acronym !== null && forms.has(fold(b.acronym))),
  );
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
      const theirs = new Set(
        `${fold(b.name)} ${fold(b.acronym ?? "")}`.split(" ").filter((w) => w.length > 2),
      );
      const shared = [...words].filter((w) => theirs.has(w)).length;
      return { b, score: shared / Math.max(1, Math.min(words.size, theirs.size)) };
    })
    .filter((x) => x.score >= 0.5)
    .sort((x, y) => y.score - x.score)
    .slice(0, 3)
    .map((x) => x.b);
}

/** Builds the plan. Reads the graph in `tx`; writes nothing. */
export async function planWorkbook(read: ReadWorkbook, tx: WriteTransaction): Promise<CurationPlan> {
  const problems: WorkbookProblem[] = [...read.problems];
  const matches: CurationMatch[] = [];
  const alreadyRecorded: CurationPlan["alreadyRecorded"] = [];
  const knowledge = await readKnowledge(tx);

  // About: who keeps the workbook, and the name that stays the same across its versions.
  const about = aboutFields(read.sheets.get(ABOUT_SHEET));
  const aboutValue = (field: string): string | undefined => {
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
  const workbookKey = aboutValue("workbook");
  const title = aboutValue("title");
  const curator = aboutValue("curator");
  const description = aboutValue("description");
  const sourceId = `source:workbook-${(workbookKey ?? "unnamed").toLowerCase()}`;

  const rowsOf = (name: string) =>
    parseSheet(read.sheets.get(name), SHEETS.find((s) => s.name === name)!, knowledge, problems);
  const funderRows = rowsOf("Funders");
  const membershipRows = rowsOf("Memberships");
  const callRows = rowsOf("Calls");
  const projectRows = rowsOf("Projects");
  const partnerRows = rowsOf("Partners");
  const factRows = rowsOf("Facts");

  const nodes = new Map<string, PlannedNode>();
  const relationships: PlannedRelationship[] = [];
  const owner = (sheet: string) => ({ curatedBy: sourceId, curatedSheet: sheet });
  const relProps = (sheet: string, row: number, props: Props): Props => ({
    ...props,
    curatedBy: sourceId,
    curatedSheet: sheet,
    curatedRow: neo4j.int(row),
  });
  const addNode = (node: PlannedNode) => {
    if (!nodes.has(node.id)) nodes.set(node.id, node);
  };

  // Funders declared by the workbook.
  const declared: KnownBody[] = [];
  const existing = await existingIds(
    tx,
    funderRows.map((r) => `funder:${String(r.values.get("id")).toLowerCase()}`),
  );
  for (const row of funderRows) {
    const id = `funder:${String(row.values.get("id")).toLowerCase()}`;
    const name = row.values.get("name") as string;
    const acronym = (row.values.get("acronym") as string | undefined) ?? null;
    const country = (row.values.get("country") as string | undefined) ?? null;
    const there = existing.get(id);
    if (there && there.curatedBy !== sourceId) {
      problems.push({
        sheet: "Funders",
        cell: at(row, "id"),
        reason: `${id} already exists (${there.name ?? there.labels.join("/")}); name it by its id on the other sheets instead of declaring it`,
      });
      continue;
    }
    const same = exactMatches(
      name,
      knowledge.funders.filter((f) => f.id !== id),
    )
      .concat(
        acronym
          ? exactMatches(
              acronym,
              knowledge.funders.filter((f) => f.id !== id),
            )
          : [],
      )
      .filter((f) => f.curatedBy !== sourceId || f.id !== id);
    if (same.length) {
      problems.push({
        sheet: "Funders",
        cell: at(row, "name"),
        reason: `the atlas already knows ${[...new Set(same.map(label))].join(", ")}; name it by that id on the other sheets instead of declaring a new funder`,
      });
      continue;
    }
    declared.push({ id, name, acronym, country, curatedBy: sourceId });
    addNode({
      id,
      labels: ["Funder"],
      properties: {
        name,
        acronym,
        kind: row.values.get("kind") as string,
        website: (row.values.get("website") as string | undefined) ?? null,
        sourceUrl: row.values.get("source URL") as string,
        ...owner("Funders"),
      },
      sheet: "Funders",
      row: row.row,
      owned: true,
    });
    if (country)
      relationships.push({
        type: REL.BASED_IN,
        from: id,
        to: `country:${country}`,
        properties: relProps("Funders", row.row, {}),
        sheet: "Funders",
        row: row.row,
      });
  }

  /** Resolves a reference to one body, recording the match, or adds a problem proposing near ones. */
  const resolve = (
    row: Row,
    header: string,
    text: string,
    kind: string,
    bodies: KnownBody[],
    hint: string,
  ): KnownBody | undefined => {
    const cell = at(row, header);
    const found = exactMatches(text, bodies);
    const distinct = [...new Map(found.map((b) => [b.id, b])).values()];
    if (distinct.length === 1) {
      const body = distinct[0]!;
      if (body.id !== text.trim() && body.curatedBy !== sourceId)
        matches.push({ sheet: row.sheet, cell, text, id: body.id, name: body.name });
      return body;
    }
    if (distinct.length > 1) {
      problems.push({
        sheet: row.sheet,
        cell,
        reason: `${header}: "${text}" could be ${distinct.map(label).join(" or ")}; write the id`,
      });
      return undefined;
    }
    const near = nearMatches(text, bodies);
    problems.push({
      sheet: row.sheet,
      cell,
      reason: `${header}: unknown ${kind} "${text}"${near.length ? `; did you mean ${near.map(label).join(" or ")}? Write its id` : ""}${hint}`,
    });
    return undefined;
  };
  const funders = [...knowledge.funders.filter((f) => !declared.some((d) => d.id === f.id)), ...declared];
  const funderHint = ", or declare the funder on the Funders sheet";

  // Memberships.
  for (const row of membershipRows) {
    const body = resolve(row, "body", row.values.get("body") as string, "funder", funders, funderHint);
    const consortium = resolve(
      row,
      "consortium",
      row.values.get("consortium") as string,
      "consortium",
      knowledge.consortia,
      "",
    );
    const country = row.values.get("country") as string | undefined;
    if (body && country && body.country && body.country !== country) {
      problems.push({
        sheet: row.sheet,
        cell: at(row, "country"),
        reason: `country: ${body.id} is based in ${body.country}, not ${country}`,
      });
      continue;
    }
    if (!body || !consortium) continue;
    relationships.push({
      type: REL.MEMBER_OF,
      from: body.id,
      to: consortium.id,
      properties: relProps(row.sheet, row.row, {
        status: row.values.get("status") as string,
        since: (row.values.get("since") as number | undefined) ?? null,
        evidence: row.values.get("evidence") as string,
        asOf: (row.values.get("as of") as string | undefined) ?? null,
        evidenceSource: sourceId,
        evidenceUrl: row.values.get("source URL") as string,
      }),
      sheet: row.sheet,
      row: row.row,
    });
  }

  // Calls: a programme run by the consortium, matched by its short name where the graph has it.
  const calls = new Map<string, string>();
  const callKey = (consortiumId: string, call: string) => `${consortiumId}|${fold(call)}`;
  const callOf = (consortiumId: string, call: string) =>
    knowledge.programmes.find(
      (g) =>
        g.runBy.includes(consortiumId) &&
        (fold(g.acronym ?? "") === fold(call) ||
          g.id === `programme:${consortiumId.replace(/^consortium:/, "")}-${slug(call)}`),
    );
  for (const row of callRows) {
    const consortium = resolve(
      row,
      "consortium",
      row.values.get("consortium") as string,
      "consortium",
      knowledge.consortia,
      "",
    );
    if (!consortium) continue;
    const call = row.values.get("call") as string;
    const known = callOf(consortium.id, call);
    const id = known?.id ?? `programme:${consortium.id.replace(/^consortium:/, "")}-${slug(call)}`;
    const owned = !known || known.curatedBy === sourceId;
    if (known && !owned)
      matches.push({ sheet: row.sheet, cell: at(row, "call"), text: call, id: known.id, name: known.name });
    calls.set(callKey(consortium.id, call), id);
    const budget = row.values.get("budget") as number | undefined;
    const currency = row.values.get("currency") as string | undefined;
    if (budget !== undefined && !currency) {
      problems.push({
        sheet: row.sheet,
        cell: at(row, "currency"),
        reason: "currency: required with a budget (an ISO 4217 code such as EUR)",
      });
      continue;
    }
    addNode({
      id,
      labels: ["Programme"],
      properties: {
        name: row.values.get("title") as string,
        acronym: call,
        kind: (row.values.get("kind") as string | undefined) ?? "TRANSNATIONAL_CALL",
        startYear: row.values.get("year") as number,
        budget: currency === "EUR" ? (budget ?? null) : null,
        budgetOriginal: currency && currency !== "EUR" ? (budget ?? null) : null,
        budgetCurrency: currency && currency !== "EUR" ? currency : null,
        website: row.values.get("source URL") as string,
        ...owner(row.sheet),
      },
      sheet: row.sheet,
      row: row.row,
      owned,
    });
    if (owned)
      relationships.push({
        type: REL.RUN_BY,
        from: id,
        to: consortium.id,
        properties: relProps(row.sheet, row.row, {}),
        sheet: row.sheet,
        row: row.row,
      });
    for (const text of (row.values.get("funders") as string[] | undefined) ?? []) {
      const funder = resolve(row, "funders", text, "funder", funders, funderHint);
      if (funder)
        relationships.push({
          type: REL.FUNDED_BY,
          from: id,
          to: funder.id,
          properties: relProps(row.sheet, row.row, {}),
          sheet: row.sheet,
          row: row.row,
        });
    }
    for (const [field, attribute] of [
      ["pre-proposal deadline", "preProposalDeadline"],
      ["full-proposal deadline", "fullProposalDeadline"],
    ] as const) {
      const date = row.values.get(field) as string | undefined;
      if (!date) continue;
      const factId = `fact:${(workbookKey ?? "x").toLowerCase()}-${id.replace(/^programme:/, "")}-${attribute.toLowerCase()}`;
      addNode({
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
          ...owner(row.sheet),
        },
        sheet: row.sheet,
        row: row.row,
        owned: true,
      });
      relationships.push({
        type: REL.ABOUT,
        from: factId,
        to: id,
        properties: relProps(row.sheet, row.row, {}),
        sheet: row.sheet,
        row: row.row,
      });
    }
  }

  // Projects of the calls: matched by grant reference where the graph has them.
  const byReference = await projectsByGrantReference(
    tx,
    projectRows.map((r) => r.values.get("grant reference") as string),
  );
  const projectIds = new Map<string, string>();
  const newProjectIds = projectRows
    .filter((r) => !byReference.has(r.values.get("grant reference") as string))
    .map((r) => `project:${slug(r.values.get("grant reference") as string)}`);
  const takenProjects = await existingIds(tx, newProjectIds);
  for (const row of projectRows) {
    const reference = row.values.get("grant reference") as string;
    const consortium = resolve(
      row,
      "consortium",
      row.values.get("consortium") as string,
      "consortium",
      knowledge.consortia,
      "",
    );
    if (!consortium) continue;
    const call = row.values.get("call") as string;
    const programme = calls.get(callKey(consortium.id, call)) ?? callOf(consortium.id, call)?.id;
    if (!programme) {
      problems.push({
        sheet: row.sheet,
        cell: at(row, "call"),
        reason: `call: ${consortium.acronym ?? consortium.name} has no call "${call}" in the atlas or on the Calls sheet`,
      });
      continue;
    }
    const known = byReference.get(reference);
    let id = known?.id ?? `project:${slug(reference)}`;
    const taken = takenProjects.get(id);
    if (!known && taken && taken.curatedBy !== sourceId)
      id = `${id}-${createHash("sha1").update(reference).digest("hex").slice(0, 6)}`;
    const owned = !known || known.curatedBy === sourceId;
    if (known && !owned)
      matches.push({
        sheet: row.sheet,
        cell: at(row, "grant reference"),
        text: reference,
        id: known.id,
        name: reference,
      });
    projectIds.set(fold(reference), id);
    const start = row.values.get("start") as string | undefined;
    const end = row.values.get("end") as string | undefined;
    if (start && end && end < start) {
      problems.push({
        sheet: row.sheet,
        cell: at(row, "end"),
        reason: `end: ${end} is before the start ${start}`,
      });
      continue;
    }
    addNode({
      id,
      labels: ["Project"],
      properties: {
        title: row.values.get("title") as string,
        acronym: (row.values.get("acronym") as string | undefined) ?? null,
        grantReference: reference,
        startDate: start ? neo4jDate(start) : null,
        endDate: end ? neo4jDate(end) : null,
        startYear: start ? Number(start.slice(0, 4)) : null,
        sourceUrl: row.values.get("source URL") as string,
        ...owner(row.sheet),
      },
      sheet: row.sheet,
      row: row.row,
      owned,
    });
    relationships.push({
      type: REL.FUNDED_UNDER,
      from: id,
      to: programme,
      properties: relProps(row.sheet, row.row, {}),
      sheet: row.sheet,
      row: row.row,
    });
  }

  // Partners: organisations matched by id, or by name in the same country; new ones are created.
  const named = await organisationsNamed(
    tx,
    partnerRows.map((r) => r.values.get("organisation") as string).filter((t) => !t.startsWith("org:")),
  );
  const orgIds = partnerRows
    .map((r) => r.values.get("organisation") as string)
    .map((t) => (t.startsWith("org:") ? t : `org:${slug(t)}`));
  const takenOrgs = await existingIds(tx, orgIds);
  const located = new Set<string>();
  // Organisations by folded name or acronym and country, in the order organisationsNamed gave them:
  // one lookup per partner row instead of a scan of every named organisation.
  const namedByFoldedName = new Map<string, typeof named>();
  for (const o of named) {
    const keys = new Set([`${fold(o.name)}|${o.country}`, `${fold(o.acronym ?? "")}|${o.country}`]);
    for (const key of keys) namedByFoldedName.set(key, [...(namedByFoldedName.get(key) ?? []), o]);
  }
  for (const row of partnerRows) {
    const reference = row.values.get("grant reference") as string;
    const project =
      projectIds.get(fold(reference)) ?? (await projectsByGrantReference(tx, [reference])).get(reference)?.id;
    if (!project) {
      problems.push({
        sheet: row.sheet,
        cell: at(row, "grant reference"),
        reason: `grant reference: "${reference}" is not on the Projects sheet nor in the atlas`,
      });
      continue;
    }
    const text = row.values.get("organisation") as string;
    const country = row.values.get("country") as string;
    let organisation: string;
    if (text.startsWith("org:")) {
      if (!takenOrgs.has(text)) {
        problems.push({
          sheet: row.sheet,
          cell: at(row, "organisation"),
          reason: `organisation: unknown id ${text}; write the organisation's name to create it`,
        });
        continue;
      }
      organisation = text;
    } else {
      const same = namedByFoldedName.get(`${fold(text)}|${country}`) ?? [];
      if (same.length && same[0]!.curatedBy !== sourceId) {
        organisation = same[0]!.id;
        matches.push({
          sheet: row.sheet,
          cell: at(row, "organisation"),
          text,
          id: organisation,
          name: same[0]!.name,
        });
      } else {
        organisation = same[0]?.id ?? `org:${slug(text)}`;
        const taken = takenOrgs.get(organisation);
        if (!same.length && taken && taken.curatedBy !== sourceId)
          organisation = `org:${slug(text)}-${country.toLowerCase()}`;
        addNode({
          id: organisation,
          labels: ["Organisation"],
          properties: { name: text, ...owner(row.sheet) },
          sheet: row.sheet,
          row: row.row,
          owned: true,
        });
        if (!located.has(organisation)) {
          located.add(organisation);
          relationships.push({
            type: REL.LOCATED_IN,
            from: organisation,
            to: `country:${country}`,
            properties: relProps(row.sheet, row.row, {}),
            sheet: row.sheet,
            row: row.row,
          });
        }
      }
    }
    const amount = row.values.get("amount") as number | undefined;
    const currency = row.values.get("currency") as string | undefined;
    if (amount !== undefined && !currency) {
      problems.push({
        sheet: row.sheet,
        cell: at(row, "currency"),
        reason: "currency: required with an amount (an ISO 4217 code such as EUR)",
      });
      continue;
    }
    relationships.push({
      type: REL.PARTICIPATES_IN,
      from: organisation,
      to: project,
      properties: relProps(row.sheet, row.row, {
        role: row.values.get("role") as string,
        contribution: currency === "EUR" ? (amount ?? null) : null,
        contributionOriginal: currency && currency !== "EUR" ? (amount ?? null) : null,
        contributionCurrency: currency && currency !== "EUR" ? currency : null,
      }),
      sheet: row.sheet,
      row: row.row,
    });
  }

  // Stated facts about a consortium, a programme, or a call written consortium/call.
  const subjects: KnownBody[] = [...knowledge.consortia, ...knowledge.programmes];
  for (const row of factRows) {
    const text = row.values.get("subject") as string;
    let subject: string | undefined;
    const split = /^(.+)\/([^/]+)$/.exec(text);
    if (split && !text.includes(":")) {
      const consortium = resolve(row, "subject", split[1]!.trim(), "consortium", knowledge.consortia, "");
      if (!consortium) continue;
      subject =
        calls.get(callKey(consortium.id, split[2]!.trim())) ?? callOf(consortium.id, split[2]!.trim())?.id;
      if (!subject) {
        problems.push({
          sheet: row.sheet,
          cell: at(row, "subject"),
          reason: `subject: ${consortium.acronym ?? consortium.name} has no call "${split[2]!.trim()}" in the atlas or on the Calls sheet`,
        });
        continue;
      }
    } else {
      subject = (
        resolve(
          row,
          "subject",
          text,
          "consortium or programme",
          subjects,
          "; a call is written consortium/call, e.g. EP PerMed/JTC2024",
        ) ?? undefined
      )?.id;
      if (!subject) continue;
    }
    const attribute = row.values.get("attribute") as string;
    const key = [subject, attribute, row.values.get("source URL"), row.values.get("as of") ?? ""].join("|");
    const id = `fact:${(workbookKey ?? "x").toLowerCase()}-${slug(attribute)}-${createHash("sha1").update(key).digest("hex").slice(0, 8)}`;
    addNode({
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
        ...owner(row.sheet),
      },
      sheet: row.sheet,
      row: row.row,
      owned: true,
    });
    relationships.push({
      type: REL.ABOUT,
      from: id,
      to: subject,
      properties: relProps(row.sheet, row.row, {}),
      sheet: row.sheet,
      row: row.row,
    });
  }

  // The workbook's Source, which every record it states is SOURCED_FROM.
  const existingSource = (await existingIds(tx, [sourceId])).get(sourceId);
  if (existingSource && existingSource.curatedBy !== sourceId)
    problems.push({
      sheet: ABOUT_SHEET,
      cell: about.get("workbook")?.address ?? "B1",
      reason: `workbook: ${sourceId} is a source that was not loaded from a workbook; choose another name`,
    });
  const source: PlannedNode | undefined = workbookKey
    ? {
        id: sourceId,
        labels: ["Source"],
        properties: {
          title: title ?? workbookKey,
          kind: "DATASET",
          publisher: curator ?? null,
          curator: curator ?? null,
          description: description ?? null,
          fileName: read.fileName,
          sha256: read.sha256,
          curatedBy: sourceId,
          curatedSheet: ABOUT_SHEET,
        },
        sheet: ABOUT_SHEET,
        row: 1,
        owned: true,
      }
    : undefined;
  for (const node of nodes.values()) {
    relationships.push({
      type: REL.SOURCED_FROM,
      from: node.id,
      to: sourceId,
      properties: relProps(node.sheet, node.row, {}),
      sheet: node.sheet,
      row: node.row,
    });
  }

  // A relationship that another source already recorded stays theirs: the row is shown as recorded.
  const foreign = await tx.run(
    `UNWIND $rels AS rel
     MATCH (a:Entity {id: rel.from})-[r]->(b:Entity {id: rel.to}) WHERE type(r) = rel.type AND coalesce(r.curatedBy, '') <> $source
     RETURN DISTINCT rel.type + ' ' + rel.from + ' -> ' + rel.to AS key`,
    { rels: relationships.map((r) => ({ type: r.type, from: r.from, to: r.to })), source: sourceId },
  );
  const recorded = new Set(foreign.records.map((r) => r.get("key") as string));
  const kept: PlannedRelationship[] = [];
  // By key, not by scanning what is kept: a sheet of thousands of rows would make this quadratic,
  // seconds of the server's event loop.
  const keptKeys = new Set<string>();
  for (const rel of relationships) {
    const key = `${rel.type} ${rel.from} -> ${rel.to}`;
    if (recorded.has(key)) {
      if (rel.type !== REL.SOURCED_FROM)
        alreadyRecorded.push({ sheet: rel.sheet, row: rel.row, record: key });
    } else if (!keptKeys.has(key)) {
      keptKeys.add(key);
      kept.push(rel);
    }
  }
  const rowsRead = [...read.sheets.values()].reduce((sum, sheet) => sum + sheet.rows.length, 0);
  return {
    problems,
    matches,
    alreadyRecorded,
    sourceId,
    source,
    nodes: [...nodes.values()],
    relationships: kept,
    rowsRead,
  };
}
