import { type AnalysisContext, readQuery, toNumber } from "./analysis-context.js";
import { badInput } from "./analysis-error.js";
import { PROJECT_FILTER, type ProjectFilters, projectFilterParams } from "./project-filters.js";

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

/** (row entity, project, amount, participations): one per pair, so sums never count a project twice in a row. */
const ROW_FACTS: Record<MatrixRows, string> = {
  COUNTRY: `MATCH (rowNode:Country)<-[:LOCATED_IN]-(:Organisation)-[r:PARTICIPATES_IN]->(p)
    WITH rowNode, p, sum(coalesce(r.contribution, 0.0)) AS amount, count(r) AS parts`,
  FUNDER: `MATCH (p)-[:FUNDED_UNDER]->(:Programme)-[:PART_OF*0..3]->(:Programme)-[:FUNDED_BY]->(rowNode:Funder)
    WITH DISTINCT rowNode, p
    WITH rowNode, p, coalesce(p.funding, 0.0) AS amount, COUNT { (:Organisation)-[:PARTICIPATES_IN]->(p) } AS parts`,
  PROGRAMME: `MATCH (p)-[:FUNDED_UNDER]->(rowNode:Programme)
    WITH DISTINCT rowNode, p
    WITH rowNode, p, coalesce(p.funding, 0.0) AS amount, COUNT { (:Organisation)-[:PARTICIPATES_IN]->(p) } AS parts`,
};

/** The column key(s) of each project. */
const COLUMN_OF_PROJECT: Record<MatrixColumns, string> = {
  TOPIC:
    "MATCH (p)-[:ADDRESSES]->(col:Topic) WHERE col.id IN $columnIds WITH rowNode, p, amount, parts, col.id AS column",
  YEAR: "WITH rowNode, p, amount, parts, toString(p.startYear) AS column WHERE p.startYear IS NOT NULL",
  PROGRAMME: "MATCH (p)-[:FUNDED_UNDER]->(col:Programme) WITH rowNode, p, amount, parts, col.id AS column",
};

const MEASURE_FIELD: Record<MatrixMeasure, "amount" | "projects" | "parts"> = {
  AMOUNT_EUR: "amount",
  PROJECTS: "projects",
  PARTICIPATIONS: "parts",
};

const ROW_LABEL = "coalesce(rowNode.acronym, rowNode.name, rowNode.id)";

type Aggregate = { amount: number; projects: unknown; parts: unknown };

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
  const rows = await readQuery(
    context,
    `MATCH (p:Project) WHERE ${PROJECT_FILTER}
     ${ROW_FACTS[args.rows]}
     ${COLUMN_OF_PROJECT[args.columns]}
     WITH collect({row: rowNode.id, label: ${ROW_LABEL}, population: rowNode.population, p: p.id, amount: amount, parts: parts, column: column}) AS facts
     CALL (facts) {
       UNWIND facts AS f
       WITH f.row AS row, f.column AS column, sum(f.amount) AS amount, count(DISTINCT f.p) AS projects, sum(f.parts) AS parts
       RETURN collect({row: row, column: column, amount: amount, projects: projects, parts: parts}) AS cells
     }
     CALL (facts) {
       UNWIND facts AS f
       WITH DISTINCT f.row AS row, f.label AS label, f.population AS population, f.p AS p, f.amount AS amount, f.parts AS parts
       WITH row, label, population, sum(amount) AS amount, count(p) AS projects, sum(parts) AS parts
       RETURN collect({id: row, label: label, population: population, amount: amount, projects: projects, parts: parts}) AS rowTotals
     }
     CALL (facts) {
       UNWIND facts AS f
       WITH f.column AS column, sum(f.amount) AS amount, count(DISTINCT f.p) AS projects, sum(f.parts) AS parts
       RETURN collect({id: column, amount: amount, projects: projects, parts: parts}) AS columnTotals
     }
     CALL (facts) {
       UNWIND facts AS f
       WITH DISTINCT f.p AS id
       MATCH (:Project {id: id})-[:SOURCED_FROM]->(s:Source)
       RETURN count(DISTINCT s) AS sourceCount
     }
     RETURN cells, rowTotals, columnTotals, sourceCount`,
    { ...params, columnIds: columnHeaders.map((column) => column.id) },
  );
  const result = rows[0] as {
    cells: (Aggregate & { row: string; column: string })[];
    rowTotals: (Aggregate & { id: string; label: string; population: number | null })[];
    columnTotals: (Aggregate & { id: string })[];
    sourceCount: unknown;
  };
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
  const cellsByKey = new Map(result.cells.map((cell) => [`${cell.row}\u0000${cell.column}`, cell]));
  const columnTotals = new Map(result.columnTotals.map((column) => [column.id, column]));
  const populationMillions = [...millions.values()].reduce((sum, value) => sum + value, 0);
  const columns = columnHeaders.map((column) => {
    if (!perMillion) return { ...column, total: measureOf(columnTotals.get(column.id)) };
    // Per capita of all rows together: the column's sum over the rows' population.
    const sum = headers.reduce(
      (acc, row) => acc + measureOf(cellsByKey.get(`${row.id}\u0000${column.id}`)),
      0,
    );
    return { ...column, total: populationMillions > 0 ? sum / populationMillions : 0 };
  });
  const cells = headers.flatMap((row) =>
    columns.map((column) => ({
      row: row.id,
      column: column.id,
      value: scale(row.id, measureOf(cellsByKey.get(`${row.id}\u0000${column.id}`))),
    })),
  );
  return {
    rows: headers,
    columns,
    cells,
    description: describe(args.rows, args.columns, args.measure, perMillion),
    sourceCount: toNumber(result.sourceCount),
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
