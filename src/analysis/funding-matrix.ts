import { REL } from "../model/relationships.js";
import { type AnalysisContext, readQuery, toNumber } from "./analysis-context.js";
import { badInput } from "./analysis-error.js";
import type { AppliedThreshold, CoverageRequest } from "./coverage.js";
import { centsOf, eurFromCents, roundToCent } from "./money.js";
import {
  type AnalysisFilters,
  fundedUnder,
  funderBody,
  inFilters,
  PROJECT_FILTER,
  participationsByCountry,
  projectFilterParams,
  sourceCountOf,
  topicSelected,
} from "./project-filters.js";
import { projectionMatrixFacts } from "./projection-analyses.js";
import { projectionFor } from "./projection-store.js";

/** The matrix filters the analysis projection answers; any other filter with a value runs the Cypher path. */
const PROJECTION_FILTERS = ["topicIds", "programmeIds", "fromYear", "toYear", "pmRelevance", "topicScheme"];

export type MatrixRows = "COUNTRY" | "FUNDER" | "PROGRAMME";
export type MatrixColumns = "TOPIC" | "YEAR" | "PROGRAMME";
export type MatrixMeasure = "AMOUNT_EUR" | "PROJECTS" | "PARTICIPATIONS";
export type Normalisation = "NONE" | "PER_MILLION_INHABITANTS";

export interface MatrixColumn {
  /** A topic or programme id, or a year ("2023"). */
  key: string;
  label: string;
  /** The sum of the column's cells. */
  total: number;
  /** TOPIC columns: projects linked to the topic at all (no filter); null for other columns. */
  linkedProjects?: number | null;
}

export interface MatrixRow extends Omit<MatrixColumn, "linkedProjects"> {
  /** The row's one total: its measure over all its filtered projects, each once, in a column or not. */
  total: number;
  /** The part of total over projects that fall in no column (e.g. without a start year). */
  outsideColumns: number;
}

export interface FundingMatrix {
  rows: MatrixRow[];
  columns: MatrixColumn[];
  cells: { row: string; column: string; value: number }[];
  /** The sum of the rows' outsideColumns. */
  outsideColumns: number;
  /** TOPIC columns whose topic no project is linked to at all: a coverage caveat, not a gap. */
  topicsWithoutLinkedProjects: string[];
  description: string;
  sourceCount: number;
  /** Resolved into `coverage` when a client asks for it (coverage.ts). */
  coverageRequest: CoverageRequest;
}

/**
 * Per capita, a country with fewer inhabitants is left out by default: one project would put a
 * territory of 30,000 people (Gibraltar) at the top of a ranking of nations. 100,000 keeps every EU
 * member state (the smallest, Malta, has over 500,000) and Iceland, and leaves out micro-states and
 * territories (Liechtenstein, Monaco, Gibraltar, the Faroe Islands); a client may lower it to 0.
 */
export const DEFAULT_MIN_POPULATION = 100_000;

/**
 * (row entity, project, amount in whole cents, participations) of the filtered projects, one per pair,
 * so that sums never count a project twice in a row.
 */
const ROW_FACTS: Record<MatrixRows, string> = {
  COUNTRY: `${participationsByCountry("rowNode")}
    WITH rowNode, p, sum(${centsOf("r.contribution")}) AS amount, count(r) AS parts`,
  FUNDER: `MATCH (p:Project) WHERE ${PROJECT_FILTER}
    MATCH ${fundedUnder("p", ":Programme")}-[:${REL.FUNDED_BY}]->(fundedBy:Funder)
    WITH DISTINCT ${funderBody("fundedBy")} AS rowNode, p
    WITH rowNode, p, ${centsOf("p.funding")} AS amount, COUNT { (:Organisation)-[:${REL.PARTICIPATES_IN}]->(p) } AS parts`,
  PROGRAMME: `MATCH (p:Project) WHERE ${PROJECT_FILTER}
    MATCH (p)-[:${REL.FUNDED_UNDER}]->(rowNode:Programme)
    WITH DISTINCT rowNode, p
    WITH rowNode, p, ${centsOf("p.funding")} AS amount, COUNT { (:Organisation)-[:${REL.PARTICIPATES_IN}]->(p) } AS parts`,
};

/** A YEAR column's key: the start year as a whole number in text ("2023", whatever type it is stored as). */
const yearKey = (year: number) => String(year);
const YEAR_KEY_CYPHER = "toString(toInteger(p.startYear))";

/** The column key(s) of each filtered project. */
const COLUMN_OF_PROJECT: Record<MatrixColumns, string> = {
  TOPIC: `MATCH (p)-[:${REL.ADDRESSES}]->(col:Topic) WHERE col.id IN $columnIds WITH p, col.id AS column`,
  YEAR: `WITH p, ${YEAR_KEY_CYPHER} AS column WHERE p.startYear IS NOT NULL`,
  PROGRAMME: `MATCH (p)-[:${REL.FUNDED_UNDER}]->(col:Programme) WITH p, col.id AS column`,
};

const MEASURE_FIELD: Record<MatrixMeasure, "cents" | "projects" | "parts"> = {
  AMOUNT_EUR: "cents",
  PROJECTS: "projects",
  PARTICIPATIONS: "parts",
};

const ROW_LABEL = "coalesce(rowNode.acronym, rowNode.name, rowNode.id)";

/** Integer sums: amounts in whole cents, projects, participations. */
type Aggregate = { cents: number; projects: number; parts: number };

/**
 * Rows x columns of a measure, every cell present (zeros included). A project's year is its start
 * year. AMOUNT_EUR sums EU contributions to a country's participants (COUNTRY rows) or project funding
 * (FUNDER, PROGRAMME rows), in whole cents. A row's total counts each of its projects that fall in a
 * column once; its projects that fall in no column are counted apart (outsideColumns). A column's total
 * is the sum of its cells. Errors: BAD_USER_INPUT naming the argument (`filters.fromYear`, `normalise`).
 */
export async function fundingMatrix(
  context: AnalysisContext,
  args: {
    rows: MatrixRows;
    columns: MatrixColumns;
    measure: MatrixMeasure;
    normalise?: Normalisation | null | undefined;
    /** Per capita: the fewest inhabitants a country needs to be a row (default DEFAULT_MIN_POPULATION). */
    minPopulation?: number | null | undefined;
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
  const params = await projectFilterParams(context, filters, inFilters);
  const projection = await projectionFor(context, filters, PROJECTION_FILTERS);
  const facts = projection
    ? projectionMatrixFacts(projection, args.rows, args.columns, params)
    : await cypherMatrixFacts(context, args.rows, args.columns, filters, params);
  const { columnHeaders } = facts;
  const result = { rowTotals: facts.rowTotals };
  const cellOf = facts.cellOf;
  const field = MEASURE_FIELD[args.measure];
  const money = args.measure === "AMOUNT_EUR";
  const measureOf = (aggregate: Aggregate | undefined) => (aggregate ? aggregate[field] : 0);
  /** A measure for the answer: cents as EUR (exact), per capita rounded to the cent. */
  const output = (value: number, millions = 1) => {
    if (!money) return value / millions;
    return millions === 1 ? eurFromCents(value) : roundToCent(eurFromCents(value) / millions);
  };

  const perMillion = normalise === "PER_MILLION_INHABITANTS";
  const minPopulation = args.minPopulation ?? DEFAULT_MIN_POPULATION;
  if (!Number.isFinite(minPopulation) || minPopulation < 0) {
    throw badInput("minPopulation", `must be a number of inhabitants, 0 or more, got ${minPopulation}`);
  }
  const counted = (row: { population: number | null }) =>
    row.population !== null && row.population > 0 && row.population >= minPopulation;
  const rowTotals = perMillion ? result.rowTotals.filter(counted) : result.rowTotals;
  const leftOut = perMillion ? result.rowTotals.filter((row) => !counted(row)) : [];
  const thresholds: AppliedThreshold[] = perMillion
    ? [
        {
          name: "minPopulation",
          value: minPopulation,
          unit: "inhabitants",
          excludedIds: leftOut.map((row) => row.id),
          excludedLabels: leftOut.map((row) => row.label),
          description:
            `Per million inhabitants: countries without a known population or with fewer than ` +
            `${minPopulation.toLocaleString("en-GB")} inhabitants are left out.`,
        },
      ]
    : [];
  const millions = new Map(
    rowTotals.map((row) => [row.id, perMillion ? (row.population ?? 0) / 1_000_000 : 1]),
  );
  const ordered = [...rowTotals].sort((a, b) => {
    const scaled = (row: typeof a) =>
      (measureOf(row.placed) + measureOf(row.outside)) / millions.get(row.id)!;
    return scaled(b) - scaled(a) || a.id.localeCompare(b.id);
  });
  const rows = ordered.map((row) => ({
    key: row.id,
    label: row.label,
    total: output(measureOf(row.placed) + measureOf(row.outside), millions.get(row.id)),
    outsideColumns: output(measureOf(row.outside), millions.get(row.id)),
  }));
  const cells = ordered.flatMap((row) =>
    columnHeaders.map((column) => ({
      row: row.id,
      column: column.key,
      value: output(measureOf(cellOf(row.id, column.key)), millions.get(row.id)),
    })),
  );
  const populationMillions = [...millions.values()].reduce((sum, value) => sum + value, 0);
  const columns = columnHeaders.map((column) => {
    const sum = ordered.reduce((acc, row) => acc + measureOf(cellOf(row.id, column.key)), 0);
    // Per capita, a column's total is its sum over all listed rows' population, not a sum of ratios.
    return { ...column, total: perMillion ? output(sum, populationMillions || 1) : output(sum) };
  });
  const outside = ordered.reduce((acc, row) => acc + measureOf(row.outside), 0);
  return {
    rows,
    columns,
    cells,
    outsideColumns: perMillion ? output(outside, populationMillions || 1) : output(outside),
    topicsWithoutLinkedProjects: columnHeaders.filter((c) => c.linkedProjects === 0).map((c) => c.key),
    description: describe(args.rows, args.columns, args.measure, perMillion),
    // The projects counted and, per capita, the countries whose population divides them.
    sourceCount: await facts.sourceCount(
      ordered.map((row) => row.id),
      perMillion,
    ),
    coverageRequest: { params, memberships: args.rows === "FUNDER" ? "ALL" : null, thresholds },
  };
}

/**
 * The matrix's facts read with Cypher: Neo4j gives which projects each row entity has (with its
 * amount) and which columns each project falls in; the cells and totals are summed here, a loop over
 * the facts instead of four Cypher passes over a collected list of them.
 */
async function cypherMatrixFacts(
  context: AnalysisContext,
  rows: MatrixRows,
  columns: MatrixColumns,
  filters: AnalysisFilters,
  params: Record<string, unknown>,
) {
  const columnHeaders = await columnHeadersOf(context, columns, filters, params);
  const queryParams = { ...params, columnIds: columnHeaders.map((column) => column.key) };
  const [rowFacts, columnFacts] = await Promise.all([
    readQuery<RowFacts>(
      context,
      `${ROW_FACTS[rows]}
       RETURN rowNode.id AS id, ${ROW_LABEL} AS label, rowNode.population AS population,
              collect(p.id) AS projects, collect(amount) AS amounts, collect(parts) AS parts`,
      queryParams,
    ),
    readQuery<{ column: string; projects: string[] }>(
      context,
      `MATCH (p:Project) WHERE ${PROJECT_FILTER}
       ${COLUMN_OF_PROJECT[columns]}
       RETURN column, collect(DISTINCT p.id) AS projects`,
      queryParams,
    ),
  ]);
  const { cellsByKey, rowTotals } = aggregateFacts(rowFacts, columnFacts);
  const projectsOf = new Map(rowTotals.map((row) => [row.id, row.projects]));
  return {
    columnHeaders,
    rowTotals,
    cellOf: (row: string, column: string) => cellsByKey.get(cellKey(row, column)),
    sourceCount: (rowIds: readonly string[], perMillion: boolean) => {
      const counted = rowIds.flatMap((id) => projectsOf.get(id) ?? []);
      return sourceCountOf(context, perMillion ? [...counted, ...rowIds] : counted);
    },
  };
}

/** The key of a cell in aggregateFacts' cellsByKey. */
const cellKey = (row: string, column: string) => `${row}\u0000${column}`;

interface RowFacts {
  id: string;
  label: string;
  population: number | null;
  projects: string[];
  /** Whole cents, per project. */
  amounts: unknown[];
  parts: unknown[];
}

/**
 * Cells and totals from the facts: a project counts in a cell when the row entity takes part in it and
 * it falls in the column; a row's `placed` total counts each of its projects that fall in some column
 * once, its `outside` total those that fall in none.
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
  const empty = (): Aggregate => ({ cents: 0, projects: 0, parts: 0 });
  const add = (to: Aggregate, cents: number, parts: number) => {
    to.cents += cents;
    to.projects += 1;
    to.parts += parts;
  };
  const cellsByKey = new Map<string, Aggregate>();
  const rowTotals: {
    id: string;
    label: string;
    population: number | null;
    placed: Aggregate;
    outside: Aggregate;
    projects: string[];
  }[] = [];
  for (const row of rowFacts) {
    const total = {
      id: row.id,
      label: row.label,
      population: row.population,
      placed: empty(),
      outside: empty(),
    };
    row.projects.forEach((project, k) => {
      const cents = toNumber(row.amounts[k]);
      const parts = toNumber(row.parts[k]);
      const columns = columnsOf.get(project);
      if (!columns) {
        add(total.outside, cents, parts);
        return;
      }
      add(total.placed, cents, parts);
      for (const column of columns) {
        const key = cellKey(row.id, column);
        let cell = cellsByKey.get(key);
        if (!cell) {
          cell = empty();
          cellsByKey.set(key, cell);
        }
        add(cell, cents, parts);
      }
    });
    if (row.projects.length) rowTotals.push({ ...total, projects: row.projects });
  }
  return { cellsByKey, rowTotals };
}

async function columnHeadersOf(
  context: AnalysisContext,
  columns: MatrixColumns,
  filters: AnalysisFilters,
  params: Record<string, unknown>,
): Promise<{ key: string; label: string; linkedProjects?: number | null }[]> {
  switch (columns) {
    case "TOPIC": {
      const topics = await readQuery<{ key: string; label: string; linkedProjects: unknown }>(
        context,
        `MATCH (t:Topic) WHERE ${topicSelected("t")}
         RETURN t.id AS key, t.name AS label, COUNT { (:Project)-[:${REL.ADDRESSES}]->(t) } AS linkedProjects
         ORDER BY t.id`,
        params,
      );
      return topics.map((topic) => ({ ...topic, linkedProjects: toNumber(topic.linkedProjects) }));
    }
    case "YEAR": {
      const [range] = await readQuery<{ first: unknown; last: unknown }>(
        context,
        `MATCH (p:Project) WHERE ${PROJECT_FILTER} AND p.startYear IS NOT NULL
         RETURN min(toInteger(p.startYear)) AS first, max(toInteger(p.startYear)) AS last`,
        params,
      );
      const first = filters.fromYear ?? (range?.first == null ? null : toNumber(range.first));
      const last = filters.toYear ?? (range?.last == null ? null : toNumber(range.last));
      if (first === null || last === null) return [];
      return Array.from({ length: last - first + 1 }, (_, i) => ({
        key: yearKey(first + i),
        label: yearKey(first + i),
      }));
    }
    case "PROGRAMME":
      return readQuery<{ key: string; label: string }>(
        context,
        `MATCH (p:Project)-[:${REL.FUNDED_UNDER}]->(g:Programme) WHERE ${PROJECT_FILTER}
         RETURN DISTINCT g.id AS key, coalesce(g.acronym, g.name) AS label ORDER BY key`,
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
        ? "sum of EU contributions (EUR, exact to the cent) to participants located in the country"
        : "sum of the EU funding (EUR, exact to the cent) of the projects",
    PROJECTS: "distinct projects",
    PARTICIPATIONS: "participations (organisation x project x role)",
  };
  const column: Record<MatrixColumns, string> = {
    TOPIC: "topics the projects address",
    YEAR: "projects' start years",
    PROGRAMME: "programmes the projects are funded under",
  };
  const outside: Record<MatrixColumns, string> = {
    TOPIC: "address none of the column topics",
    YEAR: "have no start year",
    PROGRAMME: "are funded under none of the column programmes",
  };
  return (
    `${rows.toLowerCase()} x ${column[columns]}: ${what[measure]}` +
    (perMillion
      ? ", per million inhabitants (latest World Bank population; countries without one are left out; column totals divide by all listed rows' population)"
      : "") +
    `. A row's total counts each of its projects once, in a column or not; the part of it from projects that ${outside[columns]} is also given apart (in no column). ` +
    "A column's total is the sum of its cells."
  );
}
