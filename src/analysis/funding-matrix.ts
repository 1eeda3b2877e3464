import { type AnalysisContext, readQuery, toNumber } from "./analysis-context.js";
import { badInput } from "./analysis-error.js";
import {
  PROJECT_FILTER,
  type ProjectFilters,
  participationsByCountry,
  projectFilterParams,
} from "./project-filters.js";

export type MatrixRows = "COUNTRY" | "FUNDER" | "PROGRAMME";
export type MatrixColumns = "TOPIC" | "YEAR" | "PROGRAMME";
export type MatrixMeasure = "AMOUNT_EUR" | "PROJECTS" | "PARTICIPATIONS";
export type Normalisation = "NONE" | "PER_MILLION_INHABITANTS";

export interface AnalysisFilters extends ProjectFilters {
  topicScheme?: string | null | undefined;
}

export interface MatrixHeader {
  id: string;
  label: string;
  total: number;
}

export interface FundingMatrix {
  rows: MatrixHeader[];
  columns: MatrixHeader[];
  cells: { row: string; column: string; value: number }[];
  description: string;
  sourceCount: number;
}

/**
 * (row entity, project, amount, participations) of the filtered projects, one per pair, so that sums
 * never count a project twice in a row.
 */
const ROW_FACTS: Record<MatrixRows, string> = {
  COUNTRY: `${participationsByCountry("rowNode")}
    WITH rowNode, p, sum(coalesce(r.contribution, 0.0)) AS amount, count(r) AS parts`,
  FUNDER: `MATCH (p:Project) WHERE ${PROJECT_FILTER}
    MATCH (p)-[:FUNDED_UNDER]->(:Programme)-[:PART_OF*0..3]->(:Programme)-[:FUNDED_BY]->(rowNode:Funder)
    WITH DISTINCT rowNode, p
    WITH rowNode, p, coalesce(p.funding, 0.0) AS amount, COUNT { (:Organisation)-[:PARTICIPATES_IN]->(p) } AS parts`,
  PROGRAMME: `MATCH (p:Project) WHERE ${PROJECT_FILTER}
    MATCH (p)-[:FUNDED_UNDER]->(rowNode:Programme)
    WITH DISTINCT rowNode, p
    WITH rowNode, p, coalesce(p.funding, 0.0) AS amount, COUNT { (:Organisation)-[:PARTICIPATES_IN]->(p) } AS parts`,
};

/** The column key(s) of each filtered project. */
const COLUMN_OF_PROJECT: Record<MatrixColumns, string> = {
  TOPIC: "MATCH (p)-[:ADDRESSES]->(col:Topic) WHERE col.id IN $columnIds WITH p, col.id AS column",
  YEAR: "WITH p, toString(p.startYear) AS column WHERE p.startYear IS NOT NULL",
  PROGRAMME: "MATCH (p)-[:FUNDED_UNDER]->(col:Programme) WITH p, col.id AS column",
};

const MEASURE_FIELD: Record<MatrixMeasure, "amount" | "projects" | "parts"> = {
  AMOUNT_EUR: "amount",
  PROJECTS: "projects",
  PARTICIPATIONS: "parts",
};

const ROW_LABEL = "coalesce(rowNode.acronym, rowNode.name, rowNode.id)";

type Aggregate = { amount: number; projects: number; parts: number };

/**
 * Rows x columns of a measure, every cell present (zeros included). A project's year is its start
 * year. AMOUNT_EUR sums EU contributions to a country's participants (COUNTRY rows) or project funding
 * (FUNDER, PROGRAMME rows).
 */
export async function fundingMatrix(
  context: AnalysisContext,
  args: {
    rows: MatrixRows;
    columns: MatrixColumns;
    measure: MatrixMeasure;
    normalise?: Normalisation | null | undefined;
    filters?: AnalysisFilters | null | undefined;
  },
): Promise<FundingMatrix> {
  const filters = args.filters ?? {};
  const normalise = args.normalise ?? "NONE";
  if (normalise === "PER_MILLION_INHABITANTS" && args.rows !== "COUNTRY") {
    throw badInput(
      "normalise",
      "PER_MILLION_INHABITANTS needs rows: COUNTRY (only countries have a population)",
    );
  }
  const params = await projectFilterParams(context, filters, "filters.");
  const columnHeaders = await columnHeadersOf(context, args.columns, filters, params);
  // Neo4j gives which projects each row entity has (with its amount) and which columns each project
  // falls in; the cells and totals are summed here, a loop over the facts instead of four Cypher passes
  // over a collected list of them.
  const queryParams = { ...params, columnIds: columnHeaders.map((column) => column.id) };
  const [rowFacts, columnFacts, sourceFacts] = await Promise.all([
    readQuery<RowFacts>(
      context,
      `${ROW_FACTS[args.rows]}
       RETURN rowNode.id AS id, ${ROW_LABEL} AS label, rowNode.population AS population,
              collect(p.id) AS projects, collect(amount) AS amounts, collect(parts) AS parts`,
      queryParams,
    ),
    readQuery<{ column: string; projects: string[] }>(
      context,
      `MATCH (p:Project) WHERE ${PROJECT_FILTER}
       ${COLUMN_OF_PROJECT[args.columns]}
       RETURN column, collect(DISTINCT p.id) AS projects`,
      queryParams,
    ),
    readQuery<{ projects: string[] }>(
      context,
      `MATCH (p:Project) WHERE ${PROJECT_FILTER}
       MATCH (p)-[:SOURCED_FROM]->(s:Source)
       RETURN s.id AS source, collect(p.id) AS projects`,
      queryParams,
    ),
  ]);
  const result = aggregateFacts(rowFacts, columnFacts);
  const sourceCount = sourceFacts.filter((source) =>
    source.projects.some((project) => result.countedProjects.has(project)),
  ).length;
  const field = MEASURE_FIELD[args.measure];
  const measureOf = (aggregate: Aggregate | undefined) => (aggregate ? toNumber(aggregate[field]) : 0);

  let rowTotals = result.rowTotals;
  const perMillion = normalise === "PER_MILLION_INHABITANTS";
  if (perMillion) rowTotals = rowTotals.filter((row) => row.population && row.population > 0);
  const millions = new Map(rowTotals.map((row) => [row.id, (row.population ?? 0) / 1_000_000]));
  const scale = (rowId: string, value: number) => (perMillion ? value / millions.get(rowId)! : value);

  const headers = rowTotals
    .map((row) => ({ id: row.id, label: row.label, total: scale(row.id, measureOf(row)) }))
    .sort((a, b) => b.total - a.total || a.id.localeCompare(b.id));
  const { cellsByKey } = result;
  const columnTotals = new Map(result.columnTotals.map((column) => [column.id, column]));
  const populationMillions = [...millions.values()].reduce((sum, value) => sum + value, 0);
  const columns = columnHeaders.map((column) => {
    if (!perMillion) return { ...column, total: measureOf(columnTotals.get(column.id)) };
    // Per capita of all rows together: the column's sum over the rows' population.
    const sum = headers.reduce((acc, row) => acc + measureOf(cellsByKey.get(cellKey(row.id, column.id))), 0);
    return { ...column, total: populationMillions > 0 ? sum / populationMillions : 0 };
  });
  const cells = headers.flatMap((row) =>
    columns.map((column) => ({
      row: row.id,
      column: column.id,
      value: scale(row.id, measureOf(cellsByKey.get(cellKey(row.id, column.id)))),
    })),
  );
  return {
    rows: headers,
    columns,
    cells,
    description: describe(args.rows, args.columns, args.measure, perMillion),
    sourceCount,
  };
}

/** The key of a cell in aggregateFacts' cellsByKey. */
const cellKey = (row: string, column: string) => `${row}\u0000${column}`;

interface RowFacts {
  id: string;
  label: string;
  population: number | null;
  projects: string[];
  amounts: number[];
  parts: unknown[];
}

/**
 * Cells and totals from the facts: a project counts in a row and column when the row entity takes part
 * in it and it falls in the column; row totals count each project once per row, whatever its columns.
 */
export function aggregateFacts(
  rowFacts: readonly RowFacts[],
  columnFacts: readonly { column: string; projects: string[] }[],
) {
  const columnsOf = new Map<string, string[]>();
  for (const { column, projects } of columnFacts) {
    for (const project of projects) {
      const columns = columnsOf.get(project);
      if (columns) columns.push(column);
      else columnsOf.set(project, [column]);
    }
  }
  const empty = () => ({ amount: 0, projects: 0, parts: 0 });
  const cellsByKey = new Map<string, Aggregate>();
  const columnTotals = new Map<string, Aggregate & { id: string; members: Set<string> }>();
  const rowTotals: (Aggregate & { id: string; label: string; population: number | null })[] = [];
  const counted = new Set<string>();
  for (const row of rowFacts) {
    const total = { id: row.id, label: row.label, population: row.population, ...empty() };
    row.projects.forEach((project, k) => {
      const columns = columnsOf.get(project);
      if (!columns) return;
      const amount = row.amounts[k] ?? 0;
      const parts = toNumber(row.parts[k]);
      counted.add(project);
      total.amount += amount;
      total.projects += 1;
      total.parts += parts;
      for (const column of columns) {
        const key = cellKey(row.id, column);
        let cell = cellsByKey.get(key);
        if (!cell) {
          cell = empty();
          cellsByKey.set(key, cell);
        }
        cell.amount += amount;
        cell.projects += 1;
        cell.parts += parts;
        let columnTotal = columnTotals.get(column);
        if (!columnTotal) {
          columnTotal = { id: column, members: new Set(), ...empty() };
          columnTotals.set(column, columnTotal);
        }
        columnTotal.amount += amount;
        columnTotal.parts += parts;
        columnTotal.members.add(project);
      }
    });
    if (total.projects > 0) rowTotals.push(total);
  }
  return {
    /** By cellKey(row, column). */
    cellsByKey,
    rowTotals,
    columnTotals: [...columnTotals.values()].map(({ members, ...columnTotal }) => ({
      ...columnTotal,
      projects: members.size,
    })),
    countedProjects: counted,
  };
}

async function columnHeadersOf(
  context: AnalysisContext,
  columns: MatrixColumns,
  filters: AnalysisFilters,
  params: Record<string, unknown>,
): Promise<{ id: string; label: string }[]> {
  switch (columns) {
    case "TOPIC": {
      const rows = await readQuery<{ id: string; label: string }>(
        context,
        `MATCH (t:Topic) WHERE ($topicIds IS NOT NULL AND t.id IN $topicIds) OR ($topicIds IS NULL AND t.scheme = $scheme)
         RETURN t.id AS id, t.name AS label ORDER BY t.id`,
        { topicIds: params.topicIds, scheme: filters.topicScheme ?? "LEGAL_BASIS" },
      );
      return rows;
    }
    case "YEAR": {
      const [range] = await readQuery<{ first: unknown; last: unknown }>(
        context,
        `MATCH (p:Project) WHERE ${PROJECT_FILTER} AND p.startYear IS NOT NULL RETURN min(p.startYear) AS first, max(p.startYear) AS last`,
        params,
      );
      const first = filters.fromYear ?? (range?.first == null ? null : toNumber(range.first));
      const last = filters.toYear ?? (range?.last == null ? null : toNumber(range.last));
      if (first === null || last === null) return [];
      return Array.from({ length: last - first + 1 }, (_, i) => ({
        id: String(first + i),
        label: String(first + i),
      }));
    }
    case "PROGRAMME":
      return readQuery<{ id: string; label: string }>(
        context,
        `MATCH (p:Project)-[:FUNDED_UNDER]->(g:Programme) WHERE ${PROJECT_FILTER}
         RETURN DISTINCT g.id AS id, coalesce(g.acronym, g.name) AS label ORDER BY id`,
        params,
      );
  }
}

function describe(
  rows: MatrixRows,
  columns: MatrixColumns,
  measure: MatrixMeasure,
  perMillion: boolean,
): string {
  const what: Record<MatrixMeasure, string> = {
    AMOUNT_EUR:
      rows === "COUNTRY"
        ? "sum of EU contributions (EUR) to participants located in the country"
        : "sum of the EU funding (EUR) of the projects",
    PROJECTS: "distinct projects",
    PARTICIPATIONS: "participations (organisation x project x role)",
  };
  const column: Record<MatrixColumns, string> = {
    TOPIC: "topics the projects address",
    YEAR: "projects' start years",
    PROGRAMME: "programmes the projects are funded under",
  };
  return (
    `${rows.toLowerCase()} x ${column[columns]}: ${what[measure]}` +
    (perMillion
      ? ", per million inhabitants (latest World Bank population; countries without one are left out)"
      : "") +
    ". Row totals count each project once per row; column totals sum the cells (distinct projects for PROJECTS)."
  );
}
