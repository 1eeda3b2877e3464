/** The frame every explore page shares: sections, the not-found page, the filters note, the page shell. */
import type { ReactNode } from "react";
import { type ExploreFilters, exploreHref, exploreKind } from "../shared/links.js";
import { tierLabel } from "../shared/tiers.js";

export const fileOf = (id: string, what: string) => `${id.replace(/[^\w-]+/g, "-")}-${what}.csv`;

export function Section({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <section className="panel" data-testid={testId} aria-label={title}>
      <header>
        <h2>{title}</h2>
      </header>
      {children}
    </section>
  );
}

export function NotFound({ id }: { id: string }) {
  document.title = "Not found – PerMed Atlas";
  return (
    <section className="panel" data-testid="not-found">
      <h2>Nothing to explore at “{id}”</h2>
      <p>
        {exploreKind(id)
          ? "No entity in the graph has this id."
          : "Explore pages exist for ids starting with country:, org:, cordis:, project:, funder:, consortium: and programme:."}{" "}
        Ids look like <code>country:DE</code>, <code>org:999866495</code>, <code>cordis:101137129</code>,{" "}
        <code>funder:isciii</code>, <code>consortium:icpermed</code>.
      </p>
      <p>
        <a href="/dashboard">Back to the dashboard</a>
      </p>
    </section>
  );
}

export function FiltersNote({ filters, id }: { filters: ExploreFilters; id: string }) {
  const parts = [
    filters.topicIds?.length ? `topics ${filters.topicIds.join(", ")}` : null,
    filters.programmeIds?.length ? `programmes ${filters.programmeIds.join(", ")}` : null,
    filters.fromYear != null ? `from ${filters.fromYear}` : null,
    filters.toYear != null ? `to ${filters.toYear}` : null,
    filters.pmRelevance?.length ? `PM relevance ${filters.pmRelevance.map(tierLabel).join(" or ")}` : null,
  ].filter(Boolean);
  if (!parts.length) return null;
  return (
    <p className="caveat" data-testid="filters-note">
      Figures and projects within the filters: {parts.join("; ")} (start year).{" "}
      <a href={exploreHref(id)}>Show all</a>
    </p>
  );
}

export function Page({
  title,
  kind,
  id,
  filters,
  children,
}: {
  title: string;
  kind: string;
  id: string;
  filters: ExploreFilters;
  children: ReactNode;
}) {
  document.title = `${title} – PerMed Atlas`;
  return (
    <>
      <div className="explore-title">
        <span className="kind">{kind}</span>
        <h2 data-testid="entity-name">{title}</h2>
        <code data-testid="entity-id">{id}</code>
      </div>
      <FiltersNote filters={filters} id={id} />
      {children}
    </>
  );
}

/** A row of an analysis answer for this entity: its total and what falls outside the columns (all of it). */
