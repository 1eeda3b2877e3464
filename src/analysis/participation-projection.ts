import type { AnalysisProjection, IdLists, NodeTable } from "./analysis-projection.js";

/** What ParticipationProjection is built from: projects with their participations, organisations, countries. */
export interface ParticipationInput {
  /** Participations as [organisation index, whole cents]; startYear NaN when unknown; sources by id. */
  projects: {
    id: string;
    startYear: number;
    parts: readonly (readonly [number, number])[];
    sources?: string[];
  }[];
  /** Countries: indices into `countries`, one per LOCATED_IN. */
  organisations: { id: string; name: string | null; countries: readonly number[] }[];
  countries: { id: string; name: string | null }[];
}

const table = (ids: string[]): NodeTable => ({ ids, index: new Map(ids.map((id, i) => [id, i])) });

const lists = (of: readonly (readonly number[])[]): IdLists => {
  const start = new Int32Array(of.length + 1);
  for (let i = 0; i < of.length; i++) start[i + 1] = start[i]! + of[i]!.length;
  return { start, items: Int32Array.from(of.flat()) };
};

const EMPTY: IdLists = { start: new Int32Array(1), items: new Int32Array(0) };

/**
 * An AnalysisProjection of participations only (no topics, programmes, funders or tiers): what the
 * COUNTRY and ORGANISATION networks read, built from plain rows instead of Neo4j. For the networks'
 * unit tests and for benchmarks that read CORDIS files directly; the server's projection is
 * loadProjection's. Sources have no details (empty titles, no dates).
 */
export function participationProjection(input: ParticipationInput): AnalysisProjection {
  const { projects, organisations, countries } = input;
  const none = lists(projects.map(() => []));
  const sourceIds = [...new Set(projects.flatMap((p) => p.sources ?? []))];
  const sourceIndex = new Map(sourceIds.map((id, i) => [id, i]));
  const ofEntity = new Map<string, Int32Array>();
  for (const p of projects)
    if (p.sources?.length)
      ofEntity.set(
        p.id,
        Int32Array.from(p.sources, (s) => sourceIndex.get(s)!),
      );
  const parts = projects.flatMap((p) => p.parts);
  const countryIds = countries.map((c) => c.id);
  return {
    projects: {
      ...table(projects.map((p) => p.id)),
      startYear: Float64Array.from(projects, (p) => p.startYear),
      tier: new Int32Array(projects.length).fill(-1),
      fundingCents: new Float64Array(projects.length),
      topics: none,
      programmes: none,
      programmeScope: none,
      funders: none,
      directFunders: none,
      participations: {
        start: lists(projects.map((p) => p.parts.map(() => 0))).start,
        organisation: Int32Array.from(parts, ([o]) => o),
        cents: Float64Array.from(parts, ([, c]) => c),
      },
    },
    tiers: [],
    organisations: {
      ...table(organisations.map((o) => o.id)),
      name: organisations.map((o) => o.name),
      countries: lists(organisations.map((o) => o.countries)),
    },
    countries: {
      ...table(countryIds),
      name: countries.map((c) => c.name),
      rowLabel: countryIds,
      population: countries.map(() => null),
    },
    topics: { ...table([]), name: [], scheme: [], linkedProjects: new Int32Array(0) },
    programmes: {
      ...table([]),
      columnLabel: [],
      rowLabel: [],
      startYear: new Float64Array(0),
      endYear: new Float64Array(0),
      topics: EMPTY,
      scope: EMPTY,
      bodies: EMPTY,
      directFunders: EMPTY,
      topLevel: new Uint8Array(0),
    },
    funders: { ...table([]), rowLabel: [], sameAs: EMPTY },
    sources: {
      ids: sourceIds,
      ofEntity,
      details: {
        title: sourceIds.map(() => ""),
        date: sourceIds.map(() => null),
        newestContentUpdate: sourceIds.map(() => null),
      },
    },
  };
}
