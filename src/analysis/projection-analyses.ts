import { type AnalysisProjection, type IdLists, projectionSourceCount } from "./analysis-projection.js";
import type { CheckedFilters } from "./project-filters.js";

/** The checked filters (projectFilterParams); a filter absent or null is no filter. */
export type FilterParams = Partial<CheckedFilters>;

const list = (value: readonly string[] | null | undefined): readonly string[] | null =>
  value?.length ? value : null;
const year = (value: number | null | undefined): number | null => (typeof value === "number" ? value : null);

/** Whether list `i` of `lists` has an item marked in `marked`. */
function anyMarked(lists: IdLists, i: number, marked: Uint8Array): boolean {
  for (let k = lists.start[i]!; k < lists.start[i + 1]!; k++) if (marked[lists.items[k]!]) return true;
  return false;
}

/** A mask of `size` entries with 1 at the index (in `index`) of each of `ids`; unknown ids mark nothing. */
export function marks(size: number, index: Map<string, number>, ids: readonly string[]): Uint8Array {
  const marked = new Uint8Array(size);
  for (const id of ids) {
    const i = index.get(id);
    if (i !== undefined) marked[i] = 1;
  }
  return marked;
}

/**
 * The funders a funderIds filter selects, as a mask by funder index: each of `funderIds` and every
 * Funder within three SAME_AS steps of one, either way (FUNDER_SELECTED in project-filters.ts), so
 * that a curated funder's filter also finds its grants from OpenAIRE. Unknown ids select nothing.
 */
export function selectedFunders(projection: AnalysisProjection, funderIds: readonly string[]): Uint8Array {
  const { funders } = projection;
  const selected = marks(funders.ids.length, funders.index, funderIds);
  // Breadth first: a funder reached at depth <= 3 has a SAME_AS path of at most three relationships.
  let frontier: number[] = [];
  for (let f = 0; f < selected.length; f++) if (selected[f]) frontier.push(f);
  for (let depth = 0; depth < 3 && frontier.length; depth++) {
    const next: number[] = [];
    for (const f of frontier) {
      for (let k = funders.sameAs.start[f]!; k < funders.sameAs.start[f + 1]!; k++) {
        const g = funders.sameAs.items[k]!;
        if (!selected[g]) {
          selected[g] = 1;
          next.push(g);
        }
      }
    }
    frontier = next;
  }
  return selected;
}

/**
 * The projects that pass PROJECT_FILTER (project-filters.ts), as a mask by project index: start year
 * within the years (a project without one fails a year bound, as `null >= x` does in Cypher), a tier
 * among pmRelevance, one of the topics, funded under one of the programmes or a call PART_OF one, and
 * funded under a programme (or a call of one) FUNDED_BY one of the funders (selectedFunders).
 */
export function filteredProjects(projection: AnalysisProjection, params: FilterParams): Uint8Array {
  const { projects } = projection;
  const count = projects.ids.length;
  const from = year(params.fromYear);
  const to = year(params.toYear);
  const tiers = list(params.pmRelevance);
  const topicIds = list(params.topicIds);
  const programmeIds = list(params.programmeIds);
  const funderIds = list(params.funderIds);
  const funderMarks = funderIds && selectedFunders(projection, funderIds);
  const tierMarks =
    tiers && marks(projection.tiers.length, new Map(projection.tiers.map((t, i) => [t, i])), tiers);
  const topicMarks = topicIds && marks(projection.topics.ids.length, projection.topics.index, topicIds);
  const programmeMarks =
    programmeIds && marks(projection.programmes.ids.length, projection.programmes.index, programmeIds);
  const mask = new Uint8Array(count);
  for (let p = 0; p < count; p++) {
    const start = projects.startYear[p]!;
    if (from !== null && !(start >= from)) continue;
    if (to !== null && !(start <= to)) continue;
    if (tierMarks && !(projects.tier[p]! >= 0 && tierMarks[projects.tier[p]!])) continue;
    if (topicMarks && !anyMarked(projects.topics, p, topicMarks)) continue;
    if (programmeMarks && !anyMarked(projects.programmeScope, p, programmeMarks)) continue;
    if (funderMarks && !anyMarked(projects.directFunders, p, funderMarks)) continue;
    mask[p] = 1;
  }
  return mask;
}

/** Code-unit order, as Cypher's ORDER BY sorts strings. */
export const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Sums per entity within one project: `add` marks the entity present in the current project (`begin`)
 * and adds to its cents and participations; `present` lists the entities of the current project.
 */
export class ProjectScratch {
  private readonly stamp: Int32Array;
  readonly cents: Float64Array;
  readonly parts: Int32Array;
  readonly present: number[] = [];
  private project = -1;

  constructor(size: number) {
    this.stamp = new Int32Array(size).fill(-1);
    this.cents = new Float64Array(size);
    this.parts = new Int32Array(size);
  }

  begin(project: number): void {
    this.project = project;
    this.present.length = 0;
  }

  add(entity: number, cents: number): void {
    if (this.stamp[entity] !== this.project) {
      this.stamp[entity] = this.project;
      this.cents[entity] = 0;
      this.parts[entity] = 0;
      this.present.push(entity);
    }
    this.cents[entity] += cents;
    this.parts[entity]! += 1;
  }
}

/**
 * Adds the participations of project `p` to `scratch` per entity: per organisation, or per country of
 * each organisation (one entry per LOCATED_IN, as participationsByCountry expands them).
 */
export function addParticipations(
  projection: AnalysisProjection,
  level: "COUNTRY" | "ORGANISATION",
  p: number,
  scratch: ProjectScratch,
): void {
  const { start, organisation, cents } = projection.projects.participations;
  const { countries } = projection.organisations;
  scratch.begin(p);
  for (let k = start[p]!; k < start[p + 1]!; k++) {
    const o = organisation[k]!;
    if (level === "ORGANISATION") scratch.add(o, cents[k]!);
    else
      for (let c = countries.start[o]!; c < countries.start[o + 1]!; c++)
        scratch.add(countries.items[c]!, cents[k]!);
  }
}

/** Integer sums: amounts in whole cents, projects, participations (as funding-matrix.ts sums them). */
export type Aggregate = { cents: number; projects: number; parts: number };

export interface ProjectionMatrixFacts {
  columnHeaders: { key: string; label: string; linkedProjects?: number | null }[];
  rowTotals: {
    id: string;
    label: string;
    population: number | null;
    placed: Aggregate;
    outside: Aggregate;
  }[];
  cellOf: (row: string, column: string) => Aggregate | undefined;
  /** sourceCount of the projects of all rows, or (perMillion) of the rows with a population, and those rows. */
  sourceCount: (rowIds: readonly string[], perMillion: boolean) => number;
}

/**
 * The columns of a matrix: `headers` in column order, and `columnsOf(p, into)` pushing onto `into` the
 * column indices of project `p` (an index outside 0..headers.length-1 places the project in no cell).
 */
interface MatrixColumns {
  headers: ProjectionMatrixFacts["columnHeaders"];
  columnsOf: (p: number, into: number[]) => void;
}

/**
 * TOPIC columns: the topics of `params.topicIds`, else all topics of `params.topicScheme`, in id order
 * (code units), each with its linkedProjects; a project falls in the columns of the topics it has.
 */
function topicColumns(projection: AnalysisProjection, params: FilterParams): MatrixColumns {
  const { projects, topics } = projection;
  const topicIds = list(params.topicIds);
  const selected = topics.ids
    .map((_, t) => t)
    .filter((t) => (topicIds ? topicIds.includes(topics.ids[t]!) : topics.scheme[t] === params.topicScheme))
    .sort((a, b) => compareIds(topics.ids[a]!, topics.ids[b]!));
  const column = new Int32Array(topics.ids.length).fill(-1);
  selected.forEach((t, c) => {
    column[t] = c;
  });
  return {
    headers: selected.map((t) => ({
      key: topics.ids[t]!,
      label: topics.name[t]!,
      linkedProjects: topics.linkedProjects[t]!,
    })),
    columnsOf: (p, into) => {
      for (let k = projects.topics.start[p]!; k < projects.topics.start[p + 1]!; k++) {
        const c = column[projects.topics.items[k]!]!;
        if (c >= 0) into.push(c);
      }
    },
  };
}

/**
 * YEAR columns: one per calendar year from `params.fromYear` (else the earliest start year of the
 * filtered projects) to `params.toYear` (else the latest), none when either end is unknown; a project
 * falls in the column of its start year (truncated to a whole year).
 */
function yearColumns(projection: AnalysisProjection, params: FilterParams, mask: Uint8Array): MatrixColumns {
  const { projects } = projection;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let p = 0; p < projects.ids.length; p++) {
    const start = projects.startYear[p]!;
    if (!mask[p] || Number.isNaN(start)) continue;
    min = Math.min(min, Math.trunc(start));
    max = Math.max(max, Math.trunc(start));
  }
  const first = year(params.fromYear) ?? (Number.isFinite(min) ? min : null);
  const last = year(params.toYear) ?? (Number.isFinite(max) ? max : null);
  return {
    headers:
      first === null || last === null
        ? []
        : Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => ({
            key: String(first + i),
            label: String(first + i),
          })),
    columnsOf: (p, into) => {
      const start = projects.startYear[p]!;
      if (!Number.isNaN(start) && first !== null) into.push(Math.trunc(start) - first);
    },
  };
}

/**
 * PROGRAMME columns: the programmes that fund at least one filtered project, in id order (code units),
 * labelled with their column label; a project falls in the column of each programme it is funded under.
 */
function programmeColumns(projection: AnalysisProjection, mask: Uint8Array): MatrixColumns {
  const { projects, programmes } = projection;
  const used = new Uint8Array(programmes.ids.length);
  for (let p = 0; p < projects.ids.length; p++) {
    if (!mask[p]) continue;
    for (let k = projects.programmes.start[p]!; k < projects.programmes.start[p + 1]!; k++)
      used[projects.programmes.items[k]!] = 1;
  }
  const selected = programmes.ids
    .map((_, g) => g)
    .filter((g) => used[g])
    .sort((a, b) => compareIds(programmes.ids[a]!, programmes.ids[b]!));
  const column = new Int32Array(programmes.ids.length).fill(-1);
  selected.forEach((g, c) => {
    column[g] = c;
  });
  return {
    headers: selected.map((g) => ({ key: programmes.ids[g]!, label: programmes.columnLabel[g]! })),
    columnsOf: (p, into) => {
      for (let k = projects.programmes.start[p]!; k < projects.programmes.start[p + 1]!; k++)
        into.push(column[projects.programmes.items[k]!]!);
    },
  };
}

/** Per-slot sums as Float64Arrays (whole cents, projects, participations), one slot per row or cell. */
type Sums = { cents: Float64Array; projects: Float64Array; parts: Float64Array };

const sums = (size: number): Sums => ({
  cents: new Float64Array(size),
  projects: new Float64Array(size),
  parts: new Float64Array(size),
});

const addTo = (to: Sums, at: number, cents: number, parts: number) => {
  to.cents[at]! += cents;
  to.projects[at]! += 1;
  to.parts[at]! += parts;
};

const aggregateAt = (from: Sums, i: number): Aggregate => ({
  cents: from.cents[i]!,
  projects: from.projects[i]!,
  parts: from.parts[i]!,
});

/**
 * The sums of a matrix over the filtered projects (`mask`): per row, placed (the project falls in a
 * column) and outside (it falls in none); per cell (index row * width + column). COUNTRY rows
 * sum each participation once per LOCATED_IN country; FUNDER and PROGRAMME rows count the project's
 * funding and all its participations once per row.
 */
function matrixSums(
  projection: AnalysisProjection,
  rows: "COUNTRY" | "FUNDER" | "PROGRAMME",
  rowCount: number,
  columns: MatrixColumns,
  mask: Uint8Array,
) {
  const { projects } = projection;
  const projectCount = projects.ids.length;
  const width = columns.headers.length;
  const placed = sums(rowCount);
  const outside = sums(rowCount);
  const cells = sums(rowCount * width);
  const scratch = new ProjectScratch(rowCount);
  const projectColumns: number[] = [];
  for (let p = 0; p < projectCount; p++) {
    if (!mask[p]) continue;
    projectColumns.length = 0;
    columns.columnsOf(p, projectColumns);
    rowsOfProject(projection, rows, p, scratch);
    for (const r of scratch.present) {
      const cents = scratch.cents[r]!;
      const parts = scratch.parts[r]!;
      if (!projectColumns.length) addTo(outside, r, cents, parts);
      else {
        addTo(placed, r, cents, parts);
        for (const c of projectColumns) if (c >= 0 && c < width) addTo(cells, r * width + c, cents, parts);
      }
    }
  }
  return { placed, outside, cells };
}

/**
 * The rows project `p` counts in, into `scratch` (present, with cents and participations per row):
 * COUNTRY rows per participation and LOCATED_IN; FUNDER and PROGRAMME rows the project's funding and
 * all its participations once per row.
 */
function rowsOfProject(
  projection: AnalysisProjection,
  rows: "COUNTRY" | "FUNDER" | "PROGRAMME",
  p: number,
  scratch: ProjectScratch,
): void {
  const { projects } = projection;
  if (rows === "COUNTRY") {
    addParticipations(projection, "COUNTRY", p, scratch);
    return;
  }
  const lists = rows === "FUNDER" ? projects.funders : projects.programmes;
  const parts = projects.participations.start[p + 1]! - projects.participations.start[p]!;
  scratch.begin(p);
  for (let k = lists.start[p]!; k < lists.start[p + 1]!; k++) {
    const r = lists.items[k]!;
    scratch.add(r, projects.fundingCents[p]!);
    scratch.parts[r] = parts;
  }
}

/**
 * The facts of fundingMatrix from the projection: column headers, each row's totals (placed, outside
 * the columns) and cells, as funding-matrix.ts defines them (the tests' Cypher oracle computes the same).
 */
export function projectionMatrixFacts(
  projection: AnalysisProjection,
  rows: "COUNTRY" | "FUNDER" | "PROGRAMME",
  columns: "TOPIC" | "YEAR" | "PROGRAMME",
  params: FilterParams,
): ProjectionMatrixFacts {
  const { projects } = projection;
  const projectCount = projects.ids.length;
  const mask = filteredProjects(projection, params);
  const matrixColumns =
    columns === "TOPIC"
      ? topicColumns(projection, params)
      : columns === "YEAR"
        ? yearColumns(projection, params, mask)
        : programmeColumns(projection, mask);
  const columnHeaders = matrixColumns.headers;
  const table =
    rows === "COUNTRY"
      ? projection.countries
      : rows === "FUNDER"
        ? projection.funders
        : projection.programmes;
  const rowCount = table.ids.length;
  const width = columnHeaders.length;
  const population = (r: number) => (rows === "COUNTRY" ? projection.countries.population[r]! : null);
  const { placed, outside, cells } = matrixSums(projection, rows, rowCount, matrixColumns, mask);
  const rowTotals: ProjectionMatrixFacts["rowTotals"] = [];
  for (let r = 0; r < rowCount; r++) {
    if (!placed.projects[r] && !outside.projects[r]) continue;
    rowTotals.push({
      id: table.ids[r]!,
      label: table.rowLabel[r]!,
      population: population(r),
      placed: aggregateAt(placed, r),
      outside: aggregateAt(outside, r),
    });
  }
  const columnIndex = new Map(columnHeaders.map((column, c) => [column.key, c]));
  return {
    columnHeaders,
    rowTotals,
    cellOf: (row, column) => {
      const r = table.index.get(row);
      const c = columnIndex.get(column);
      if (r === undefined || c === undefined || !cells.projects[r * width + c]) return undefined;
      return aggregateAt(cells, r * width + c);
    },
    // The projects of the rows listed (per capita: the countries kept) and, per capita, those rows.
    sourceCount: (rowIds, perMillion) => {
      const listed = marks(rowCount, table.index, rowIds);
      const ids: string[] = perMillion ? [...rowIds] : [];
      const scratch = new ProjectScratch(rowCount);
      for (let p = 0; p < projectCount; p++) {
        if (!mask[p]) continue;
        rowsOfProject(projection, rows, p, scratch);
        if (scratch.present.some((r) => listed[r])) ids.push(projects.ids[p]!);
      }
      return projectionSourceCount(projection, ids);
    },
  };
}
