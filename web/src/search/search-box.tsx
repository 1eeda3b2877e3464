import { type FormEvent, useEffect, useId, useState } from "react";
import { request } from "../dashboard/api.js";
import type { EntitySearchQuery as EntitySearch } from "../generated/graphql.js";
import { exploreHref } from "../shared/links.js";
import { EntitySearchQuery } from "./queries.js";

/** One thing found: its explore page's id, its name in words and its kind in words. */
export interface Found {
  id: string;
  label: string;
  kind: string;
}

/** How many of each kind the API is asked for: the box lists at most five kinds of this many. */
const PER_KIND = 5;
/** Typing pauses this long (ms) before the API is asked: one request per pause, not per key. */
const PAUSE_MS = 250;

const named = (name: string, short: string | null) => (short && short !== name ? `${short} – ${name}` : name);

/**
 * The answer as one list: an exact id first, then each kind's hits best first (the API's score),
 * kinds interleaved by rank so that no kind hides another; each id once.
 */
export function foundOf(data: EntitySearch): Found[] {
  const exact: Found[] = [
    ...data.funders.map((f) => ({ id: f.id, label: named(f.name, f.acronym), kind: "Funder" })),
    ...data.organisations.map((o) => ({ id: o.id, label: named(o.name, o.shortName), kind: "Organisation" })),
    ...data.projects.map((p) => ({ id: p.id, label: named(p.title, p.acronym), kind: "Project" })),
    ...data.programmes.map((p) => ({ id: p.id, label: named(p.name, p.acronym), kind: "Programme" })),
    ...data.consortia.map((c) => ({ id: c.id, label: named(c.name, c.acronym), kind: "Consortium" })),
  ];
  const byKind: Found[][] = [
    data.searchFunders.edges.map(({ node: f }) => ({
      id: f.id,
      label: named(f.name, f.acronym),
      kind: "Funder",
    })),
    data.searchOrganisations.edges.map(({ node: o }) => ({
      id: o.id,
      label: named(o.name, o.shortName),
      kind: "Organisation",
    })),
    data.searchProjects.edges.map(({ node: p }) => ({
      id: p.id,
      label: named(p.title, p.acronym),
      kind: "Project",
    })),
    data.searchProgrammes.edges.map(({ node: p }) => ({
      id: p.id,
      label: named(p.name, p.acronym),
      kind: "Programme",
    })),
    data.searchConsortia.edges.map(({ node: c }) => ({
      id: c.id,
      label: named(c.name, c.acronym),
      kind: "Consortium",
    })),
  ];
  const found = [...exact];
  for (let rank = 0; rank < PER_KIND; rank++) {
    for (const list of byKind) if (list[rank]) found.push(list[rank]!);
  }
  return found.filter((item, index) => found.findIndex((other) => other.id === item.id) === index);
}

/**
 * A search box for the page header: finds funders, organisations, projects, programmes and consortia by
 * name, acronym or id as one types, and opens the explore page of the one chosen (Enter: the first).
 */
export function SearchBox() {
  const [text, setText] = useState("");
  const [found, setFound] = useState<Found[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const listId = useId();
  const phrase = text.trim();

  useEffect(() => {
    if (phrase.length < 2) {
      setFound(null);
      setProblem(null);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      request(EntitySearchQuery, { phrase, id: phrase, first: PER_KIND }, controller.signal).then(
        (data) => {
          setProblem(null);
          setFound(foundOf(data));
        },
        (error: unknown) => {
          if (!controller.signal.aborted) setProblem((error as Error).message);
        },
      );
    }, PAUSE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [phrase]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const first = found?.[0];
    if (first) window.location.assign(exploreHref(first.id));
  }

  return (
    <search className="search-box">
      <form onSubmit={submit} data-testid="search">
        <label>
          <span className="visually-hidden">
            Find a funder, organisation, project, programme or consortium
          </span>
          <input
            type="search"
            value={text}
            placeholder="Find a funder, organisation, project…"
            onChange={(event) => setText(event.target.value)}
            aria-controls={listId}
            autoComplete="off"
            data-testid="search-input"
          />
        </label>
      </form>
      <div id={listId} className="search-results" aria-live="polite">
        {problem ? (
          <p className="status error" data-testid="search-error">
            Search failed: {problem}
          </p>
        ) : found === null ? null : found.length === 0 ? (
          <p className="status empty" data-testid="search-empty">
            Nothing found for “{phrase}”.
          </p>
        ) : (
          <ul data-testid="search-results">
            {found.map((item) => (
              <li key={item.id}>
                <a href={exploreHref(item.id)} title={item.id} data-testid="search-result" data-id={item.id}>
                  {item.label}
                </a>{" "}
                <span className="hint">{item.kind}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </search>
  );
}
