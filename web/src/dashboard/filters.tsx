import { type FormEvent, useState } from "react";
import { LensesQuery, TopicsQuery } from "./queries.js";
import { useQuery } from "./use-query.js";

/** The year inputs' lower bound: a display choice (no framework programme project starts before FP1, 1984); the API takes 1900-2100. */
const FIRST_DASHBOARD_YEAR = 1980;

export interface Filters {
  topicIds: string[];
  fromYear: number | null;
  toYear: number | null;
  /** The vocabulary of the heat map's columns and the trend's topic groups when no topic is chosen. */
  topicScheme: string;
}

export const NO_FILTERS: Filters = { topicIds: [], fromYear: null, toYear: null, topicScheme: "LEGAL_BASIS" };

/** The filters as the analysis queries take them (absent rather than empty). */
export function analysisFilters(filters: Filters) {
  return {
    topicIds: filters.topicIds.length ? filters.topicIds : null,
    fromYear: filters.fromYear,
    toYear: filters.toYear,
  };
}

/** The `filters` input of fundingMatrix and fundingTrend: the above and the vocabulary. */
export function matrixFilters(filters: Filters) {
  return { ...analysisFilters(filters), topicScheme: filters.topicScheme };
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

/** Topics (of one vocabulary at a time) and a start-year range, applied to every panel on submit. */
export function FilterBar({ value, onApply }: { value: Filters; onApply: (filters: Filters) => void }) {
  const [scheme, setScheme] = useState(value.topicScheme);
  const lenses = useQuery(LensesQuery, {});
  const schemes = [
    ...SOURCE_SCHEMES,
    ...(lenses.status === "done"
      ? lenses.data.topicLenses.map((lens) => ({ id: lens.scheme, label: `${lens.name} (topic lens)` }))
      : [{ id: "ATLAS", label: "Atlas areas (topic lens)" }]),
  ];
  const [topicIds, setTopicIds] = useState<string[]>(value.topicIds);
  const [fromYear, setFromYear] = useState(value.fromYear?.toString() ?? "");
  const [toYear, setToYear] = useState(value.toYear?.toString() ?? "");
  const [problem, setProblem] = useState<string | null>(null);
  const topics = useQuery(TopicsQuery, { scheme });

  function submit(event: FormEvent) {
    event.preventDefault();
    const from = year(fromYear);
    const to = year(toYear);
    if ((from !== null && !Number.isInteger(from)) || (to !== null && !Number.isInteger(to))) {
      setProblem("Years must be whole numbers, e.g. 2021.");
      return;
    }
    if (from !== null && to !== null && from > to) {
      setProblem(`"From" (${from}) is after "to" (${to}).`);
      return;
    }
    setProblem(null);
    onApply({ topicIds, fromYear: from, toYear: to, topicScheme: scheme });
  }

  function reset() {
    setScheme(NO_FILTERS.topicScheme);
    setTopicIds([]);
    setFromYear("");
    setToYear("");
    setProblem(null);
    onApply(NO_FILTERS);
  }

  return (
    <form className="filters" onSubmit={submit} data-testid="filters">
      <label>
        Vocabulary
        <select value={scheme} onChange={(event) => setScheme(event.target.value)} data-testid="topic-scheme">
          {schemes.map((option) => (
            <option key={option.id} value={option.id}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
      <label className="topics">
        Topics{" "}
        {topics.status === "loading" ? (
          <span className="hint">loading…</span>
        ) : topics.status === "error" ? (
          <span className="hint error-text" data-testid="error">
            topics unavailable: {topics.error.message}
          </span>
        ) : (
          <span className="hint">{topicIds.length ? `${topicIds.length} chosen` : "all"}</span>
        )}
        <select
          multiple
          size={5}
          value={topicIds}
          data-testid="topic-filter"
          onChange={(event) => setTopicIds([...event.target.selectedOptions].map((option) => option.value))}
        >
          {topicIds
            .filter((id) => topics.status !== "done" || !topics.data.topics.some((topic) => topic.id === id))
            .map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          {topics.status === "done"
            ? topics.data.topics.map((topic) => (
                <option key={topic.id} value={topic.id} title={topic.id}>
                  {topic.name}
                </option>
              ))
            : null}
        </select>
      </label>
      <YearInput label="From year" value={fromYear} onChange={setFromYear} testId="from-year" />
      <YearInput label="To year" value={toYear} onChange={setToYear} testId="to-year" />
      <div className="actions">
        <button type="submit" data-testid="apply-filters">
          Apply
        </button>
        <button type="button" onClick={reset}>
          Reset
        </button>
      </div>
      {problem ? (
        <p className="status error" role="alert" data-testid="error">
          {problem}
        </p>
      ) : null}
    </form>
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
