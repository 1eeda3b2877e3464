import { type FormEvent, type ReactNode, useState } from "react";
import type {
  DashboardFundersQuery,
  DashboardLensesQuery,
  DashboardTopicsQuery,
} from "../generated/graphql.js";
import { tierLabel, tiersInUrl } from "../shared/tiers.js";
import { idWords } from "../shared/words.js";
import { LensesQuery, TopicsQuery } from "./queries.js";
import { type QueryState, useQuery } from "./use-query.js";

/** The funder list's length: the API's largest page (ATLAS_MAX_PAGE_SIZE default); the list says when it is cut. */
export const FUNDER_LIST_LIMIT = 500;

/** The year inputs' lower bound: a display choice (no framework programme project starts before FP1, 1984); the API takes 1900-2100. */
const FIRST_DASHBOARD_YEAR = 1980;

export interface Filters {
  topicIds: string[];
  fromYear: number | null;
  toYear: number | null;
  /** The vocabulary of the heat map's columns and the trend's topic groups when no topic is chosen. */
  topicScheme: string;
  /**
   * Only projects of these funders (issue 21): the API's `funderIds`, taken by the network, the matrix,
   * the trend and the money by funder; fundingGaps and the explore pages have no funder filter.
   */
  funderIds: string[];
  /**
   * Only projects in these PM relevance tiers (Project.pmRelevance, set by the default lens). The
   * dashboard starts on CORE when the store has CORE projects (see initialTiers); empty: every project.
   */
  pmRelevance: string[];
}

export const NO_FILTERS: Filters = {
  topicIds: [],
  fromYear: null,
  toYear: null,
  topicScheme: "LEGAL_BASIS",
  funderIds: [],
  pmRelevance: [],
};

/**
 * The tiers the dashboard starts with: those of the URL (`?tier=CORE&tier=BIOMEDICAL`, `?tier=` for
 * all), or else CORE when an applied lens sets it on at least one project (the personalised-medicine
 * landscape), or else none (a store without tiers shows every project).
 */
export function initialTiers(
  search: string,
  lenses: { relevanceTiers: { tier: string; projects: number }[] }[],
): string[] {
  const params = new URLSearchParams(search);
  if (params.has("tier")) return tiersInUrl(params);
  const core = lenses.some((lens) =>
    lens.relevanceTiers.some((tier) => tier.tier === "CORE" && tier.projects > 0),
  );
  return core ? ["CORE"] : [];
}

const SCHEME_NAME = /^[A-Z][A-Z0-9_]*$/;

/** A start year of the URL (`from`, `to`): four digits within the API's 1900-2100, else null. */
function yearInUrl(params: URLSearchParams, name: string): number | null {
  const value = params.get(name);
  if (value === null || !/^\d{4}$/.test(value)) return null;
  const year = Number(value);
  return year >= 1900 && year <= 2100 ? year : null;
}

/**
 * The filters a dashboard URL names (`?topic=..&topic=..&funder=..&from=2021&to=2023&scheme=ATLAS&tier=CORE`),
 * the tiers as initialTiers reads them. Values that do not parse are dropped (a year that is not a year,
 * a "from" after "to": both years dropped; a scheme that is not an enum name): the defaults apply.
 */
export function filtersInUrl(search: string, tiers: string[]): Filters {
  const params = new URLSearchParams(search);
  let fromYear = yearInUrl(params, "from");
  let toYear = yearInUrl(params, "to");
  if (fromYear !== null && toYear !== null && fromYear > toYear) {
    fromYear = null;
    toYear = null;
  }
  const scheme = params.get("scheme");
  const ids = (name: string) => [
    ...new Set(params.getAll(name).filter((id) => id !== "" && id.length <= 300)),
  ];
  return {
    topicIds: ids("topic"),
    funderIds: ids("funder"),
    fromYear,
    toYear,
    topicScheme: scheme !== null && SCHEME_NAME.test(scheme) ? scheme : NO_FILTERS.topicScheme,
    pmRelevance: tiers,
  };
}

/**
 * The query string `search` with the filters written in (the inverse of filtersInUrl; other parameters
 * kept). Tiers are always written, `tier=` for "every project", since the dashboard's default is CORE.
 */
export function searchWithFilters(search: string, filters: Filters): string {
  const params = new URLSearchParams(search);
  for (const name of ["topic", "funder", "from", "to", "scheme", "tier"]) params.delete(name);
  for (const id of filters.topicIds) params.append("topic", id);
  for (const id of filters.funderIds) params.append("funder", id);
  if (filters.fromYear !== null) params.set("from", String(filters.fromYear));
  if (filters.toYear !== null) params.set("to", String(filters.toYear));
  if (filters.topicScheme !== NO_FILTERS.topicScheme) params.set("scheme", filters.topicScheme);
  if (filters.pmRelevance.length) for (const tier of filters.pmRelevance) params.append("tier", tier);
  else params.set("tier", "");
  const query = params.toString();
  return query ? `?${query}` : "";
}

/**
 * The topic and year filters as every analysis query and explore page takes them (absent rather than
 * empty); without the funder filter, which not all of them take (see networkFilters, matrixFilters).
 */
export function analysisFilters(filters: Filters) {
  return {
    topicIds: filters.topicIds.length ? filters.topicIds : null,
    fromYear: filters.fromYear,
    toYear: filters.toYear,
    pmRelevance: filters.pmRelevance.length ? filters.pmRelevance : null,
  };
}

/**
 * The arguments of collaborationNetwork and networkMetrics: the above and the funders. The funder
 * network links programmes, which have no tier: it takes no tier filter (the API refuses one).
 */
export function networkFilters(filters: Filters, level?: string) {
  const base = {
    ...analysisFilters(filters),
    funderIds: filters.funderIds.length ? filters.funderIds : null,
  };
  return level === "FUNDER" ? { ...base, pmRelevance: null } : base;
}

/** The `filters` input (AnalysisFilters) of fundingMatrix, fundingTrend and fundingByFunder. */
export function matrixFilters(filters: Filters) {
  return { ...networkFilters(filters), topicScheme: filters.topicScheme };
}

/**
 * A funder as the filter lists it: acronym and name, and "OpenAIRE" for a funder of the OpenAIRE Graph
 * (funder:openaire:*), which may be the same body as a curated one (SAME_AS: choosing either finds both).
 */
export function funderOption(funder: { id: string; name: string; acronym: string | null }): string {
  const name =
    funder.acronym && funder.acronym !== funder.name ? `${funder.acronym} – ${funder.name}` : funder.name;
  return funder.id.startsWith("funder:openaire:") ? `${name} (OpenAIRE)` : name;
}

/** The vocabularies that sources fill; topic lenses (ATLAS, users' own) come from the API. */
const SOURCE_SCHEMES = [
  { id: "LEGAL_BASIS", label: "Legal basis (programme parts)" },
  { id: "CORDIS_TOPIC", label: "CORDIS call topics" },
  { id: "EUROSCIVOC", label: "EuroSciVoc" },
];

function year(text: string): number | null {
  const trimmed = text.trim();
  return trimmed === "" ? null : Number(trimmed);
}

/** Why a start-year range cannot be applied (not whole numbers, "from" after "to"), or null when it can. */
function yearRangeProblem(from: number | null, to: number | null): string | null {
  if ((from !== null && !Number.isInteger(from)) || (to !== null && !Number.isInteger(to))) {
    return "Years must be whole numbers, e.g. 2021.";
  }
  if (from !== null && to !== null && from > to) return `"From" (${from}) is after "to" (${to}).`;
  return null;
}

type Lenses = QueryState<DashboardLensesQuery>;
type RelevanceTier = DashboardLensesQuery["topicLenses"][number]["relevanceTiers"][number];

/** The vocabularies to choose from: the sources' and the topic lenses' (ATLAS until the lenses answer). */
function topicSchemes(lenses: Lenses): { id: string; label: string }[] {
  return [
    ...SOURCE_SCHEMES,
    ...(lenses.status === "done"
      ? lenses.data.topicLenses.map((lens) => ({ id: lens.scheme, label: `${lens.name} (topic lens)` }))
      : [{ id: "ATLAS", label: "Atlas areas (topic lens)" }]),
  ];
}

/** The PM relevance tiers the applied lenses set (none until they answer). */
function relevanceTierOptions(lenses: Lenses): RelevanceTier[] {
  return lenses.status === "done" ? lenses.data.topicLenses.flatMap((lens) => lens.relevanceTiers) : [];
}

/**
 * The filters being edited, applied (`onApply`) on submit when the year range is valid, else a problem
 * to show; reset applies NO_FILTERS at once.
 */
function useFilterDraft(value: Filters, onApply: (filters: Filters) => void) {
  const [scheme, setScheme] = useState(value.topicScheme);
  const [topicIds, setTopicIds] = useState<string[]>(value.topicIds);
  const [tiers, setTiers] = useState<string[]>(value.pmRelevance);
  const [funderIds, setFunderIds] = useState<string[]>(value.funderIds);
  const [fromYear, setFromYear] = useState(value.fromYear?.toString() ?? "");
  const [toYear, setToYear] = useState(value.toYear?.toString() ?? "");
  const [problem, setProblem] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const from = year(fromYear);
    const to = year(toYear);
    const rangeProblem = yearRangeProblem(from, to);
    setProblem(rangeProblem);
    if (rangeProblem) return;
    onApply({ topicIds, fromYear: from, toYear: to, topicScheme: scheme, funderIds, pmRelevance: tiers });
  }

  function reset() {
    setScheme(NO_FILTERS.topicScheme);
    setTopicIds([]);
    setFunderIds([]);
    setTiers([]);
    setFromYear("");
    setToYear("");
    setProblem(null);
    onApply(NO_FILTERS);
  }

  return {
    scheme,
    setScheme,
    topicIds,
    setTopicIds,
    tiers,
    setTiers,
    funderIds,
    setFunderIds,
    fromYear,
    setFromYear,
    toYear,
    setToYear,
    problem,
    submit,
    reset,
  };
}

/**
 * Topics (of one vocabulary at a time), funders (`funders`: the DashboardFunders answer) and a start-year
 * range, applied to every panel on submit.
 */
export function FilterBar({
  value,
  onApply,
  funders,
}: {
  value: Filters;
  onApply: (filters: Filters) => void;
  funders: QueryState<DashboardFundersQuery>;
}) {
  const draft = useFilterDraft(value, onApply);
  const lenses = useQuery(LensesQuery, {});
  const tierOptions = relevanceTierOptions(lenses);
  const topics = useQuery(TopicsQuery, { scheme: draft.scheme });

  return (
    <form className="filters" onSubmit={draft.submit} data-testid="filters">
      <SchemeSelect value={draft.scheme} schemes={topicSchemes(lenses)} onChange={draft.setScheme} />
      <TopicFilter topics={topics} chosen={draft.topicIds} onChange={draft.setTopicIds} />
      <FunderFilter funders={funders} chosen={draft.funderIds} onChange={draft.setFunderIds} />
      {tierOptions.length ? (
        <TierFilter options={tierOptions} chosen={draft.tiers} onChange={draft.setTiers} />
      ) : null}
      <YearInput label="From year" value={draft.fromYear} onChange={draft.setFromYear} testId="from-year" />
      <YearInput label="To year" value={draft.toYear} onChange={draft.setToYear} testId="to-year" />
      <div className="actions">
        <button type="submit" data-testid="apply-filters">
          Apply
        </button>
        <button type="button" onClick={draft.reset}>
          Reset
        </button>
      </div>
      {draft.problem ? (
        <p className="status error" role="alert" data-testid="error">
          {draft.problem}
        </p>
      ) : null}
    </form>
  );
}

function SchemeSelect({
  value,
  schemes,
  onChange,
}: {
  value: string;
  schemes: { id: string; label: string }[];
  onChange: (scheme: string) => void;
}) {
  return (
    <label>
      Vocabulary
      <select value={value} onChange={(event) => onChange(event.target.value)} data-testid="topic-scheme">
        {schemes.map((option) => (
          <option key={option.id} value={option.id}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Beside a list's name: loading, the list's failure, or how many of its items are chosen ("all": none). */
function ListHint({ state, what, chosen }: { state: QueryState<unknown>; what: string; chosen: number }) {
  if (state.status === "loading") return <span className="hint">loading…</span>;
  if (state.status === "error") {
    return (
      <span className="hint error-text" data-testid="error">
        {`${what} unavailable: `}
        {state.error.message}
      </span>
    );
  }
  return <span className="hint">{chosen ? `${chosen} chosen` : "all"}</span>;
}

/** The values chosen in a multiple select. */
function selectedValues(select: HTMLSelectElement): string[] {
  return [...select.selectedOptions].map((option) => option.value);
}

/** Chosen ids that the list does not hold (yet, or any more: a URL's), as options named by their id. */
function UnlistedOptions({ chosen, listed }: { chosen: string[]; listed: (id: string) => boolean }) {
  return chosen
    .filter((id) => !listed(id))
    .map((id) => (
      <option key={id} value={id} title={id}>
        {idWords(id)}
      </option>
    ));
}

/**
 * A filter of ids chosen from a list the API gives (`items`, null while it loads or when it failed):
 * a multiple select whose chosen ids the list lacks stay as options named by their id; `children`
 * add hints after it.
 */
function IdListFilter<T extends { id: string }>({
  label,
  what,
  testId,
  state,
  items,
  optionText,
  chosen,
  onChange,
  children,
}: {
  label: string;
  what: string;
  testId: string;
  state: QueryState<unknown>;
  items: readonly T[] | null;
  optionText: (item: T) => ReactNode;
  chosen: string[];
  onChange: (ids: string[]) => void;
  children?: ReactNode;
}) {
  return (
    <label className="topics">
      {label} <ListHint state={state} what={what} chosen={chosen.length} />
      <select
        multiple
        size={5}
        value={chosen}
        data-testid={testId}
        onChange={(event) => onChange(selectedValues(event.target))}
      >
        <UnlistedOptions chosen={chosen} listed={(id) => items?.some((item) => item.id === id) ?? false} />
        {items?.map((item) => (
          <option key={item.id} value={item.id} title={item.id}>
            {optionText(item)}
          </option>
        ))}
      </select>
      {children}
    </label>
  );
}

function TopicFilter({
  topics,
  chosen,
  onChange,
}: {
  topics: QueryState<DashboardTopicsQuery>;
  chosen: string[];
  onChange: (topicIds: string[]) => void;
}) {
  return (
    <IdListFilter
      label="Topics"
      what="topics"
      testId="topic-filter"
      state={topics}
      items={topics.status === "done" ? topics.data.topics : null}
      optionText={(topic) => topic.name}
      chosen={chosen}
      onChange={onChange}
    />
  );
}

function FunderFilter({
  funders,
  chosen,
  onChange,
}: {
  funders: QueryState<DashboardFundersQuery>;
  chosen: string[];
  onChange: (funderIds: string[]) => void;
}) {
  const items = funders.status === "done" ? funders.data.funders : null;
  return (
    <IdListFilter
      label="Funders"
      what="funders"
      testId="funder-filter"
      state={funders}
      items={items}
      optionText={funderOption}
      chosen={chosen}
      onChange={onChange}
    >
      {items && items.length >= FUNDER_LIST_LIMIT ? (
        <span className="hint" data-testid="funder-list-cut">
          the first {FUNDER_LIST_LIMIT} funders by name
        </span>
      ) : null}
      {chosen.length ? (
        <span className="hint" data-testid="funder-filter-scope">
          not applied to the gaps panel and explore pages
        </span>
      ) : null}
    </IdListFilter>
  );
}

function TierFilter({
  options,
  chosen,
  onChange,
}: {
  options: RelevanceTier[];
  chosen: string[];
  onChange: (tiers: string[]) => void;
}) {
  return (
    <fieldset className="tiers" data-testid="tier-filter">
      <legend>
        PM relevance <span className="hint">{chosen.length ? "" : "all projects"}</span>
      </legend>
      {options.map((option) => (
        <label key={option.tier} title={`${option.tier}: ${option.description}`}>
          <input
            type="checkbox"
            value={option.tier}
            checked={chosen.includes(option.tier)}
            data-testid={`tier-${option.tier}`}
            onChange={(event) =>
              onChange(
                event.target.checked
                  ? [...chosen, option.tier]
                  : chosen.filter((tier) => tier !== option.tier),
              )
            }
          />{" "}
          {tierLabel(option.tier)} ({option.projects.toLocaleString("en")})
        </label>
      ))}
    </fieldset>
  );
}

function YearInput(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
}) {
  return (
    <label>
      {props.label}
      <input
        type="number"
        inputMode="numeric"
        min={FIRST_DASHBOARD_YEAR}
        max={2100}
        placeholder="any"
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        data-testid={props.testId}
      />
    </label>
  );
}
