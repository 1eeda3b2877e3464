import { REL } from "../model/relationships.js";
import { type AnalysisContext, readQuery, toNumber } from "./analysis-context.js";
import { PROJECT_FILTER } from "./project-filters.js";
import { type Shortfall, unrecordedMembers, unrecordedProjects } from "./stated-vs-recorded.js";

/** A threshold an analysis applied, and the records it left out (GraphQL AppliedThreshold). */
export interface AppliedThreshold {
  /** What is compared, e.g. "minPopulation". */
  name: string;
  value: number;
  /** What `value` counts, e.g. "inhabitants". */
  unit: string;
  /** Ids of the records the threshold left out of the answer. */
  excludedIds: string[];
  /** Their labels, in the order of excludedIds. */
  excludedLabels: string[];
  description: string;
}

/**
 * What one analysis answer's coverage is computed from: the Cypher parameters of its project filters
 * (projectFilterParams), which stated-vs-recorded shortfalls are relevant, and the thresholds it
 * applied. Plain JSON, so that it is part of an answer-cache key.
 */
export interface CoverageRequest {
  params: Record<string, unknown>;
  /**
   * Consortia whose membership shortfall matters: "ALL" (answers by funder), one consortium's id
   * (fundingGaps), or null (answers that do not count funders).
   */
  memberships: "ALL" | string | null;
  thresholds: AppliedThreshold[];
}

/** One programme at the top of the PART_OF hierarchy (a framework programme, a partnership) and its projects. */
export interface CoverageProgramme {
  id: string;
  label: string;
  projects: number;
}

/** One source of the projects counted, with its dates (ISO 8601). */
export interface CoverageSource {
  id: string;
  title: string;
  /** The date the curator gave the source (publication, content update or reading date). */
  date: string | null;
  /** For a data export: the newest content-update date in it at its last import. */
  newestContentUpdate: string | null;
  projects: number;
}

/** The GraphQL Coverage type: see schema/analysis.graphql. */
export interface Coverage {
  projects: number;
  fromYear: number | null;
  toYear: number | null;
  projectsWithoutStartYear: number;
  programmes: CoverageProgramme[];
  projectsWithoutProgramme: number;
  sources: CoverageSource[];
  missing: Shortfall[];
  thresholds: AppliedThreshold[];
  statement: string;
}

/**
 * The coverage of an analysis answer: the projects its filters select (the population every figure
 * is computed from), the start years and top-level programmes they span, their sources with their
 * dates, what sources state that the records fall short of (a call's funded projects, a consortium's
 * members), the thresholds applied, and all of it in one plain-English statement for a reader.
 * Shortfalls of programmes are those within $programmeIds (or all); years do not narrow them, since a
 * stated number of funded projects is about the whole call. Reads only; errors are the driver's.
 */
export async function coverageOf(context: AnalysisContext, request: CoverageRequest): Promise<Coverage> {
  const { params } = request;
  const programmeScope = `($programmeIds IS NULL OR EXISTS { MATCH (g)-[:${REL.PART_OF}*0..3]->(selected:Programme) WHERE selected.id IN $programmeIds })`;
  const [counts, programmes, sources, projectShortfalls, memberShortfalls] = await Promise.all([
    readQuery<{ projects: unknown; first: unknown; last: unknown; undated: unknown; unplaced: unknown }>(
      context,
      `MATCH (p:Project) WHERE ${PROJECT_FILTER}
       RETURN count(p) AS projects, min(toInteger(p.startYear)) AS first, max(toInteger(p.startYear)) AS last,
              count(CASE WHEN p.startYear IS NULL THEN 1 END) AS undated,
              count(CASE WHEN NOT (p)-[:${REL.FUNDED_UNDER}]->(:Programme) THEN 1 END) AS unplaced`,
      params,
    ),
    readQuery<{ id: string; label: string; projects: unknown }>(
      context,
      `MATCH (p:Project) WHERE ${PROJECT_FILTER}
       MATCH (p)-[:${REL.FUNDED_UNDER}]->(:Programme)-[:${REL.PART_OF}*0..3]->(g:Programme) WHERE NOT (g)-[:${REL.PART_OF}]->(:Programme)
       RETURN g.id AS id, coalesce(g.acronym, g.name, g.id) AS label, count(DISTINCT p) AS projects
       ORDER BY projects DESC, id`,
      params,
    ),
    readQuery<{ id: string; title: string; date: unknown; newest: unknown; projects: unknown }>(
      context,
      `MATCH (p:Project) WHERE ${PROJECT_FILTER}
       MATCH (p)-[:${REL.SOURCED_FROM}]->(s:Source)
       RETURN s.id AS id, s.title AS title, toString(s.date) AS date, toString(s.newestContentUpdate) AS newest,
              count(DISTINCT p) AS projects
       ORDER BY projects DESC, id`,
      params,
    ),
    unrecordedProjects(context, programmeScope, params),
    request.memberships === null
      ? Promise.resolve([])
      : unrecordedMembers(context, request.memberships === "ALL" ? "true" : "k.id = $consortiumId", {
          consortiumId: request.memberships,
        }),
  ]);
  const count = counts[0];
  const coverage: Omit<Coverage, "statement"> = {
    projects: toNumber(count?.projects),
    fromYear: count?.first == null ? null : toNumber(count.first),
    toYear: count?.last == null ? null : toNumber(count.last),
    projectsWithoutStartYear: toNumber(count?.undated),
    programmes: programmes.map((row) => ({ ...row, projects: toNumber(row.projects) })),
    projectsWithoutProgramme: toNumber(count?.unplaced),
    sources: sources.map((row) => ({
      id: row.id,
      title: row.title,
      date: (row.date as string | null) ?? null,
      newestContentUpdate: (row.newest as string | null) ?? null,
      projects: toNumber(row.projects),
    })),
    missing: [...memberShortfalls, ...projectShortfalls],
    thresholds: request.thresholds,
  };
  return { ...coverage, statement: coverageStatement(coverage) };
}

const number = (value: number) => value.toLocaleString("en-GB");
const plural = (n: number, one: string, many = `${one}s`) => `${number(n)} ${n === 1 ? one : many}`;

/** The coverage in words, one sentence per fact, for a reader beside the numbers. */
export function coverageStatement(coverage: Omit<Coverage, "statement">): string {
  if (coverage.projects === 0) {
    return `No project matches the filters.${missingText(coverage.missing)}${thresholdText(coverage.thresholds)}`;
  }
  const years =
    coverage.fromYear === null
      ? "none of them has a start date"
      : `starting ${coverage.fromYear === coverage.toYear ? coverage.fromYear : `${coverage.fromYear}-${coverage.toYear}`}` +
        (coverage.projectsWithoutStartYear
          ? ` (${plural(coverage.projectsWithoutStartYear, "project")} without a start date)`
          : "");
  const programmes = coverage.programmes.length
    ? ` Programmes: ${coverage.programmes.map((g) => `${g.label} (${number(g.projects)})`).join(", ")}` +
      (coverage.projectsWithoutProgramme
        ? `; ${plural(coverage.projectsWithoutProgramme, "project")} under no recorded programme`
        : "") +
      "."
    : "";
  const sources = coverage.sources.length
    ? ` Sources: ${coverage.sources
        .map((s) => {
          const dates = [
            s.date ? `dated ${s.date}` : null,
            s.newestContentUpdate ? `newest record ${s.newestContentUpdate}` : null,
          ].filter(Boolean);
          return `${s.title}${dates.length ? ` (${dates.join(", ")})` : ""}`;
        })
        .join("; ")}.`
    : " No source is recorded for these projects.";
  return (
    `Counts ${plural(coverage.projects, "project")}, ${years}.${programmes}${sources}` +
    missingText(coverage.missing) +
    thresholdText(coverage.thresholds)
  );
}

function missingText(missing: readonly Shortfall[]): string {
  if (!missing.length) return "";
  const items = missing.map((m) => {
    if (m.what === "COMMITMENTS")
      return `${m.subjectLabel}: commitments stated for ${number(m.recorded)} of its ${plural(m.stated ?? 0, "recorded funder")}`;
    const what = { MEMBERS: "members", FUNDERS: "funding organisations", PROJECTS: "funded projects" }[
      m.what
    ];
    const stated =
      m.stated === null
        ? `state that it funded projects`
        : `state ${qualifierText(m.qualifier)}${number(m.stated)} ${what}`;
    return `${m.subjectLabel}: its sources ${stated}, ${number(m.recorded)} recorded`;
  });
  return ` Known to be missing (data gaps, not funding gaps): ${items.join("; ")}.`;
}

function qualifierText(qualifier: string | null): string {
  switch (qualifier) {
    case "OVER":
      return "over ";
    case "AT_LEAST":
      return "at least ";
    case "UP_TO":
      return "up to ";
    case "APPROXIMATELY":
      return "about ";
    default:
      return "";
  }
}

function thresholdText(thresholds: readonly AppliedThreshold[]): string {
  return thresholds
    .map(
      (t) =>
        ` ${t.description}` +
        (t.excludedLabels.length ? ` Left out: ${t.excludedLabels.join(", ")}.` : " None was left out."),
    )
    .join("");
}
