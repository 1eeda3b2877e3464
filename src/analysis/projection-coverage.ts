import type { AnalysisProjection } from "./analysis-projection.js";
import { compareIds, type FilterParams, filteredProjects } from "./projection-analyses.js";

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

/** The part of Coverage that describes the selected projects themselves (coverage.ts). */
export interface ProjectedCoverage {
  projects: number;
  fromYear: number | null;
  toYear: number | null;
  projectsWithoutStartYear: number;
  programmes: CoverageProgramme[];
  projectsWithoutProgramme: number;
  sources: CoverageSource[];
}

/** Entities with a count above zero, largest count first, then by id in code-unit order (Cypher's ORDER BY). */
function ranked(counts: Int32Array, ids: readonly string[]): number[] {
  const kept: number[] = [];
  for (let i = 0; i < counts.length; i++) if (counts[i]) kept.push(i);
  return kept.sort((a, b) => counts[b]! - counts[a]! || compareIds(ids[a]!, ids[b]!));
}

/**
 * The population of an answer from the analysis projection: the projects PROJECT_FILTER selects under
 * `params` (filteredProjects); their earliest and latest start year (integer part, as toInteger; null
 * when none has one) and how many have none; the top-level programmes (PART_OF no Programme) they are
 * funded under, directly or through PART_OF*0..3, with distinct project counts and row labels
 * (acronym, else name, else id); how many are funded under no programme; and their sources with title
 * and dates and distinct project counts. Lists are ordered by projects descending, then id.
 */
export function projectedCoverage(projection: AnalysisProjection, params: FilterParams): ProjectedCoverage {
  const { projects, programmes, sources } = projection;
  const { topLevel } = programmes;
  const { details } = sources;
  const mask = filteredProjects(projection, params);
  const perProgramme = new Int32Array(programmes.ids.length);
  const perSource = new Int32Array(sources.ids.length);
  let count = 0;
  let undated = 0;
  let unplaced = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let p = 0; p < mask.length; p++) {
    if (!mask[p]) continue;
    count++;
    const start = projects.startYear[p]!;
    if (Number.isNaN(start)) undated++;
    else {
      first = Math.min(first, Math.trunc(start));
      last = Math.max(last, Math.trunc(start));
    }
    if (projects.programmes.start[p] === projects.programmes.start[p + 1]) unplaced++;
    // programmeScope is distinct per project, so each project counts once per programme.
    const scope = projects.programmeScope;
    for (let k = scope.start[p]!; k < scope.start[p + 1]!; k++) {
      const g = scope.items[k]!;
      if (topLevel[g]) perProgramme[g]!++;
    }
    for (const s of sources.ofEntity.get(projects.ids[p]!) ?? []) perSource[s]!++;
  }
  const dated = count > undated;
  return {
    projects: count,
    fromYear: dated ? first : null,
    toYear: dated ? last : null,
    projectsWithoutStartYear: undated,
    programmes: ranked(perProgramme, programmes.ids).map((g) => ({
      id: programmes.ids[g]!,
      label: programmes.rowLabel[g]!,
      projects: perProgramme[g]!,
    })),
    projectsWithoutProgramme: unplaced,
    sources: ranked(perSource, sources.ids).map((s) => ({
      id: sources.ids[s]!,
      title: details.title[s]!,
      date: details.date[s] ?? null,
      newestContentUpdate: details.newestContentUpdate[s] ?? null,
      projects: perSource[s]!,
    })),
  };
}
