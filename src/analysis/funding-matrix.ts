import type { AnalysisContext } from "./analysis-context.js";
import { badInput } from "./analysis-error.js";
import type { AppliedThreshold, CoverageRequest } from "./coverage.js";
import { eurFromCents, roundToCent } from "./money.js";
import {
  type AnalysisFilters,
  type CheckedFilters,
  inFilters,
  projectFilterParams,
} from "./project-filters.js";
import { type Aggregate, type ProjectionMatrixFacts, projectionMatrixFacts } from "./projection-analyses.js";
import { analysisProjection } from "./projection-store.js";

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

const MEASURE_FIELD: Record<MatrixMeasure, "cents" | "projects" | "parts"> = {
  AMOUNT_EUR: "cents",
  PROJECTS: "projects",
  PARTICIPATIONS: "parts",
};

/** The arguments of fundingMatrix (GraphQL Query.fundingMatrix). */
export interface MatrixArgs {
  rows: MatrixRows;
  columns: MatrixColumns;
  measure: MatrixMeasure;
  normalise?: Normalisation | null | undefined;
  /** Per capita: the fewest inhabitants a country needs to be a row (default DEFAULT_MIN_POPULATION). */
  minPopulation?: number | null | undefined;
  filters?: AnalysisFilters | null | undefined;
}

/**
 * What a matrix is made of: column headers, per row the sums of its projects inside and outside the
 * columns, the cells, and the sourceCount of the rows listed (`perMillion`: their projects and the
 * rows themselves, whose population divides them). The projection gives them (projectionMatrixFacts).
 */
export type MatrixFacts = Omit<ProjectionMatrixFacts, "sourceCount"> & {
  sourceCount: (rowIds: readonly string[], perMillion: boolean) => number | Promise<number>;
};

/**
 * Rows x columns of a measure, every cell present (zeros included). A project's year is its start
 * year. AMOUNT_EUR sums EU contributions to a country's participants (COUNTRY rows) or project funding
 * (FUNDER, PROGRAMME rows), in whole cents. A row's total counts each of its projects that fall in a
 * column once; its projects that fall in no column are counted apart (outsideColumns). A column's total
 * is the sum of its cells. Errors: BAD_USER_INPUT naming the argument (`filters.fromYear`, `normalise`).
 */
export async function fundingMatrix(context: AnalysisContext, args: MatrixArgs): Promise<FundingMatrix> {
  const params = await matrixParams(context, args);
  const projection = await analysisProjection(context);
  return matrixAnswer(args, projectionMatrixFacts(projection, args.rows, args.columns, params), params);
}

/**
 * The checked filters of a matrix request (projectFilterParams, named `filters.<filter>`). Throws
 * BAD_USER_INPUT for per capita without COUNTRY rows and for any filter that projectFilterParams refuses.
 */
export async function matrixParams(context: AnalysisContext, args: MatrixArgs): Promise<CheckedFilters> {
  if ((args.normalise ?? "NONE") === "PER_MILLION_INHABITANTS" && args.rows !== "COUNTRY") {
    throw badInput(
      "normalise",
      "PER_MILLION_INHABITANTS needs rows: COUNTRY (only countries have a population)",
    );
  }
  return projectFilterParams(context, args.filters ?? {}, inFilters);
}

/**
 * The matrix answer from its facts: rows ordered by their total (per capita: per million inhabitants,
 * countries under minPopulation left out and named in the coverage's thresholds), every cell, column
 * totals, EUR from whole cents. Throws BAD_USER_INPUT (`minPopulation`) for a negative or non-finite one.
 */
export async function matrixAnswer(
  args: MatrixArgs,
  facts: MatrixFacts,
  params: CheckedFilters,
): Promise<FundingMatrix> {
  const normalise = args.normalise ?? "NONE";
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
