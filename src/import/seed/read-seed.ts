import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { isMap, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { REL, type RelationshipType } from "../../model/relationships.js";
import { type InputProblem, InputValidationError } from "../../util/input-problems.js";
import type { NodeRow, RelationshipRow } from "../graph-writer.js";
import type { CountryReference } from "./countries.js";
import { seedLinks } from "./seed-links.js";
import { type CollectionName, collections } from "./seed-records.js";

/** Everything the seed writes, validated: node rows by label set, relationship rows by type. */
export interface SeedPlan {
  nodes: { labels: string[]; rows: NodeRow[] }[];
  relationships: { type: RelationshipType; keyNames: string[]; rows: RelationshipRow[] }[];
  /** Which labels each id will carry, for checks and for the importers that reference seed ids. */
  labelsById: Map<string, string[]>;
  cordisToIso: Map<string, string>;
}

interface Reference {
  type: RelationshipType;
  from: string;
  to: string;
  /** The labels the target must carry (any of them). */
  targetLabels: string[];
  key?: Record<string, string>;
  properties?: Record<string, unknown>;
  /** Where the reference is written: reported when its target does not exist. */
  file: string;
  line: number | undefined;
  field: string;
  outgoing: boolean;
}

/** consortia[1].memberOf[0].status: the path a user finds in the file. */
function fieldName(fieldPath: (string | number)[]): string {
  return fieldPath.reduce<string>(
    (name, part) => (typeof part === "number" ? `${name}[${part}]` : name ? `${name}.${part}` : String(part)),
    "",
  );
}

type Located = { file: string; lineOf: (path: (string | number)[]) => number | undefined };

/** The links of every collection, read once from the schema's @relationship directives. */
let linksBySchema: ReturnType<typeof seedLinks> | undefined;
const linksOf = (collection: CollectionName) => {
  linksBySchema ??= seedLinks();
  return linksBySchema.get(collection)!;
};

/**
 * The relationships a validated record asks for, one per link value (see seed-links.ts), each located
 * at its field for the message when its far end does not exist. Existence is checked later, across
 * all files.
 */
function referencesOf(
  collection: CollectionName,
  record: Record<string, unknown> & { id: string },
  at: Located,
  index: number,
): Reference[] {
  const refs: Reference[] = [];
  for (const [field, link] of linksOf(collection)) {
    const raw = record[field];
    if (raw === undefined || raw === null) continue;
    const values: unknown[] = Array.isArray(raw) ? raw : [raw];
    values.forEach((value, i) => {
      const item = (link.target ? value : {}) as Record<string, unknown>;
      const end = link.targetId
        ? link.targetId(value, record.id)
        : link.target
          ? String(item[link.target])
          : String(value);
      if (end === undefined) return;
      const fieldPath = [collection, index, field, ...(Array.isArray(raw) ? [i] : [])];
      const key = link.key
        ? Object.fromEntries(
            Object.entries(link.key).map(([name, byDefault]) => [name, String(item[name] ?? byDefault)]),
          )
        : undefined;
      const names = link.properties ?? [];
      const given = names.some((name) => item[name] !== undefined);
      const properties =
        names.length && (given || !link.propertiesOnlyWhenGiven)
          ? Object.fromEntries(names.map((name) => [name, item[name] ?? null]))
          : undefined;
      refs.push({
        type: link.type,
        from: link.outgoing ? record.id : end,
        to: link.outgoing ? end : record.id,
        targetLabels: link.targetLabels,
        ...(key ? { key } : {}),
        ...(properties ? { properties } : {}),
        file: at.file,
        line: at.lineOf(fieldPath),
        field: fieldName(fieldPath),
        outgoing: link.outgoing,
      });
    });
  }
  return refs;
}

/** The record's fields that are stored on its node: all but its id and its links (seed-links.ts). */
function nodeProperties(collection: CollectionName, record: Record<string, unknown>): NodeRow["properties"] {
  const links = linksOf(collection);
  return Object.fromEntries(
    Object.entries(record).filter(
      ([key]) => key !== "id" && !(links.has(key) && !links.get(key)!.alsoProperty),
    ),
  ) as NodeRow["properties"];
}

function locate(
  file: string,
  text: string,
): {
  doc: ReturnType<typeof parseDocument>;
  at: Located;
  keyLineOf: (key: string) => number | undefined;
  lineCounter: LineCounter;
} {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (p: (string | number)[]) => {
    // The deepest node that exists along the path: a missing field is reported at its record.
    for (let depth = p.length; depth >= 0; depth--) {
      const node = doc.getIn(p.slice(0, depth), true) as Node | undefined;
      if (node && typeof node === "object" && "range" in node && node.range) {
        return lineCounter.linePos(node.range[0]).line;
      }
    }
    return undefined;
  };
  /** The line of a top-level key (a collection name), not of its value: that is where a reader looks. */
  const keyLineOf = (key: string) => {
    const pair = isMap(doc.contents)
      ? doc.contents.items.find((item) => (item.key as { value?: unknown } | null)?.value === key)
      : undefined;
    const range = (pair?.key as Node | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).line : lineOf([key]);
  };
  return { doc, at: { file, lineOf }, keyLineOf, lineCounter };
}

export interface SeedInput {
  seedDir: string;
  countries: CountryReference;
  /** Ids created by another importer in the same run (CORDIS projects), with their labels. */
  externalIds?: Map<string, string[]>;
  /** How file names are shown in messages, e.g. relative to the project root. */
  displayRoot?: string;
}

/** What reading the files gathers before anything is checked across them. */
interface SeedReading {
  problems: InputProblem[];
  /** Every id and the labels it will carry (seed, countries and externalIds). */
  labelsById: Map<string, string[]>;
  /** Where each id is first defined, `file:line`, for the duplicate message. */
  firstDefinition: Map<string, string>;
  /** Node rows by their labels joined with ":". */
  nodesByLabels: Map<string, NodeRow[]>;
  references: Reference[];
}

/**
 * Reads and validates every *.yaml / *.yml file of `input.seedDir` (in name order) and returns what the
 * seed writes. Nothing is written here. Throws InputValidationError listing every problem of every
 * file (`file:line: field: reason`, lines 1-based) when any record is invalid or any reference names
 * an id that does not exist or has the wrong labels.
 */
export function readSeed(input: SeedInput): SeedPlan {
  const reading: SeedReading = {
    problems: [],
    labelsById: new Map(input.externalIds ?? []),
    firstDefinition: new Map(),
    nodesByLabels: new Map(),
    references: [],
  };
  for (const node of input.countries.nodes) reading.labelsById.set(node.id, ["Country"]);
  const files = readdirSync(input.seedDir)
    .filter((name) => name.endsWith(".yaml") || name.endsWith(".yml"))
    .sort();
  for (const name of files) {
    const full = path.join(input.seedDir, name);
    readSeedFile(
      path.relative(input.displayRoot ?? process.cwd(), full),
      readFileSync(full, "utf8"),
      reading,
    );
  }
  // A reference is checked once every file is read: records may point forward and across files.
  checkReferences(reading);
  if (reading.problems.length) throw new InputValidationError(reading.problems);
  return planOf(reading, input.countries);
}

/** Parses one seed file (`text`, shown as `file`) and adds its records, or its problems, to `reading`. */
function readSeedFile(file: string, text: string, reading: SeedReading): void {
  const { problems } = reading;
  const { doc, at, keyLineOf, lineCounter } = locate(file, text);
  if (doc.errors.length) {
    for (const error of doc.errors) {
      problems.push({
        file,
        // Without prettyErrors the parser gives only an offset: the line comes from the counter.
        line: error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line,
        field: "(yaml)",
        reason: error.message.split("\n")[0]!,
      });
    }
    return;
  }
  if (!isMap(doc.contents)) {
    problems.push({
      file,
      line: 1,
      field: "(file)",
      reason: "must be a mapping of collections (sources, funders, ...)",
    });
    return;
  }
  const data = doc.toJS() as Record<string, unknown>;
  for (const [collectionName, records] of Object.entries(data)) {
    if (!(collectionName in collections)) {
      problems.push({
        file,
        line: keyLineOf(collectionName),
        field: collectionName,
        reason: `unknown collection; expected one of ${Object.keys(collections).join(", ")}`,
      });
      continue;
    }
    const collection = collectionName as CollectionName;
    if (!isSeq(doc.get(collection, true))) {
      problems.push({
        file,
        line: keyLineOf(collection),
        field: collection,
        reason: "must be a list of records",
      });
      continue;
    }
    (records as unknown[]).forEach((raw, index) => {
      addRecord(collection, raw, index, at, reading);
    });
  }
}

/**
 * Validates record `index` of `collection` against its zod shape and, when valid and not a duplicate id,
 * adds its node row, its labels and its references to `reading`; otherwise adds its problems.
 */
function addRecord(
  collection: CollectionName,
  raw: unknown,
  index: number,
  at: Located,
  reading: SeedReading,
): void {
  const { problems, labelsById, firstDefinition, nodesByLabels } = reading;
  const parsed = collections[collection].record.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const issuePath = [collection, index, ...(issue.path as (string | number)[])];
      const unknownKeys = issue.code === "unrecognized_keys" ? issue.keys : [];
      const fieldPath = unknownKeys.length ? [...issuePath, unknownKeys[0]!] : issuePath;
      problems.push({
        file: at.file,
        line: at.lineOf(fieldPath),
        field: fieldName(fieldPath),
        reason: issue.message,
      });
    }
    return;
  }
  const record = parsed.data as Record<string, unknown> & { id: string };
  // An EU grant (cordis:<grant id>) is a funded project as well as a coordination action, as in CORDIS.
  const labels = [
    ...(collections[collection].labels as readonly string[]),
    ...(collection === "coordinationActions" && record.id.startsWith("cordis:") ? ["Project"] : []),
  ];
  const idPath = [collection, index, "id"];
  const previous = firstDefinition.get(record.id);
  if (previous) {
    problems.push({
      file: at.file,
      line: at.lineOf(idPath),
      field: fieldName(idPath),
      reason: `duplicate id ${record.id} (first defined at ${previous})`,
    });
    return;
  }
  firstDefinition.set(record.id, `${at.file}:${at.lineOf(idPath)}`);
  labelsById.set(record.id, [...new Set([...(labelsById.get(record.id) ?? []), ...labels])]);
  const group = labels.join(":");
  nodesByLabels.set(group, [
    ...(nodesByLabels.get(group) ?? []),
    { id: record.id, properties: nodeProperties(collection, record) },
  ]);
  reading.references.push(...referencesOf(collection, record, at, index));
}

/** Adds a problem for each reference whose far end does not exist or carries none of the labels it needs. */
function checkReferences({ references, labelsById, problems }: SeedReading): void {
  for (const ref of references) {
    const target = ref.outgoing ? ref.to : ref.from;
    const labels = labelsById.get(target);
    if (!labels) {
      problems.push({ file: ref.file, line: ref.line, field: ref.field, reason: `unknown id ${target}` });
    } else if (!labels.some((label) => ref.targetLabels.includes(label))) {
      problems.push({
        file: ref.file,
        line: ref.line,
        field: ref.field,
        reason: `${target} is a ${labels.join("/")}, but ${ref.type} needs a ${ref.targetLabels.join(" or ")}`,
      });
    }
  }
}

/** The write plan of a reading without problems: country rows first, then the seed's; relationships by type. */
function planOf(reading: SeedReading, countries: CountryReference): SeedPlan {
  const relationshipsByType = new Map<RelationshipType, { keyNames: string[]; rows: RelationshipRow[] }>();
  const addRelationship = (type: RelationshipType, keyNames: string[], row: RelationshipRow) => {
    const group = relationshipsByType.get(type) ?? { keyNames, rows: [] };
    group.rows.push(row);
    relationshipsByType.set(type, group);
  };
  for (const row of countries.sourcedFrom) addRelationship(REL.SOURCED_FROM, [], row);
  for (const ref of reading.references) {
    addRelationship(ref.type, Object.keys(ref.key ?? {}), {
      from: ref.from,
      to: ref.to,
      ...(ref.key ? { key: ref.key } : {}),
      properties: (ref.properties ?? {}) as RelationshipRow["properties"],
    });
  }
  return {
    nodes: [
      { labels: ["Country"], rows: countries.nodes },
      ...[...reading.nodesByLabels].map(([labels, rows]) => ({ labels: labels.split(":"), rows })),
    ],
    relationships: [...relationshipsByType].map(([type, group]) => ({ type, ...group })),
    labelsById: reading.labelsById,
    cordisToIso: countries.cordisToIso,
  };
}
