import { REL } from "../model/relationships.js";
import { type AnalysisContext, readQuery, toNumber } from "./analysis-context.js";
import {
  assertIdsExist,
  countSources,
  fundedUnder,
  PROJECT_FILTER,
  participationsByCountry,
  projectFilterParams,
  sourcesOf,
} from "./project-filters.js";
import { unrecordedProjects } from "./stated-vs-recorded.js";

export type GapKind =
  | "NO_PARTICIPATION_IN_TOPIC"
  | "BELOW_POPULATION_SHARE"
  | "PROGRAMME_WITHOUT_PROJECTS"
  | "TOPIC_WITHOUT_PROJECTS"
  | "FUNDER_WITHOUT_PARTNER"
  | "TOPIC_NOT_COVERED"
  | "MEMBERSHIP_INCOMPLETE"
  | "PROJECTS_NOT_RECORDED";

/** Gaps that are missing data, not missing funding: shown apart (FundingGap.dataGap). */
const DATA_GAPS: ReadonlySet<GapKind> = new Set([
  "TOPIC_NOT_COVERED",
  "MEMBERSHIP_INCOMPLETE",
  "PROJECTS_NOT_RECORDED",
]);

export interface FundingGap {
  kind: GapKind;
  subjectId: string;
  subjectLabel: string;
  topicId: string | null;
  expected: number | null;
  actual: number | null;
  reason: string;
  sourceCount: number;
  /** Recorded members >= statedMemberCount; null when no source states a member count. */
  membershipComplete: boolean | null;
  /** Missing data rather than missing funding (DATA_GAPS). */
  dataGap: boolean;
}

/** A gap with the ids of the records behind it, for its sourceCount. */
type GapWithRecords = Omit<FundingGap, "sourceCount" | "membershipComplete" | "dataGap"> & {
  records: string[];
};

/** "Far below": a participation share under half the population share. */
export const POPULATION_SHARE_THRESHOLD = 0.5;

type Years = { fromYear?: number | null; toYear?: number | null };
type Params = Record<string, unknown>;
type GapCountry = { id: string; label: string; population: number | null };
type GapTopic = { id: string; label: string; linked: unknown };

/** What a consortium's gaps are computed over: its member countries and topics, and its membership figures. */
interface GapScope {
  label: string;
  /** Countries of the funders that are MEMBER_OF it (status MEMBER), by id. */
  countries: GapCountry[];
  /** The topics at least one project is linked to, by id. */
  topics: GapTopic[];
  /** The topics no project is linked to at all, by id (a coverage caveat, not a gap). */
  uncovered: GapTopic[];
  /** Members its sources state (statedMemberCount), or null when none does. */
  stated: number | null;
  /** Distinct funders recorded as MEMBER_OF it with status MEMBER. */
  recorded: number;
}

/** Reads the scope of `$consortiumId`: topics are `$topicIds`, or else those its programmes cover. */
async function readGapScope(context: AnalysisContext, params: Params): Promise<GapScope> {
  const [scope] = await readQuery<{
    countries: GapCountry[];
    topics: GapTopic[];
    label: string;
    statedMembers: unknown;
    recordedMembers: unknown;
  }>(
    context,
    `MATCH (k:Consortium {id: $consortiumId})
     CALL (k) {
       MATCH (k)<-[m:${REL.MEMBER_OF} {status: 'MEMBER'}]-(f:Funder)-[:${REL.BASED_IN}]->(c:Country)
       WITH DISTINCT c
       RETURN collect({id: c.id, label: c.name, population: c.population}) AS countries
     }
     CALL (k) {
       OPTIONAL MATCH (k)<-[:${REL.RUN_BY}]-(:Programme)-[:${REL.COVERS}]->(t:Topic)
       WITH t WHERE t IS NOT NULL OR $topicIds IS NOT NULL
       WITH collect(DISTINCT t) AS covered
       OPTIONAL MATCH (given:Topic) WHERE given.id IN coalesce($topicIds, [])
       WITH covered, collect(given) AS given
       WITH CASE WHEN $topicIds IS NULL THEN covered ELSE given END AS topics
       RETURN [t IN topics | {id: t.id, label: t.name, linked: COUNT { (:Project)-[:${REL.ADDRESSES}]->(t) }}] AS topics
     }
     RETURN countries, topics, coalesce(k.acronym, k.name) AS label, k.statedMemberCount AS statedMembers,
            size(COLLECT { MATCH (k)<-[:${REL.MEMBER_OF} {status: 'MEMBER'}]-(f:Funder) RETURN DISTINCT f.id }) AS recordedMembers`,
    params,
  );
  const allTopics = (scope?.topics ?? []).sort((a, b) => a.id.localeCompare(b.id));
  return {
    label: scope?.label ?? "",
    countries: (scope?.countries ?? []).sort((a, b) => a.id.localeCompare(b.id)),
    // A topic that no project is linked to says nothing about funding: it is a caveat, not a gap.
    topics: allTopics.filter((topic) => toNumber(topic.linked) > 0),
    uncovered: allTopics.filter((topic) => toNumber(topic.linked) === 0),
    stated: scope?.statedMembers == null ? null : toNumber(scope.statedMembers),
    recorded: toNumber(scope?.recordedMembers),
  };
}

/** The coverage caveats (issue 18): MEMBERSHIP_INCOMPLETE when fewer members are recorded than stated, TOPIC_NOT_COVERED per uncovered topic. */
function coverageCaveats(consortiumId: string, scope: GapScope): GapWithRecords[] {
  const caveats: GapWithRecords[] = [];
  if (scope.stated !== null && scope.recorded < scope.stated) {
    caveats.push({
      kind: "MEMBERSHIP_INCOMPLETE",
      subjectId: consortiumId,
      subjectLabel: scope.label,
      topicId: null,
      expected: scope.stated,
      actual: scope.recorded,
      reason:
        `The sources of ${scope.label} state ${scope.stated} members; the graph records ${scope.recorded} (status MEMBER). ` +
        "Gaps by member country are computed from the recorded members only.",
      records: [consortiumId],
    });
  }
  for (const topic of scope.uncovered) {
    caveats.push({
      kind: "TOPIC_NOT_COVERED",
      subjectId: topic.id,
      subjectLabel: topic.label,
      topicId: null,
      expected: null,
      actual: 0,
      reason:
        `No project in the graph is linked to "${topic.label}" at all (by a source or a lens rule): ` +
        "the vocabulary does not reach the projects, so its empty cells are no funding gap.",
      records: [topic.id],
    });
  }
  return caveats;
}

/** Participation counts of the member countries in the filtered projects. */
interface MemberParticipation {
  /** Participations per `${countryId}|${topicId}`. */
  byCountryTopic: Map<string, number>;
  /** Participations per country id, over all filtered projects. */
  byCountry: Map<string, number>;
  /** The filtered projects on each topic (the records searched for a country's participation). */
  projectsOfTopic: Map<string, string[]>;
  /** The filtered projects with a member-country participant (one entry per country and project). */
  memberProjects: string[];
}

async function readMemberParticipation(
  context: AnalysisContext,
  params: Params,
  scope: GapScope,
): Promise<MemberParticipation> {
  const memberCountries = {
    countryIds: scope.countries.map((c) => c.id),
    topicSet: scope.topics.map((t) => t.id),
  };
  const [participation, totals, topicProjects] = await Promise.all([
    readQuery<{ country: string; topic: string; parts: unknown }>(
      context,
      `${participationsByCountry("c", "c.id IN $countryIds")}
       MATCH (p)-[:${REL.ADDRESSES}]->(t:Topic) WHERE t.id IN $topicSet
       RETURN c.id AS country, t.id AS topic, count(r) AS parts`,
      { ...params, ...memberCountries },
    ),
    readQuery<{ country: string; parts: unknown; projects: string[] }>(
      context,
      `${participationsByCountry("c", "c.id IN $countryIds")}
       RETURN c.id AS country, count(r) AS parts, collect(DISTINCT p.id) AS projects`,
      { ...params, ...memberCountries },
    ),
    readQuery<{ topic: string; projects: string[] }>(
      context,
      `MATCH (p:Project) WHERE ${PROJECT_FILTER}
       MATCH (p)-[:${REL.ADDRESSES}]->(t:Topic) WHERE t.id IN $topicSet
       RETURN t.id AS topic, collect(p.id) AS projects`,
      { ...params, ...memberCountries },
    ),
  ]);
  return {
    byCountryTopic: new Map(participation.map((row) => [`${row.country}|${row.topic}`, toNumber(row.parts)])),
    byCountry: new Map(totals.map((row) => [row.country, toNumber(row.parts)])),
    projectsOfTopic: new Map(topicProjects.map((row) => [row.topic, row.projects])),
    memberProjects: totals.flatMap((row) => row.projects),
  };
}

/** NO_PARTICIPATION_IN_TOPIC: each member country x covered topic without a participation. */
function topicGaps(scope: GapScope, counts: MemberParticipation, years: Years): GapWithRecords[] {
  const gaps: GapWithRecords[] = [];
  for (const country of scope.countries) {
    for (const topic of scope.topics) {
      if (counts.byCountryTopic.get(`${country.id}|${topic.id}`)) continue;
      gaps.push({
        kind: "NO_PARTICIPATION_IN_TOPIC",
        subjectId: country.id,
        subjectLabel: country.label,
        topicId: topic.id,
        expected: null,
        actual: 0,
        reason: `${country.label} (a member country) has no participation in a funded project on "${topic.label}"${yearsText(years)}.`,
        records: [country.id, ...(counts.projectsOfTopic.get(topic.id) ?? [])],
      });
    }
  }
  return gaps;
}

/**
 * BELOW_POPULATION_SHARE: member countries (with a population) whose share of the members'
 * participations is under POPULATION_SHARE_THRESHOLD times their share of the members' population.
 * `expected` and `actual` are those shares (fractions of 1).
 */
function populationShareGaps(scope: GapScope, counts: MemberParticipation, years: Years): GapWithRecords[] {
  const withPopulation = scope.countries.filter((c) => c.population && c.population > 0);
  const populationTotal = withPopulation.reduce((sum, c) => sum + c.population!, 0);
  const partsTotal = withPopulation.reduce((sum, c) => sum + (counts.byCountry.get(c.id) ?? 0), 0);
  if (partsTotal === 0) return [];
  const gaps: GapWithRecords[] = [];
  for (const country of withPopulation) {
    const expected = country.population! / populationTotal;
    const actual = (counts.byCountry.get(country.id) ?? 0) / partsTotal;
    if (actual >= POPULATION_SHARE_THRESHOLD * expected) continue;
    gaps.push({
      kind: "BELOW_POPULATION_SHARE",
      subjectId: country.id,
      subjectLabel: country.label,
      topicId: null,
      expected,
      actual,
      reason:
        `${country.label} holds ${(actual * 100).toFixed(1)}% of the member countries' participations` +
        `${yearsText(years)} but ${(expected * 100).toFixed(1)}% of their population (less than half its share).`,
      records: [...withPopulation.map((c) => c.id), ...counts.memberProjects],
    });
  }
  return gaps;
}

/**
 * PROGRAMME_WITHOUT_PROJECTS, TOPIC_WITHOUT_PROJECTS and FUNDER_WITHOUT_PARTNER: the consortium's
 * programmes and topics without a filtered project, its member funders funding no programme with another.
 */
async function idleGaps(
  context: AnalysisContext,
  params: Params,
  topics: GapTopic[],
  years: Years,
): Promise<GapWithRecords[]> {
  const idle = await readQuery<{ kind: GapKind; id: string; label: string; records: string[] }>(
    context,
    `MATCH (k:Consortium {id: $consortiumId})
     CALL (k) {
       MATCH (k)<-[:${REL.RUN_BY}]-(g:Programme)
       WHERE NOT EXISTS { MATCH ${fundedUnder("p:Project", "g")} WHERE ${PROJECT_FILTER} }
       RETURN 'PROGRAMME_WITHOUT_PROJECTS' AS kind, g.id AS id, coalesce(g.acronym, g.name) AS label, [g.id] AS records
       UNION
       UNWIND $topicSet AS tid
       MATCH (t:Topic {id: tid})
       WHERE NOT EXISTS { MATCH (p:Project)-[:${REL.ADDRESSES}]->(t) WHERE ${PROJECT_FILTER} }
       RETURN 'TOPIC_WITHOUT_PROJECTS' AS kind, t.id AS id, t.name AS label, [t.id] AS records
       UNION
       MATCH (k)<-[:${REL.MEMBER_OF}]-(f:Funder)
       WHERE NOT EXISTS { MATCH (f)<-[:${REL.FUNDED_BY}]-(:Programme)-[:${REL.FUNDED_BY}]->(other:Funder) WHERE other <> f }
       RETURN 'FUNDER_WITHOUT_PARTNER' AS kind, f.id AS id, coalesce(f.acronym, f.name) AS label,
              [f.id] + COLLECT { MATCH (f)<-[:${REL.FUNDED_BY}]-(g:Programme) RETURN g.id } AS records
     }
     RETURN kind, id, label, records ORDER BY kind, id`,
    { ...params, topicSet: topics.map((t) => t.id) },
  );
  const reasons: Record<string, (label: string) => string> = {
    PROGRAMME_WITHOUT_PROJECTS: (label) => `No funded project is recorded under ${label}${yearsText(years)}.`,
    TOPIC_WITHOUT_PROJECTS: (label) => `No funded project addresses "${label}"${yearsText(years)}.`,
    FUNDER_WITHOUT_PARTNER: (label) => `${label} funds no programme together with another funder.`,
  };
  return idle.map((row) => ({
    kind: row.kind,
    subjectId: row.id,
    subjectLabel: row.label,
    topicId: null,
    expected: null,
    actual: 0,
    reason: reasons[row.kind]!(row.label),
    records: row.records,
  }));
}

/**
 * Where a consortium's landscape has holes. Member countries are the countries of the funders that
 * are MEMBER_OF it (status MEMBER); topics are topicIds, or else the topics its programmes cover.
 * Coverage caveats come with the gaps (issue 18): a topic no project is linked to at all is reported
 * once as TOPIC_NOT_COVERED instead of a gap per member country; when the consortium's
 * `statedMemberCount` (what its sources state) exceeds the members recorded, MEMBERSHIP_INCOMPLETE
 * says so and every gap carries membershipComplete = false. Gaps come in this order: caveats, topic
 * gaps, population-share gaps, then programmes, topics and funders without projects or partners.
 * Throws BAD_USER_INPUT (naming the argument) for an unknown consortium, topic or a reversed year range.
 */
export async function fundingGaps(
  context: AnalysisContext,
  args: {
    consortiumId: string;
    topicIds?: readonly string[] | null;
    fromYear?: number | null;
    toYear?: number | null;
    pmRelevance?: readonly string[] | null;
  },
): Promise<FundingGap[]> {
  await assertIdsExist(context, [args.consortiumId], "Consortium", "consortiumId");
  const params = {
    ...(await projectFilterParams(context, {
      topicIds: args.topicIds,
      fromYear: args.fromYear,
      toYear: args.toYear,
      pmRelevance: args.pmRelevance,
    })),
    consortiumId: args.consortiumId,
  };
  const scope = await readGapScope(context, params);
  const counts = await readMemberParticipation(context, params, scope);
  const unrecorded = await unrecordedProjectGaps(context, params);
  const withoutData = new Set(unrecorded.map((gap) => gap.subjectId));
  const gaps = [
    ...coverageCaveats(args.consortiumId, scope),
    ...unrecorded,
    ...withMembershipNote(scope, [
      ...topicGaps(scope, counts, args),
      ...populationShareGaps(scope, counts, args),
    ]),
    ...(await idleGaps(context, params, scope.topics, args)).filter(
      (gap) => !(gap.kind === "PROGRAMME_WITHOUT_PROJECTS" && withoutData.has(gap.subjectId)),
    ),
  ];
  const sources = await sourcesOf(
    context,
    gaps.flatMap((gap) => gap.records),
  );
  const membershipComplete = scope.stated === null ? null : scope.recorded >= scope.stated;
  return gaps.map(({ records, ...gap }) => ({
    ...gap,
    sourceCount: countSources(sources, records),
    membershipComplete,
    dataGap: DATA_GAPS.has(gap.kind),
  }));
}

/**
 * Member-country gaps over a membership known to be incomplete say so in their own reason: a country
 * of an unrecorded member may close a topic gap, and the population shares are those of the recorded
 * members' countries.
 */
function withMembershipNote(scope: GapScope, gaps: GapWithRecords[]): GapWithRecords[] {
  if (scope.stated === null || scope.recorded >= scope.stated) return gaps;
  const note = ` Computed over the ${scope.recorded} members recorded of the ${scope.stated} its sources state.`;
  return gaps.map((gap) => ({ ...gap, reason: `${gap.reason}${note}` }));
}

/**
 * PROJECTS_NOT_RECORDED: the consortium's programmes whose stated facts say they funded more projects
 * than the graph records (stated-vs-recorded.ts).
 */
async function unrecordedProjectGaps(context: AnalysisContext, params: Params): Promise<GapWithRecords[]> {
  const shortfalls = await unrecordedProjects(
    context,
    `(:Consortium {id: $consortiumId})<-[:${REL.RUN_BY}]-(g)`,
    params,
  );
  return shortfalls.map((shortfall) => {
    const { stated, recorded } = shortfall;
    const said =
      stated === null
        ? `that it funded projects (${shortfall.statements.join("; ")})`
        : `${stated} funded project${stated === 1 ? "" : "s"}`;
    return {
      kind: "PROJECTS_NOT_RECORDED",
      subjectId: shortfall.subjectId,
      subjectLabel: shortfall.subjectLabel,
      topicId: null,
      expected: stated,
      actual: recorded,
      reason:
        `Missing data, not a funding gap: the sources of ${shortfall.subjectLabel} state ${said}; ` +
        `the graph records ${recorded}.`,
      records: shortfall.records,
    };
  });
}

function yearsText(args: Years): string {
  if (args.fromYear != null && args.toYear != null) return ` in ${args.fromYear}-${args.toYear}`;
  if (args.fromYear != null) return ` from ${args.fromYear}`;
  if (args.toYear != null) return ` until ${args.toYear}`;
  return "";
}
