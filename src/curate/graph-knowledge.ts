import type { WriteTransaction } from "../import/graph-writer.js";
import { REL } from "../model/relationships.js";

/**
 * What the check needs to know of the graph: the bodies a workbook may name, so that a row refers to
 * them instead of creating duplicates. Read in the transaction that checks (or loads) the workbook.
 */

export interface KnownBody {
  id: string;
  name: string;
  acronym: string | null;
  /** ISO alpha-2 of the funder's country or the organisation's, where the graph has one. */
  country: string | null;
  /** The curation Source that owns the node, null for a node that other sources wrote. */
  curatedBy: string | null;
}

export interface KnownProgramme extends KnownBody {
  runBy: string[];
}

export interface KnownProject {
  id: string;
  grantReference: string | null;
  curatedBy: string | null;
}

export interface GraphKnowledge {
  /** ISO alpha-2 -> country name. */
  countries: Map<string, string>;
  funders: KnownBody[];
  consortia: KnownBody[];
  programmes: KnownProgramme[];
}

export async function readKnowledge(tx: WriteTransaction): Promise<GraphKnowledge> {
  const countries = await tx.run("MATCH (c:Country) RETURN c.id AS id, c.name AS name");
  const funders = await tx.run(
    `MATCH (f:Funder) OPTIONAL MATCH (f)-[:${REL.BASED_IN}]->(c:Country)
     RETURN f.id AS id, f.name AS name, f.acronym AS acronym, head(collect(c.id)) AS country, f.curatedBy AS curatedBy`,
  );
  const consortia = await tx.run(
    "MATCH (k:Consortium) RETURN k.id AS id, k.name AS name, k.acronym AS acronym, null AS country, k.curatedBy AS curatedBy",
  );
  const programmes = await tx.run(
    `MATCH (g:Programme) RETURN g.id AS id, g.name AS name, g.acronym AS acronym, null AS country,
       g.curatedBy AS curatedBy, [(g)-[:${REL.RUN_BY}]->(k:Consortium) | k.id] AS runBy`,
  );
  const body = (r: { get(key: string): unknown }): KnownBody => ({
    id: r.get("id") as string,
    name: (r.get("name") as string | null) ?? "",
    acronym: (r.get("acronym") as string | null) ?? null,
    country: ((r.get("country") as string | null) ?? "").replace(/^country:/, "") || null,
    curatedBy: (r.get("curatedBy") as string | null) ?? null,
  });
  return {
    countries: new Map(
      countries.records.map((r) => [
        (r.get("id") as string).replace(/^country:/, ""),
        r.get("name") as string,
      ]),
    ),
    funders: funders.records.map(body),
    consortia: consortia.records.map(body),
    programmes: programmes.records.map((r) => ({ ...body(r), runBy: r.get("runBy") as string[] })),
  };
}

/** Projects with one of the grant references, whatever wrote them. */
export async function projectsByGrantReference(
  tx: WriteTransaction,
  references: string[],
): Promise<Map<string, KnownProject>> {
  const result = await tx.run(
    `UNWIND $refs AS ref MATCH (p:Project {grantReference: ref})
     RETURN ref, p.id AS id, p.curatedBy AS curatedBy ORDER BY id`,
    { refs: references },
  );
  const found = new Map<string, KnownProject>();
  for (const r of result.records) {
    const ref = r.get("ref") as string;
    if (!found.has(ref))
      found.set(ref, {
        id: r.get("id") as string,
        grantReference: ref,
        curatedBy: r.get("curatedBy") as string | null,
      });
  }
  return found;
}

/** Organisations whose name, folded, is one of `names` (folded with `fold`), with their countries. */
export async function organisationsNamed(tx: WriteTransaction, names: string[]): Promise<KnownBody[]> {
  if (!names.length) return [];
  // Folding in Cypher would scan every organisation; names are matched by their lower-case form, which
  // an index cannot serve either, but the scan is one pass over names only.
  const result = await tx.run(
    `MATCH (o:Organisation) WHERE toLower(o.name) IN $names OR toLower(o.shortName) IN $names
     OPTIONAL MATCH (o)-[:${REL.LOCATED_IN}]->(c:Country)
     RETURN o.id AS id, o.name AS name, o.shortName AS acronym, head(collect(c.id)) AS country, o.curatedBy AS curatedBy`,
    { names: names.map((n) => n.toLowerCase()) },
  );
  return result.records.map((r) => ({
    id: r.get("id") as string,
    name: r.get("name") as string,
    acronym: r.get("acronym") as string | null,
    country: ((r.get("country") as string | null) ?? "").replace(/^country:/, "") || null,
    curatedBy: r.get("curatedBy") as string | null,
  }));
}

/** Which of the ids exist, with their labels and owner. */
export async function existingIds(
  tx: WriteTransaction,
  ids: string[],
): Promise<Map<string, { labels: string[]; curatedBy: string | null; name: string | null }>> {
  const result = await tx.run(
    "UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN n.id AS id, labels(n) AS labels, n.curatedBy AS curatedBy, coalesce(n.name, n.title) AS name",
    { ids },
  );
  return new Map(
    result.records.map((r) => [
      r.get("id") as string,
      {
        labels: r.get("labels") as string[],
        curatedBy: r.get("curatedBy") as string | null,
        name: r.get("name") as string | null,
      },
    ]),
  );
}

/** Accents, case and punctuation do not matter when names are compared. */
export function fold(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** A slug for an id: lower case letters, digits and hyphens. */
export function slug(text: string): string {
  return fold(text).replace(/ /g, "-").slice(0, 60) || "x";
}
