import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { isMap, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { NodeRow, RelationshipRow } from "../graph-writer.js";
import { type InputProblem, InputValidationError } from "../problems.js";
import type { CountryReference } from "./countries.js";
import { type CollectionName, collections } from "./seed-records.js";

/** Everything the seed writes, validated: node rows by label set, relationship rows by type. */
export interface SeedPlan {
  nodes: { labels: string[]; rows: NodeRow[] }[];
  relationships: { type: string; keyNames: string[]; rows: RelationshipRow[] }[];
  /** Which labels each id will carry, for checks and for the importers that reference seed ids. */
  labelsById: Map<string, string[]>;
  cordisToIso: Map<string, string>;
}

interface Reference {
  type: string;
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

/** Relationship fields of each collection: which type they create and what they may point at. */
function referencesOf(
  collection: CollectionName,
  record: Record<string, unknown>,
  at: Located,
  index: number,
): Reference[] {
  const refs: Reference[] = [];
  const where = (field: string, i?: number) => {
    const fieldPath = [collection, index, field, ...(i === undefined ? [] : [i])];
    return { file: at.file, line: at.lineOf(fieldPath), field: fieldName(fieldPath) };
  };
  const add = (
    field: string,
    type: string,
    targetLabels: string[],
    to: string,
    i?: number,
    extra: Partial<Pick<Reference, "key" | "properties" | "outgoing">> = {},
  ): void => {
    refs.push({
      type,
      from: record.id as string,
      to,
      targetLabels,
      ...where(field, i),
      outgoing: true,
      ...extra,
    });
  };
  const list = <T>(field: string) => (record[field] as T[] | undefined) ?? [];

  list<string>("sources").forEach((to, i) => {
    add("sources", "SOURCED_FROM", ["Source"], to, i);
  });
  const country = record.country as string | undefined;
  if (country)
    add("country", collection === "organisations" ? "LOCATED_IN" : "BASED_IN", ["Country"], country);

  switch (collection) {
    case "governanceBodies":
      add("consortium", "PART_OF", ["Consortium"], record.consortium as string);
      break;
    case "funders":
    case "stakeholders":
      list<{
        consortium: string;
        status: string;
        since?: number;
        evidence?: string;
        asOf?: string;
        evidenceSource?: string;
      }>("memberOf").forEach((m, i) => {
        add("memberOf", "MEMBER_OF", ["Consortium"], m.consortium, i, {
          properties: {
            status: m.status,
            since: m.since ?? null,
            evidence: m.evidence ?? null,
            asOf: m.asOf ?? null,
            evidenceSource: m.evidenceSource ?? null,
          },
        });
      });
      list<{ body: string; role?: string; asOf?: string; person?: string }>("sitsOn").forEach((s, i) => {
        add("sitsOn", "SITS_ON", ["GovernanceBody"], s.body, i, {
          key: { role: s.role ?? "member" },
          properties: { asOf: s.asOf ?? null, person: s.person ?? null },
        });
      });
      break;
    case "programmes":
      list<string>("partOf").forEach((to, i) => {
        add("partOf", "PART_OF", ["Programme"], to, i);
      });
      list<string>("runBy").forEach((to, i) => {
        add("runBy", "RUN_BY", ["Consortium"], to, i);
      });
      list<string>("covers").forEach((to, i) => {
        add("covers", "COVERS", ["Topic"], to, i);
      });
      list<{ funder: string; commitment?: number; commitmentCurrency?: string; commitmentOriginal?: number }>(
        "fundedBy",
      ).forEach((f, i) => {
        add("fundedBy", "FUNDED_BY", ["Funder"], f.funder, i, {
          properties: {
            commitment: f.commitment ?? null,
            commitmentCurrency: f.commitmentCurrency ?? null,
            commitmentOriginal: f.commitmentOriginal ?? null,
          },
        });
      });
      break;
    case "coordinationActions":
      if (record.frameworkProgramme && String(record.id).startsWith("cordis:")) {
        add(
          "frameworkProgramme",
          "FUNDED_UNDER",
          ["Programme"],
          `programme:${String(record.frameworkProgramme).toLowerCase()}`,
        );
      }
      list<string>("supports").forEach((to, i) => {
        add("supports", "SUPPORTS", ["Consortium"], to, i);
      });
      // Participation points from the organisation to the action, as in CORDIS.
      list<{ organisation: string; role: string; contribution?: number; order?: number }>("partners").forEach(
        (p, i) => {
          refs.push({
            type: "PARTICIPATES_IN",
            from: p.organisation,
            to: record.id as string,
            targetLabels: ["Organisation"],
            key: { role: p.role },
            // Only set where given: a curated partner without figures stays as it was before.
            ...(p.contribution !== undefined || p.order !== undefined
              ? { properties: { contribution: p.contribution ?? null, order: p.order ?? null } }
              : {}),
            ...where("partners", i),
            outgoing: false,
          });
        },
      );
      break;
    case "projects":
      list<string>("fundedUnder").forEach((to, i) => {
        add("fundedUnder", "FUNDED_UNDER", ["Programme"], to, i);
      });
      break;
    case "statedFacts":
      list<string>("subject").forEach((to, i) => {
        add("subject", "ABOUT", ["Consortium", "Programme", "CoordinationAction"], to, i);
      });
      break;
    case "recognitions":
      list<string>("awardedBy").forEach((to, i) => {
        add("awardedBy", "AWARDED_BY", ["Consortium"], to, i);
      });
      list<string>("awardedTo").forEach((to, i) => {
        add("awardedTo", "AWARDED_TO", ["Project", "Organisation", "Stakeholder"], to, i);
      });
      break;
    case "events":
      list<string>("organisedBy").forEach((to, i) => {
        add("organisedBy", "ORGANISED_BY", ["Consortium", "CoordinationAction"], to, i);
      });
      break;
    case "publications":
      list<string>("publishedBy").forEach((to, i) => {
        add("publishedBy", "PUBLISHED_BY", ["Consortium", "CoordinationAction"], to, i);
      });
      break;
    default:
      break;
  }
  return refs;
}

const RELATIONSHIP_FIELDS = new Set([
  "sources",
  "country",
  "consortium",
  "memberOf",
  "sitsOn",
  "partOf",
  "runBy",
  "covers",
  "fundedBy",
  "supports",
  "partners",
  "awardedBy",
  "awardedTo",
  "organisedBy",
  "publishedBy",
  "fundedUnder",
  "subject",
]);

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

export function readSeed(input: SeedInput): SeedPlan {
  const problems: InputProblem[] = [];
  const labelsById = new Map<string, string[]>(input.externalIds ?? []);
  const firstDefinition = new Map<string, string>();
  const nodesByLabels = new Map<string, NodeRow[]>();
  const references: Reference[] = [];
  const display = (file: string) => path.relative(input.displayRoot ?? process.cwd(), file);

  const countries = input.countries;
  for (const node of countries.nodes) labelsById.set(node.id, ["Country"]);

  const files = readdirSync(input.seedDir)
    .filter((name) => name.endsWith(".yaml") || name.endsWith(".yml"))
    .sort();
  for (const name of files) {
    const full = path.join(input.seedDir, name);
    const file = display(full);
    const { doc, at, keyLineOf, lineCounter } = locate(file, readFileSync(full, "utf8"));
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
      continue;
    }
    if (!isMap(doc.contents)) {
      problems.push({
        file,
        line: 1,
        field: "(file)",
        reason: "must be a mapping of collections (sources, funders, ...)",
      });
      continue;
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
      const { record: schema } = collections[collection];
      (records as unknown[]).forEach((raw, index) => {
        const parsed = schema.safeParse(raw);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) {
            const issuePath = [collection, index, ...(issue.path as (string | number)[])];
            const unknownKeys = issue.code === "unrecognized_keys" ? issue.keys : [];
            const fieldPath = unknownKeys.length ? [...issuePath, unknownKeys[0]!] : issuePath;
            problems.push({
              file,
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
        const previous = firstDefinition.get(record.id);
        if (previous) {
          problems.push({
            file,
            line: at.lineOf([collection, index, "id"]),
            field: fieldName([collection, index, "id"]),
            reason: `duplicate id ${record.id} (first defined at ${previous})`,
          });
          return;
        }
        firstDefinition.set(record.id, `${file}:${at.lineOf([collection, index, "id"])}`);
        labelsById.set(record.id, [...new Set([...(labelsById.get(record.id) ?? []), ...labels])]);
        const properties = Object.fromEntries(
          Object.entries(record).filter(([key]) => key !== "id" && !RELATIONSHIP_FIELDS.has(key)),
        );
        const group = labels.join(":");
        nodesByLabels.set(group, [
          ...(nodesByLabels.get(group) ?? []),
          { id: record.id, properties: properties as NodeRow["properties"] },
        ]);
        references.push(...referencesOf(collection, record, at, index));
      });
    }
  }

  // A reference is checked once every file is read: records may point forward and across files.
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
  if (problems.length) throw new InputValidationError(problems);

  const relationshipsByType = new Map<string, { keyNames: string[]; rows: RelationshipRow[] }>();
  const addRelationship = (type: string, keyNames: string[], row: RelationshipRow) => {
    const group = relationshipsByType.get(type) ?? { keyNames, rows: [] };
    group.rows.push(row);
    relationshipsByType.set(type, group);
  };
  for (const row of countries.sourcedFrom) addRelationship("SOURCED_FROM", [], row);
  for (const ref of references) {
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
      ...[...nodesByLabels].map(([labels, rows]) => ({ labels: labels.split(":"), rows })),
    ],
    relationships: [...relationshipsByType].map(([type, group]) => ({ type, ...group })),
    labelsById,
    cordisToIso: countries.cordisToIso,
  };
}
