import { type ReactNode, useEffect, useRef, useState } from "react";
import { request } from "../dashboard/api.js";
import { amountIn, eurExact, number } from "../dashboard/format.js";
import { Empty, ErrorMessage, QueryView } from "../dashboard/status.js";
import { useQuery } from "../dashboard/use-query.js";
import type { ExploreProjectsQuery as ExploreProjectsResult, ProjectSort } from "../generated/graphql.js";
import { CsvButton } from "../shared/csv.js";
import type { CsvValue } from "../shared/csv-text.js";
import { exploreHref, exploreKind } from "../shared/links.js";
import { choiceParam, integerParam, useUrlState } from "../shared/url-state.js";
import { enumWords } from "../shared/words.js";
import { ExploreFundingQuery, ExploreProjectsQuery } from "./queries.js";
import { cents, type Where } from "./where.js";

/** A link to an entity's explore page when it has one, else its name. */
export function EntityLink({ id, children }: { id: string; children: ReactNode }) {
  return exploreKind(id) ? <a href={exploreHref(id)}>{children}</a> : <span title={id}>{children}</span>;
}

export function Facts({ items }: { items: [string, ReactNode][] }) {
  const shown = items.filter(([, value]) => value !== null && value !== undefined && value !== "");
  return (
    <dl className="facts" data-testid="facts">
      {shown.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A key figure, with its exact value in data-value for checks and CSV. */
export function Figure({
  label,
  value,
  text,
  testId,
}: {
  label: string;
  value: number;
  text: string;
  testId: string;
}) {
  return (
    <div className="figure" data-testid={testId} data-value={String(value)}>
      <span className="figure-value">{text}</span>
      <span className="figure-label">{label}</span>
    </div>
  );
}

export interface Column<T> {
  key: string;
  label: string;
  value: (row: T) => string | number | null | undefined;
  render?: (row: T) => ReactNode;
  numeric?: boolean;
}

/** The first column of an entity list: the entity's name, a link to its page; the CSV holds the name. */
export function entityColumn<T extends { id: string; label: string }>(label: string): Column<T> {
  return {
    key: "label",
    label,
    value: (row) => row.label,
    render: (row) => <EntityLink id={row.id}>{row.label}</EntityLink>,
  };
}

/** A row's country, a link to its page; the CSV holds its name, empty where none is recorded. */
export function countryColumn<T extends { country?: { id: string; name: string } | null }>(): Column<T> {
  return {
    key: "country",
    label: "Country",
    value: (row) => row.country?.name ?? "",
    render: (row) => (row.country ? <EntityLink id={row.country.id}>{row.country.name}</EntityLink> : ""),
  };
}

/** A vocabulary value (status, role, kind) shown in words; the CSV holds the value as the API gives it. */
export function enumColumn<T, K extends string>(key: K, label: string, value: (row: T) => string): Column<T> {
  return { key, label, value, render: (row) => enumWords(value(row)) };
}

/** An exact amount in euros (cents kept); empty where none is stated, which is not zero. */
export function eurColumn<T>(key: string, label: string, value: (row: T) => number | null): Column<T> {
  return {
    key,
    label,
    value,
    numeric: true,
    render: (row) => {
      const amount = value(row);
      return amount == null ? "" : eurExact(amount);
    },
  };
}

/**
 * A client-side sortable table of a complete list (members, partners, participants): sorted by the chosen
 * column, ties broken by the first column then the row id, so the order is stable; CSV of the rows as shown.
 */
export function ListTable<T>({
  rows,
  columns,
  rowId,
  csvId,
  filename,
  testId,
  initialSort,
}: {
  rows: T[];
  columns: Column<T>[];
  rowId: (row: T) => string;
  /** The id written in the CSV's first column (default: rowId). */
  csvId?: (row: T) => string;
  filename: string;
  testId: string;
  initialSort?: { key: string; descending: boolean };
}) {
  const [sort, setSort] = useState(initialSort ?? { key: columns[0]!.key, descending: false });
  const column = columns.find((c) => c.key === sort.key) ?? columns[0]!;
  const first = columns[0]!;
  const compare = (a: string | number | null | undefined, b: string | number | null | undefined) => {
    if (a == null || a === "") return b == null || b === "" ? 0 : 1;
    if (b == null || b === "") return -1;
    return typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b), "en");
  };
  const sorted = [...rows].sort((a, b) => {
    const primary = compare(column.value(a), column.value(b));
    return (
      (sort.descending ? -primary : primary) ||
      compare(first.value(a), first.value(b)) ||
      rowId(a).localeCompare(rowId(b))
    );
  });
  if (rows.length === 0) return <Empty>None recorded.</Empty>;
  return (
    <>
      <div className="panel-tools">
        <span>
          {rows.length} {rows.length === 1 ? "row" : "rows"}
        </span>
        <CsvButton
          filename={filename}
          testId={`${testId}-csv`}
          header={["id", ...columns.map((c) => c.label)]}
          rows={() =>
            sorted.map((row) => [(csvId ?? rowId)(row), ...columns.map((c) => c.value(row) as CsvValue)])
          }
        />
      </div>
      <div className="table-scroll">
        <table className="list-table" data-testid={testId}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  className={c.numeric ? "num" : undefined}
                  aria-sort={c.key === sort.key ? (sort.descending ? "descending" : "ascending") : "none"}
                >
                  <button
                    type="button"
                    className="sort"
                    onClick={() =>
                      setSort((old) => ({
                        key: c.key,
                        descending: old.key === c.key ? !old.descending : Boolean(c.numeric),
                      }))
                    }
                  >
                    {c.label}
                    {c.key === sort.key ? (sort.descending ? " ▼" : " ▲") : ""}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sorted.map((row) => (
              <tr key={rowId(row)} data-id={rowId(row)}>
                {columns.map((c) => (
                  <td key={c.key} className={c.numeric ? "num" : undefined}>
                    {c.render ? c.render(row) : (c.value(row) ?? "")}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

const PAGE = 25;
const SORTS: { key: keyof ProjectSort; label: string }[] = [
  { key: "startYear", label: "Start year" },
  { key: "title", label: "Title" },
  { key: "acronym", label: "Acronym" },
  { key: "funding", label: "Funding in EUR" },
  { key: "status", label: "Status" },
];

/** The project list's order (`?sort=title:asc`) and page (`?page=2`, from 1) in the URL. */
const SORT_PARAM = choiceParam(
  "sort",
  SORTS.flatMap((option) => [`${option.key}:asc`, `${option.key}:desc`]),
);
const DEFAULT_SORT = "startYear:desc";
const PAGE_PARAM = integerParam("page", 1, 1_000_000);

/** The funding totals of a project list: EUR and each other stated currency in whole cents, never converted. */
interface FundingTotal {
  cents: number;
  /** Currency (ISO 4217, not EUR) -> whole cents of the amounts stated in it (OpenAIRE grants). */
  otherCurrencies: Map<string, number>;
  projects: number;
  /** Projects with an amount in EUR or in another currency. */
  withAmount: number;
}

/**
 * The funding of every project matching `where` (pages of 500): `funding` (EUR) summed in whole cents,
 * and where a project has no EUR amount but states one in another currency (`fundingOriginal` in
 * `fundingCurrency`), that amount summed per currency apart, since no exchange rate is applied anywhere.
 */
function useFundingTotal(where: Where): FundingTotal | { error: string } | null {
  const key = JSON.stringify(where);
  const [total, setTotal] = useState<FundingTotal | { error: string } | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    setTotal(null);
    (async () => {
      const sum: FundingTotal = { cents: 0, otherCurrencies: new Map(), projects: 0, withAmount: 0 };
      for (let offset = 0; ; offset += 500) {
        const page = await request(
          ExploreFundingQuery,
          { where: JSON.parse(key) as Where, offset },
          controller.signal,
        );
        for (const project of page.projects) {
          if (project.funding != null) {
            sum.cents += cents(project.funding);
            sum.withAmount++;
          } else if (project.fundingOriginal != null && project.fundingCurrency) {
            const currency = project.fundingCurrency;
            sum.otherCurrencies.set(
              currency,
              (sum.otherCurrencies.get(currency) ?? 0) + cents(project.fundingOriginal),
            );
            sum.withAmount++;
          }
        }
        sum.projects += page.projects.length;
        if (page.projects.length < 500) break;
      }
      if (!controller.signal.aborted) setTotal(sum);
    })().catch((error: unknown) => {
      if (!controller.signal.aborted) setTotal({ error: (error as Error).message });
    });
    return () => controller.abort();
  }, [key]);
  return total;
}

/**
 * The project list's order (`?sort=`) and page (`?page=`, counted from 1 in the URL, from 0 here). A new
 * filter (`where`) starts at the first page; the first render keeps the page of the URL.
 */
function useProjectListView(where: Where) {
  const [sortValue, setSortValue] = useUrlState(SORT_PARAM, DEFAULT_SORT);
  const [field, direction] = sortValue.split(":");
  const sort = { key: field as keyof ProjectSort, descending: direction === "desc" };
  // The URL counts pages from 1, as the pager shows them.
  const [pageInUrl, setPageInUrl] = useUrlState(PAGE_PARAM, 1);
  const page = pageInUrl - 1;
  const setPage = (index: number) => setPageInUrl(index + 1);
  const key = JSON.stringify(where);
  // A new filter starts at the first page; the first render keeps the page of the URL.
  const shownKey = useRef(key);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a change of the filter matters
  useEffect(() => {
    if (shownKey.current !== key) setPage(0);
    shownKey.current = key;
  }, [key]);
  return { sortValue, setSortValue, sort, page, setPage };
}

/**
 * The projects matching `where`, a page of 25 at a time, sorted by a column (the API finishes every sort
 * with the id, so ties keep one order), with the total count and the funding of all of them (EUR, and each other currency apart).
 */
export function ProjectList({
  where,
  filename,
  withFundingTotal,
}: {
  where: Where;
  filename: string;
  withFundingTotal: boolean;
}) {
  const view = useProjectListView(where);
  const state = useQuery(ExploreProjectsQuery, {
    where,
    sort: [{ [view.sort.key]: view.sort.descending ? "DESC" : "ASC" } as ProjectSort],
    limit: PAGE,
    offset: view.page * PAGE,
  });
  const total = useFundingTotal(where);
  return (
    <QueryView state={state} what="the projects">
      {(data) => {
        const count = data.projectsConnection.totalCount;
        const pages = Math.max(1, Math.ceil(count / PAGE));
        // A page of the URL beyond the last (a shared link, fewer projects since) gives way to the first.
        if (view.page >= pages) queueMicrotask(() => view.setPage(0));
        return (
          <>
            <div className="panel-tools">
              <span data-testid="project-total" data-value={String(count)}>
                {number(count)} {count === 1 ? "project" : "projects"}
              </span>
              {withFundingTotal ? <FundingTotalText total={total} /> : null}
              <ProjectSortSelect
                value={view.sortValue}
                onChange={(value) => {
                  view.setSortValue(value);
                  view.setPage(0);
                }}
              />
              <ProjectsCsvButton filename={filename} projects={data.projects} />
            </div>
            {count === 0 ? (
              <Empty>No project matches.</Empty>
            ) : (
              <>
                <ProjectTable projects={data.projects} />
                <ProjectPager page={view.page} pages={pages} onPage={view.setPage} />
              </>
            )}
          </>
        );
      }}
    </QueryView>
  );
}

type ListedProject = ExploreProjectsResult["projects"][number];

/** The funding of the listed projects: summing, its failure, or EUR and each other currency apart. */
function FundingTotalText({ total }: { total: FundingTotal | { error: string } | null }) {
  if (total === null) return <span className="hint">summing their funding…</span>;
  if ("error" in total) return <ErrorMessage what="the funding total" error={total.error} />;
  return (
    <span data-testid="project-funding-total" data-value={String(total.cents / 100)}>
      Funding of these projects: {eurExact(total.cents / 100)}
      {[...total.otherCurrencies]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([currency, amount]) => (
          <span
            key={currency}
            data-testid="project-funding-other"
            data-currency={currency}
            data-value={String(amount / 100)}
          >
            {" "}
            + {amountIn(amount / 100, currency)}
          </span>
        ))}
      {total.otherCurrencies.size ? " (no exchange rate applied)" : ""}
      {total.withAmount < total.projects
        ? ` (${number(total.projects - total.withAmount)} of ${number(total.projects)} have no amount recorded)`
        : ""}
    </span>
  );
}

function ProjectSortSelect({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  return (
    <label>
      Sort by{" "}
      <select value={value} data-testid="project-sort" onChange={(event) => onChange(event.target.value)}>
        {SORTS.flatMap((option) => [
          <option key={`${option.key}:asc`} value={`${option.key}:asc`}>
            {option.label} ↑
          </option>,
          <option key={`${option.key}:desc`} value={`${option.key}:desc`}>
            {option.label} ↓
          </option>,
        ])}
      </select>
    </label>
  );
}

/** The page of projects shown, as CSV. */
function ProjectsCsvButton({ filename, projects }: { filename: string; projects: ListedProject[] }) {
  return (
    <CsvButton
      filename={filename}
      testId="projects-csv"
      header={[
        "id",
        "acronym",
        "title",
        "start_year",
        "status",
        "funding_eur",
        "funding_original",
        "funding_currency",
      ]}
      rows={() =>
        projects.map((project) => [
          project.id,
          project.acronym,
          project.title,
          project.startYear,
          project.status,
          project.funding,
          project.fundingOriginal,
          project.fundingCurrency,
        ])
      }
    />
  );
}

/** A project's funding as listed: in EUR, else as stated in another currency, else nothing. */
function fundingText(project: ListedProject): string {
  if (project.funding != null) return eurExact(project.funding);
  if (project.fundingOriginal != null && project.fundingCurrency) {
    return amountIn(project.fundingOriginal, project.fundingCurrency);
  }
  return "";
}

function ProjectTable({ projects }: { projects: ListedProject[] }) {
  return (
    <div className="table-scroll">
      <table className="list-table" data-testid="projects">
        <thead>
          <tr>
            <th scope="col">Project</th>
            <th scope="col">Start</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Funding
            </th>
          </tr>
        </thead>
        <tbody>
          {projects.map((project) => (
            <tr key={project.id} data-testid="project-row" data-id={project.id}>
              <td>
                <EntityLink id={project.id}>
                  {project.acronym ? <strong>{project.acronym}</strong> : null} {project.title}
                </EntityLink>
              </td>
              <td>{project.startYear ?? ""}</td>
              <td title={project.status ?? undefined}>{enumWords(project.status)}</td>
              <td className="num">{fundingText(project)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Previous and next page (`page` counted from 0), and where the list is. */
function ProjectPager({
  page,
  pages,
  onPage,
}: {
  page: number;
  pages: number;
  onPage: (page: number) => void;
}) {
  return (
    <nav className="pager" aria-label="Project pages">
      <button
        type="button"
        disabled={page === 0}
        onClick={() => onPage(page - 1)}
        data-testid="page-previous"
      >
        Previous
      </button>
      <span data-testid="page-number">
        page {page + 1} of {pages}
      </span>
      <button
        type="button"
        disabled={page + 1 >= pages}
        onClick={() => onPage(page + 1)}
        data-testid="page-next"
      >
        Next
      </button>
    </nav>
  );
}

export interface Neighbour {
  id: string;
  label: string;
  weight: number;
}

const EGO_SIZE = 360;
const EGO_FONT_SIZE = 10;
/** Space kept between two labels, and between a label and the drawing's edge (drawing units). */
const EGO_GAP = 2;

/** The width of a text in the drawing's label font (the page's font at EGO_FONT_SIZE). */
function egoTextWidth(): (text: string) => number {
  const context = typeof document === "undefined" ? null : document.createElement("canvas").getContext("2d");
  if (!context) return (text) => text.length * EGO_FONT_SIZE * 0.62;
  context.font = `${EGO_FONT_SIZE}px ${getComputedStyle(document.body).fontFamily || "sans-serif"}`;
  return (text) => context.measureText(text).width;
}

interface EgoLabel {
  text: string;
  x: number;
  y: number;
}

/**
 * The labels of a star drawing, strongest neighbour first: each centred under (or over) its node, moved
 * sideways to lie inside the drawing, on the other side of the node when that one overlaps a label
 * already placed, and left out (its name is in the node's tooltip and the table) when both do.
 */
export function egoLabels(
  nodes: { label: string; x: number; y: number; below: boolean }[],
  width: (text: string) => number,
  size = EGO_SIZE,
): (EgoLabel | null)[] {
  const placed: [number, number, number, number][] = [];
  return nodes.map((node) => {
    const text = node.label.length > 22 ? `${node.label.slice(0, 21)}…` : node.label;
    const half = width(text) / 2 + EGO_GAP;
    const x = Math.min(Math.max(node.x, half), size - half);
    for (const below of [node.below, !node.below]) {
      // The baseline, and the box of the font's ascent and descent around it.
      const y = below ? node.y + 20 : node.y - 12;
      const box: [number, number, number, number] = [
        x - half,
        y - EGO_FONT_SIZE - EGO_GAP,
        x + half,
        y + EGO_FONT_SIZE * 0.3 + EGO_GAP,
      ];
      if (box[1] < 0 || box[3] > size) continue;
      if (placed.some((o) => box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3])) continue;
      placed.push(box);
      return { text, x, y };
    }
    return null;
  });
}

/** A small star network: the entity in the middle, its strongest neighbours around it (links to explore). */
export function EgoNetwork({
  center,
  neighbours,
  unit,
  weightText = (weight) => `${number(weight)} ${unit}`,
}: {
  center: string;
  neighbours: Neighbour[];
  /** What a link's weight counts, e.g. "shared projects". */
  unit: string;
  /** A link's weight in words (default: the number and the unit). */
  weightText?: (weight: number) => string;
}) {
  const shown = [...neighbours]
    .sort((a, b) => b.weight - a.weight || a.label.localeCompare(b.label, "en"))
    .slice(0, 12);
  if (shown.length === 0) return <Empty>No links within these filters.</Empty>;
  const size = EGO_SIZE;
  const middle = size / 2;
  const radius = 130;
  const max = Math.max(...shown.map((n) => n.weight));
  const points = shown.map((neighbour, index) => {
    const angle = (2 * Math.PI * index) / shown.length - Math.PI / 2;
    const x = middle + radius * Math.cos(angle);
    const y = middle + radius * Math.sin(angle);
    return { label: neighbour.label, x, y, below: y >= middle };
  });
  const labels = egoLabels(points, egoTextWidth(), size);
  return (
    <figure className="ego">
      <svg
        viewBox={`0 0 ${size} ${size}`}
        // No role="img": it holds links, and an image's content is not reachable.
        aria-label={`${center} and its ${shown.length} strongest links`}
        data-testid="ego-network"
      >
        {shown.map((neighbour, index) => {
          const { x, y } = points[index]!;
          const label = labels[index];
          return (
            <a
              key={neighbour.id}
              href={exploreHref(neighbour.id)}
              aria-label={`${neighbour.label}: ${weightText(neighbour.weight)}`}
            >
              <line
                x1={middle}
                y1={middle}
                x2={x}
                y2={y}
                stroke="#b7c3cf"
                strokeWidth={1 + 5 * (neighbour.weight / max)}
              />
              <circle cx={x} cy={y} r={7} fill="#1f77b4">
                <title>
                  {neighbour.label}: {weightText(neighbour.weight)}
                </title>
              </circle>
              {label ? (
                <text x={label.x} y={label.y} textAnchor="middle" className="ego-label">
                  {label.text}
                </text>
              ) : null}
            </a>
          );
        })}
        <circle cx={middle} cy={middle} r={11} fill="#d62728" />
      </svg>
      <figcaption className="hint">
        The {shown.length} strongest of {neighbours.length} links ({unit}); names are shortened on the drawing
        or left out where they would overlap; in full on hover and in the table.
      </figcaption>
    </figure>
  );
}

export interface SourceRow {
  id: string;
  title: string;
  url?: string | null;
  publisher?: string | null;
  date?: string | null;
}

export function Sources({
  sources,
  extra,
}: {
  sources: SourceRow[];
  extra?: { title: string; url: string }[];
}) {
  return (
    <ul className="sources-list" data-testid="sources">
      {(extra ?? []).map((link) => (
        <li key={link.url}>
          <a href={link.url} rel="noopener noreferrer" target="_blank" data-testid="external-link">
            {link.title}
          </a>
        </li>
      ))}
      {sources.map((source) => (
        <li key={source.id} title={source.id} data-id={source.id}>
          {source.url ? (
            <a href={source.url} rel="noopener noreferrer" target="_blank">
              {source.title}
            </a>
          ) : (
            source.title
          )}
          {source.publisher ? `, ${source.publisher}` : ""}
          {source.date ? ` (${source.date})` : ""}
        </li>
      ))}
      {sources.length === 0 && !extra?.length ? <li>No source recorded.</li> : null}
    </ul>
  );
}
