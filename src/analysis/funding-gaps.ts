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

export type GapKind =
  | "NO_PARTICIPATION_IN_TOPIC"
  | "BELOW_POPULATION_SHARE"
  | "PROGRAMME_WITHOUT_PROJECTS"
  | "TOPIC_WITHOUT_PROJECTS"
  | "FUNDER_WITHOUT_PARTNER"
  | "TOPIC_NOT_COVERED"
  | "MEMBERSHIP_INCOMPLETE";

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
}

/** A gap with the ids of the records behind it, for its sourceCount. */
type GapWithRecords = Omit<FundingGap, "sourceCount" | "membershipComplete"> & { records: string[] };

/** "Far below": a participation share under half the population share. */
export const POPULATION_SHARE_THRESHOLD = 0.5;

/**
 * Where a consortium's landscape has holes. Member countries are the countries of the funders that
 * are MEMBER_OF it (status MEMBER); topics are topicIds, or else the topics its programmes cover.
 * Coverage caveats come with the gaps (issue 18): a topic no project is linked to at all is reported
 * once as TOPIC_NOT_COVERED instead of a gap per member country; when the consortium's
 * `statedMemberCount` (what its sources state) exceeds the members recorded, MEMBERSHIP_INCOMPLETE
 * says so and every gap carries membershipComplete = false.
 */
export async function fundingGaps(
  context: AnalysisContext,
  args: {
    consortiumId: string;
    topicIds?: readonly string[] | null;
    fromYear?: number | null;
    toYear?: number | null;
  },
): Promise<FundingGap[]> {
  await assertIdsExist(context, [args.consortiumId], "Consortium", "consortiumId");
  const params = {
    ...(await projectFilterParams(context, {
      topicIds: args.topicIds,
      fromYear: args.fromYear,
      toYear: args.toYear,
    })),
    consortiumId: args.consortiumId,
  };
  const [scope] = await readQuery<{
    countries: { id: string; label: string; population: number | null }[];
    topics: { id: string; label: string; linked: unknown }[];
    label: string;
    statedMembers: unknown;
    recordedMembers: unknown;
    consortiumSources: string[];
  }>(
    context,
    `MATCH (k:Consortium {id: $consortiumId})
     CALL (k) {
       MATCH (k)<-[m:MEMBER_OF {status: 'MEMBER'}]-(f:Funder)-[:BASED_IN]->(c:Country)
       WITH DISTINCT c
       RETURN collect({id: c.id, label: c.name, population: c.population}) AS countries
     }
     CALL (k) {
       OPTIONAL MATCH (k)<-[:RUN_BY]-(:Programme)-[:COVERS]->(t:Topic)
       WITH t WHERE t IS NOT NULL OR $topicIds IS NOT NULL
       WITH collect(DISTINCT t) AS covered
       OPTIONAL MATCH (given:Topic) WHERE given.id IN coalesce($topicIds, [])
       WITH covered, collect(given) AS given
       WITH CASE WHEN $topicIds IS NULL THEN covered ELSE given END AS topics
       RETURN [t IN topics | {id: t.id, label: t.name, linked: COUNT { (:Project)-[:ADDRESSES]->(t) }}] AS topics
     }
     RETURN countries, topics, coalesce(k.acronym, k.name) AS label, k.statedMemberCount AS statedMembers,
            size(COLLECT { MATCH (k)<-[:MEMBER_OF {status: 'MEMBER'}]-(f:Funder) RETURN DISTINCT f.id }) AS recordedMembers`,
    params,
  );
  const countries = (scope?.countries ?? []).sort((a, b) => a.id.localeCompare(b.id));
  const allTopics = (scope?.topics ?? []).sort((a, b) => a.id.localeCompare(b.id));
  // A topic that no project is linked to says nothing about funding: it is a caveat, not a gap.
  const uncovered = allTopics.filter((topic) => toNumber(topic.linked) === 0);
  const topics = allTopics.filter((topic) => toNumber(topic.linked) > 0);
  const gaps: GapWithRecords[] = [];
  const stated = scope?.statedMembers == null ? null : toNumber(scope.statedMembers);
  const recorded = toNumber(scope?.recordedMembers);
  const membershipComplete = stated === null ? null : recorded >= stated;
  if (stated !== null && recorded < stated) {
    gaps.push({
      kind: "MEMBERSHIP_INCOMPLETE",
      subjectId: args.consortiumId,
      subjectLabel: scope!.label,
      topicId: null,
      expected: stated,
      actual: recorded,
      reason:
        `The sources of ${scope!.label} state ${stated} members; the graph records ${recorded} (status MEMBER). ` +
        "Gaps by member country are computed from the recorded members only.",
      records: [args.consortiumId],
    });
  }
  for (const topic of uncovered) {
    gaps.push({
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
  const memberCountries = { countryIds: countries.map((c) => c.id), topicSet: topics.map((t) => t.id) };

  // Participations of each member country per topic, and in all filtered projects; the filtered
  // projects on each topic (the records searched for a country's participation).
  const [participation, totals, topicProjects] = await Promise.all([
    readQuery<{ country: string; topic: string; parts: unknown }>(
      context,
      `${participationsByCountry("c", "c.id IN $countryIds")}
       MATCH (p)-[:ADDRESSES]->(t:Topic) WHERE t.id IN $topicSet
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
       MATCH (p)-[:ADDRESSES]->(t:Topic) WHERE t.id IN $topicSet
       RETURN t.id AS topic, collect(p.id) AS projects`,
      { ...params, ...memberCountries },
    ),
  ]);
  const byCountryTopic = new Map<string, number>();
  const byCountry = new Map<string, number>();
  for (const row of participation) byCountryTopic.set(`${row.country}|${row.topic}`, toNumber(row.parts));
  for (const row of totals) byCountry.set(row.country, toNumber(row.parts));
  const projectsOfTopic = new Map(topicProjects.map((row) => [row.topic, row.projects]));
  const memberProjects = totals.flatMap((row) => row.projects);

  for (const country of countries) {
    for (const topic of topics) {
      if (!byCountryTopic.get(`${country.id}|${topic.id}`)) {
        gaps.push({
          kind: "NO_PARTICIPATION_IN_TOPIC",
          subjectId: country.id,
          subjectLabel: country.label,
          topicId: topic.id,
          expected: null,
          actual: 0,
          reason: `${country.label} (a member country) has no participation in a funded project on "${topic.label}"${yearsText(args)}.`,
          records: [country.id, ...(projectsOfTopic.get(topic.id) ?? [])],
        });
      }
    }
  }

  const withPopulation = countries.filter((c) => c.population && c.population > 0);
  const populationTotal = withPopulation.reduce((sum, c) => sum + c.population!, 0);
  const partsTotal = withPopulation.reduce((sum, c) => sum + (byCountry.get(c.id) ?? 0), 0);
  if (partsTotal > 0) {
    for (const country of withPopulation) {
      const expected = country.population! / populationTotal;
      const actual = (byCountry.get(country.id) ?? 0) / partsTotal;
      if (actual < POPULATION_SHARE_THRESHOLD * expected) {
        gaps.push({
          kind: "BELOW_POPULATION_SHARE",
          subjectId: country.id,
          subjectLabel: country.label,
          topicId: null,
          expected,
          actual,
          reason:
            `${country.label} holds ${(actual * 100).toFixed(1)}% of the member countries' participations` +
            `${yearsText(args)} but ${(expected * 100).toFixed(1)}% of their population (less than half its share).`,
          records: [...withPopulation.map((c) => c.id), ...memberProjects],
        });
      }
    }
  }

  const idle = await readQuery<{ kind: GapKind; id: string; label: string; records: string[] }>(
    context,
    `MATCH (k:Consortium {id: $consortiumId})
     CALL (k) {
       MATCH (k)<-[:RUN_BY]-(g:Programme)
       WHERE NOT EXISTS { MATCH ${fundedUnder("p:Project", "g")} WHERE ${PROJECT_FILTER} }
       RETURN 'PROGRAMME_WITHOUT_PROJECTS' AS kind, g.id AS id, coalesce(g.acronym, g.name) AS label, [g.id] AS records
       UNION
       UNWIND $topicSet AS tid
       MATCH (t:Topic {id: tid})
       WHERE NOT EXISTS { MATCH (p:Project)-[:ADDRESSES]->(t) WHERE ${PROJECT_FILTER} }
       RETURN 'TOPIC_WITHOUT_PROJECTS' AS kind, t.id AS id, t.name AS label, [t.id] AS records
       UNION
       MATCH (k)<-[:MEMBER_OF]-(f:Funder)
       WHERE NOT EXISTS { MATCH (f)<-[:FUNDED_BY]-(:Programme)-[:FUNDED_BY]->(other:Funder) WHERE other <> f }
       RETURN 'FUNDER_WITHOUT_PARTNER' AS kind, f.id AS id, coalesce(f.acronym, f.name) AS label,
              [f.id] + COLLECT { MATCH (f)<-[:FUNDED_BY]-(g:Programme) RETURN g.id } AS records
     }
     RETURN kind, id, label, records ORDER BY kind, id`,
    { ...params, topicSet: topics.map((t) => t.id) },
  );
  const reasons: Record<string, (label: string) => string> = {
    PROGRAMME_WITHOUT_PROJECTS: (label) => `No funded project is recorded under ${label}${yearsText(args)}.`,
    TOPIC_WITHOUT_PROJECTS: (label) => `No funded project addresses "${label}"${yearsText(args)}.`,
    FUNDER_WITHOUT_PARTNER: (label) => `${label} funds no programme together with another funder.`,
  };
  for (const row of idle) {
    gaps.push({
      kind: row.kind,
      subjectId: row.id,
      subjectLabel: row.label,
      topicId: null,
      expected: null,
      actual: 0,
      reason: reasons[row.kind]!(row.label),
      records: row.records,
    });
  }
  const sources = await sourcesOf(
    context,
    gaps.flatMap((gap) => gap.records),
  );
  return gaps.map(({ records, ...gap }) => ({
    ...gap,
    sourceCount: countSources(sources, records),
    membershipComplete,
  }));
}

function yearsText(args: { fromYear?: number | null; toYear?: number | null }): string {
  if (args.fromYear != null && args.toYear != null) return ` in ${args.fromYear}-${args.toYear}`;
  if (args.fromYear != null) return ` from ${args.fromYear}`;
  if (args.toYear != null) return ` until ${args.toYear}`;
  return "";
}
