import { REL } from "../model/relationships.js";
import { type AnalysisContext, readQuery, toNumber } from "./analysis-context.js";
import { fundedUnder } from "./project-filters.js";

/**
 * Stated facts that say a programme funded projects: a number of funded projects, a named funded
 * project, or money or funders committed to it. With one of them, a programme without recorded projects
 * is a hole in the data, not in the funding.
 */
export const FUNDING_EVIDENCE = [
  "fundedProjectCount",
  "fundedProject",
  "fundedResearchGroups",
  "totalInvestment",
  "budget",
  "fundingOrganisationCount",
];

/**
 * A figure a source states that the graph's records fall short of: a programme's funded projects, a
 * consortium's members. `stated` is null when the source says that something exists without a number
 * (e.g. a budget for a call whose projects are not recorded).
 */
export interface Shortfall {
  /**
   * PROJECTS (funded under a programme), MEMBERS (funders MEMBER_OF a consortium), FUNDERS (funding
   * organisations of a call) or COMMITMENTS (its funders' commitments: stated = funders recorded).
   */
  what: "PROJECTS" | "MEMBERS" | "FUNDERS" | "COMMITMENTS";
  subjectId: string;
  subjectLabel: string;
  stated: number | null;
  /** How `stated` is meant (OVER, APPROXIMATELY, ...), as the source says; null for EXACT or unsaid. */
  qualifier: string | null;
  recorded: number;
  /** The statements, as "attribute: words", that the stated figure comes from. */
  statements: string[];
  /** Ids of the StatedFact nodes (or the consortium, whose statedMemberCount is a property). */
  records: string[];
}

/**
 * Programmes (and calls) whose stated facts say they funded more projects than the graph records under
 * them (FUNDING_EVIDENCE; all projects funded under the programme or its calls, whatever a filter says:
 * the facts are about the whole programme). `scope` is a Cypher predicate on `g` (the programme), e.g.
 * "(:Consortium {id: $consortiumId})<-[:RUN_BY]-(g)"; its parameters are in `params`. Stated is the
 * largest stated number of funded projects, else the number of named funded projects, else null
 * (only money or funders are stated: a shortfall when nothing at all is recorded).
 */
export async function unrecordedProjects(
  context: AnalysisContext,
  scope: string,
  params: Record<string, unknown>,
): Promise<Shortfall[]> {
  const rows = await readQuery<{
    id: string;
    label: string;
    recorded: unknown;
    counts: unknown[];
    named: unknown;
    statements: string[];
    facts: string[];
  }>(
    context,
    `MATCH (g:Programme) WHERE ${scope}
     MATCH (f:StatedFact)-[:${REL.ABOUT}]->(g) WHERE f.attribute IN $evidence
     WITH g, collect(f) AS facts
     RETURN g.id AS id, coalesce(g.acronym, g.name) AS label,
            COUNT { MATCH ${fundedUnder("p:Project", "g")} RETURN DISTINCT p } AS recorded,
            [f IN facts WHERE f.attribute = 'fundedProjectCount' AND f.value IS NOT NULL | f.value] AS counts,
            size([f IN facts WHERE f.attribute = 'fundedProject']) AS named,
            [f IN facts | f.attribute + ': ' + f.statement] AS statements,
            [f IN facts | f.id] AS facts
     ORDER BY id`,
    { ...params, evidence: FUNDING_EVIDENCE },
  );
  const shortfalls: Shortfall[] = [];
  for (const row of rows) {
    const recorded = toNumber(row.recorded);
    const counts = row.counts.map(toNumber);
    const stated = counts.length ? Math.max(...counts) : toNumber(row.named) || null;
    if (stated !== null ? recorded >= stated : recorded > 0) continue;
    shortfalls.push({
      what: "PROJECTS",
      subjectId: row.id,
      subjectLabel: row.label,
      stated,
      qualifier: null,
      recorded,
      statements: row.statements,
      records: [row.id, ...row.facts],
    });
  }
  return shortfalls;
}

/**
 * Consortia whose sources state more members (statedMemberCount) than the graph records as MEMBER_OF
 * them with status MEMBER. `scope` is a Cypher predicate on `k` (the consortium).
 */
export async function unrecordedMembers(
  context: AnalysisContext,
  scope: string,
  params: Record<string, unknown>,
): Promise<Shortfall[]> {
  const rows = await readQuery<{
    id: string;
    label: string;
    stated: unknown;
    qualifier: string | null;
    statement: string | null;
    recorded: unknown;
  }>(
    context,
    `MATCH (k:Consortium) WHERE k.statedMemberCount IS NOT NULL AND ${scope}
     RETURN k.id AS id, coalesce(k.acronym, k.name) AS label, k.statedMemberCount AS stated,
            k.statedMemberCountQualifier AS qualifier, k.statedSizeStatement AS statement,
            size(COLLECT { MATCH (k)<-[:${REL.MEMBER_OF} {status: 'MEMBER'}]-(f:Funder) RETURN DISTINCT f.id }) AS recorded
     ORDER BY id`,
    params,
  );
  return rows
    .map((row) => ({
      what: "MEMBERS" as const,
      subjectId: row.id,
      subjectLabel: row.label,
      stated: toNumber(row.stated),
      qualifier: row.qualifier === "EXACT" ? null : row.qualifier,
      recorded: toNumber(row.recorded),
      statements: row.statement ? [`memberCount: ${row.statement}`] : [],
      records: [row.id],
    }))
    .filter((row) => row.recorded < row.stated);
}
