import { REL } from "../model/relationships.js";
import type { AnalysisContext } from "./analysis-context.js";
import type { FilterParams } from "./projection-analyses.js";
import {
  type CoverageProgramme,
  type CoverageSource,
  type ProjectedCoverage,
  projectedCoverage,
} from "./projection-coverage.js";
import { analysisProjection } from "./projection-store.js";
import { type Shortfall, unrecordedMembers, unrecordedProjects } from "./stated-vs-recorded.js";

export type { CoverageProgramme, CoverageSource };

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

/** The GraphQL Coverage type: see schema/analysis.graphql. */
export interface Coverage extends ProjectedCoverage {
  missing: Shortfall[];
  thresholds: AppliedThreshold[];
  statement: string;
}

/**
 * The coverage of an analysis answer: the projects its filters select (the population every figure
 * is computed from), the start years and top-level programmes they span, their sources with their
 * dates, what sources state that the records fall short of (a call's funded projects, a consortium's
 * members), the thresholds applied, and all of it in one plain-English statement for a reader.
 * The population comes from the analysis projection (projectedCoverage), at the data version the
 * analyses read; the shortfalls are two small Cypher reads of StatedFact nodes and consortia.
 * Shortfalls of programmes are those within $programmeIds (or all); years do not narrow them, since a
 * stated number of funded projects is about the whole call. Reads only; errors are the driver's and
 * the projection build's (e.g. QUERY_TIMEOUT).
 */
export async function coverageOf(context: AnalysisContext, request: CoverageRequest): Promise<Coverage> {
  const { params } = request;
  const programmeScope = `($programmeIds IS NULL OR EXISTS { MATCH (g)-[:${REL.PART_OF}*0..3]->(selected:Programme) WHERE selected.id IN $programmeIds })`;
  // The population was three scans of every project in Cypher (seconds on Horizon Europe under load);
  // the shortfall reads touch a few StatedFact nodes and stay Cypher (about 15 ms there).
  const [projection, projectShortfalls, memberShortfalls] = await Promise.all([
    analysisProjection(context),
    unrecordedProjects(context, programmeScope, params),
    request.memberships === null
      ? Promise.resolve([])
      : unrecordedMembers(context, request.memberships === "ALL" ? "true" : "k.id = $consortiumId", {
          consortiumId: request.memberships,
        }),
  ]);
  const coverage: Omit<Coverage, "statement"> = {
    ...projectedCoverage(projection, params as FilterParams),
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
