import path from "node:path";
import type { Body } from "../../identity/body.js";
import { isoCountry } from "../../identity/country.js";
import { type BodyMatch, matchBodies } from "../../identity/match-bodies.js";
import type { RorRecord } from "../../identity/ror-record.js";
import { REL } from "../../model/relationships.js";
import { projectRoot } from "../../util/project-root.js";
import type { WriteTransaction } from "../graph-writer.js";

/** The ROR records shipped with the seed (a CC0 subset, seed/reference/ror/PROVENANCE.md). */
export const defaultRorFile = () =>
  path.join(projectRoot(), "seed", "reference", "ror", "ror-subset.jsonl.gz");

/** The identity properties this step owns on Organisation and Funder nodes; cleared before each run. */
const IDENTITY_PROPERTIES = [
  "rorId",
  "fundrefIds",
  "wikidataIds",
  "gridIds",
  "isniIds",
  "identityMethod",
  "identityEvidence",
  "proposedRorId",
  "proposedRorMethod",
  "proposedRorEvidence",
];

/** Method of the SAME_AS links this step writes (the OpenAIRE importer writes its own). */
export const SAME_ROR_RECORD = "SAME_ROR_RECORD";

export interface IdentityReport {
  bodies: number;
  applied: number;
  proposed: number;
  /** Funder pairs linked SAME_AS because they match one ROR record. */
  funderLinks: number;
  /** Organisation pairs linked SAME_AS because they match one ROR record. */
  organisationLinks: number;
}

/**
 * Matches every Organisation and Funder of the graph to `records` (src/identity/match-bodies.ts) and
 * writes the result in `tx`: an APPLIED match sets `rorId`, the record's FundRef, Wikidata, GRID and
 * ISNI ids and `identityMethod` / `identityEvidence`; a PROPOSED one only `proposedRorId`,
 * `proposedRorMethod` and `proposedRorEvidence` (never used by a rollup). Funders that match the same
 * record are linked SAME_AS {method: SAME_ROR_RECORD, evidence} towards the one with the smallest id,
 * and organisations likewise among themselves, so that filters and rollups treat them as one body (a
 * funder and an organisation stay two nodes: they are counted in different rollups). Every earlier result of
 * this step is removed first, so a run mirrors the current graph and records. Errors: the driver's.
 */
export async function linkIdentities(
  tx: WriteTransaction,
  records: readonly RorRecord[],
): Promise<IdentityReport> {
  const result = await tx.run(
    `MATCH (n) WHERE n:Organisation OR n:Funder
     OPTIONAL MATCH (n)-[:${REL.LOCATED_IN}|${REL.BASED_IN}]->(c:Country)
     RETURN n.id AS id, n.name AS name, n.shortName AS shortName, n.acronym AS acronym,
            n.website AS website, collect(c.code)[0] AS country, n:Funder AS funder`,
  );
  const funders = new Set<string>();
  const organisations = new Set<string>();
  const bodies: Body[] = result.records.map((record) => {
    const id = record.get("id") as string;
    (record.get("funder") ? funders : organisations).add(id);
    const names = ["name", "shortName", "acronym"]
      .map((key) => record.get(key) as string | null)
      .filter((name): name is string => Boolean(name?.trim()));
    const website = record.get("website") as string | null;
    return {
      id,
      names: [...new Set(names)],
      country: isoCountry(record.get("country") as string | null),
      websites: website ? [website] : [],
    };
  });
  const matches = matchBodies(bodies, records);
  const byRor = new Map(records.map((record) => [record.rorId, record]));

  await tx.run(
    `MATCH (n) WHERE n:Organisation OR n:Funder
     ${IDENTITY_PROPERTIES.map((key) => `REMOVE n.${key}`).join(" ")}
     WITH n
     OPTIONAL MATCH (n)-[s:${REL.SAME_AS} {method: $method}]->()
     DELETE s`,
    { method: SAME_ROR_RECORD },
  );
  const applied = matches.filter((match) => match.decision === "APPLIED");
  const proposed = matches.filter((match) => match.decision === "PROPOSED");
  await tx.run(
    `UNWIND $rows AS row
     MATCH (n {id: row.id}) WHERE n:Organisation OR n:Funder
     SET n.rorId = row.rorId, n.fundrefIds = row.fundref, n.wikidataIds = row.wikidata,
         n.gridIds = row.grid, n.isniIds = row.isni,
         n.identityMethod = row.method, n.identityEvidence = row.evidence`,
    {
      rows: applied.map((match) => {
        const ids = byRor.get(match.rorId)?.externalIds;
        return {
          id: match.bodyId,
          rorId: match.rorId,
          fundref: ids?.fundref ?? [],
          wikidata: ids?.wikidata ?? [],
          grid: ids?.grid ?? [],
          isni: ids?.isni ?? [],
          method: match.method,
          evidence: match.evidence,
        };
      }),
    },
  );
  await tx.run(
    `UNWIND $rows AS row
     MATCH (n {id: row.id}) WHERE n:Organisation OR n:Funder
     SET n.proposedRorId = row.rorId, n.proposedRorMethod = row.method, n.proposedRorEvidence = row.evidence`,
    {
      rows: proposed.map((match) => ({
        id: match.bodyId,
        rorId: match.rorId,
        method: match.method,
        evidence: match.evidence,
      })),
    },
  );
  const funderLinks = sameBodyLinks(applied, funders);
  const organisationLinks = sameBodyLinks(applied, organisations);
  for (const [label, links] of [
    ["Funder", funderLinks],
    ["Organisation", organisationLinks],
  ] as const) {
    await tx.run(
      `UNWIND $links AS link
       MATCH (a:${label} {id: link.from}), (b:${label} {id: link.to})
       MERGE (a)-[s:${REL.SAME_AS} {method: $method}]->(b)
       SET s.evidence = link.evidence`,
      { links, method: SAME_ROR_RECORD },
    );
  }
  return {
    bodies: bodies.length,
    applied: applied.length,
    proposed: proposed.length,
    funderLinks: funderLinks.length,
    organisationLinks: organisationLinks.length,
  };
}

/**
 * Nodes among `ids` (of one label) whose APPLIED matches name one ROR record, each linked to the one
 * of them with the smallest id (a star, not a clique: one canonical node per body), with both
 * matches' evidence.
 */
export function sameBodyLinks(
  applied: readonly BodyMatch[],
  ids: ReadonlySet<string>,
): { from: string; to: string; evidence: string }[] {
  const byRor = new Map<string, BodyMatch[]>();
  for (const match of applied) {
    if (!ids.has(match.bodyId)) continue;
    byRor.set(match.rorId, [...(byRor.get(match.rorId) ?? []), match]);
  }
  const links: { from: string; to: string; evidence: string }[] = [];
  for (const [rorId, group] of byRor) {
    const sorted = [...group].sort((a, b) => a.bodyId.localeCompare(b.bodyId));
    const canonical = sorted[0]!;
    for (const other of sorted.slice(1)) {
      links.push({
        from: other.bodyId,
        to: canonical.bodyId,
        evidence: `Both match ROR ${rorId}: ${other.bodyId} by ${other.method} (${other.evidence}); ${canonical.bodyId} by ${canonical.method} (${canonical.evidence}).`,
      });
    }
  }
  return links;
}
