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
  | "FUNDER_WITHOUT_PARTNER";

export interface FundingGap {
  kind: GapKind;
  subjectId: string;
  subjectLabel: string;
  topicId: string | null;
  expected: number | null;
  actual: number | null;
  reason: string;
  sourceCount: number;
}

/** A gap with the ids of the records behind it, for its sourceCount. */
type GapWithRecords = Omit<FundingGap, "sourceCount"> & { records: string[] };

/** "Far below": a participation share under half the population share. */
export const POPULATION_SHARE_THRESHOLD = 0.5;

/**
 * Where a consortium's landscape has holes. Member countries are the countries of the funders that
 * are MEMBER_OF it (status MEMBER); topics are topicIds, or else the topics its programmes cover.
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
    topics: { id: string; label: string }[];
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
       RETURN [t IN topics | {id: t.id, label: t.name}] AS topics
     }
     RETURN countries, topics`,
    params,
  );
  const countries = (scope?.countries ?? []).sort((a, b) => a.id.localeCompare(b.id));
  const topics = (scope?.topics ?? []).sort((a, b) => a.id.localeCompare(b.id));
  const gaps: GapWithRecords[] = [];
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
  return gaps.map(({ records, ...gap }) => ({ ...gap, sourceCount: countSources(sources, records) }));
}

function yearsText(args: { fromYear?: number | null; toYear?: number | null }): string {
  if (args.fromYear != null && args.toYear != null) return ` in ${args.fromYear}-${args.toYear}`;
  if (args.fromYear != null) return ` from ${args.fromYear}`;
  if (args.toYear != null) return ` until ${args.toYear}`;
  return "";
}
