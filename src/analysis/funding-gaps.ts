import { type AnalysisContext, readQuery, toNumber } from "./analysis-context.js";
import { assertIdsExist, projectFilterParams } from "./project-filters.js";

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

/** "Far below": a participation share under half the population share. */
export const POPULATION_SHARE_THRESHOLD = 0.5;

const YEARS =
  "($fromYear IS NULL OR p.startYear >= $fromYear) AND ($toYear IS NULL OR p.startYear <= $toYear)";

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
    countries: { id: string; label: string; population: number | null; sources: unknown }[];
    topics: { id: string; label: string }[];
  }>(
    context,
    `MATCH (k:Consortium {id: $consortiumId})
     CALL (k) {
       MATCH (k)<-[m:MEMBER_OF {status: 'MEMBER'}]-(f:Funder)-[:BASED_IN]->(c:Country)
       WITH DISTINCT c
       RETURN collect({id: c.id, label: c.name, population: c.population, sources: COUNT { (c)-[:SOURCED_FROM]->() }}) AS countries
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
  const gaps: FundingGap[] = [];

  // Participations of each member country per topic, and in all filtered projects.
  const participation = await readQuery<{ country: string; topic: string; parts: unknown }>(
    context,
    `UNWIND $countryIds AS cid
     MATCH (c:Country {id: cid})<-[:LOCATED_IN]-(:Organisation)-[r:PARTICIPATES_IN]->(p:Project)
     WHERE ${YEARS}
     MATCH (p)-[:ADDRESSES]->(t:Topic) WHERE t.id IN $topicSet
     RETURN c.id AS country, t.id AS topic, count(r) AS parts`,
    { ...params, countryIds: countries.map((c) => c.id), topicSet: topics.map((t) => t.id) },
  );
  const byCountryTopic = new Map<string, number>();
  const byCountry = new Map<string, number>();
  for (const row of participation) byCountryTopic.set(`${row.country}|${row.topic}`, toNumber(row.parts));
  const totals = await readQuery<{ country: string; parts: unknown }>(
    context,
    `UNWIND $countryIds AS cid
     MATCH (c:Country {id: cid})<-[:LOCATED_IN]-(:Organisation)-[r:PARTICIPATES_IN]->(p:Project)
     WHERE ${YEARS} AND ($topicIds IS NULL OR EXISTS { MATCH (p)-[:ADDRESSES]->(t:Topic) WHERE t.id IN $topicIds })
     RETURN c.id AS country, count(r) AS parts`,
    { ...params, countryIds: countries.map((c) => c.id) },
  );
  for (const row of totals) byCountry.set(row.country, toNumber(row.parts));

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
          sourceCount: toNumber(country.sources),
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
          sourceCount: toNumber(country.sources),
        });
      }
    }
  }

  const idle = await readQuery<{ kind: GapKind; id: string; label: string; sources: unknown }>(
    context,
    `MATCH (k:Consortium {id: $consortiumId})
     CALL (k) {
       MATCH (k)<-[:RUN_BY]-(g:Programme)
       WHERE NOT EXISTS { MATCH (p:Project)-[:FUNDED_UNDER]->(:Programme)-[:PART_OF*0..3]->(g) WHERE ${YEARS} }
       RETURN 'PROGRAMME_WITHOUT_PROJECTS' AS kind, g.id AS id, coalesce(g.acronym, g.name) AS label, COUNT { (g)-[:SOURCED_FROM]->() } AS sources
       UNION
       UNWIND $topicSet AS tid
       MATCH (t:Topic {id: tid})
       WHERE NOT EXISTS { MATCH (p:Project)-[:ADDRESSES]->(t) WHERE ${YEARS} }
       RETURN 'TOPIC_WITHOUT_PROJECTS' AS kind, t.id AS id, t.name AS label, COUNT { (t)-[:SOURCED_FROM]->() } AS sources
       UNION
       MATCH (k)<-[:MEMBER_OF]-(f:Funder)
       WHERE NOT EXISTS { MATCH (f)<-[:FUNDED_BY]-(:Programme)-[:FUNDED_BY]->(other:Funder) WHERE other <> f }
       RETURN 'FUNDER_WITHOUT_PARTNER' AS kind, f.id AS id, coalesce(f.acronym, f.name) AS label, COUNT { (f)-[:SOURCED_FROM]->() } AS sources
     }
     RETURN kind, id, label, sources ORDER BY kind, id`,
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
      sourceCount: toNumber(row.sources),
    });
  }
  return gaps;
}

function yearsText(args: { fromYear?: number | null; toYear?: number | null }): string {
  if (args.fromYear != null && args.toYear != null) return ` in ${args.fromYear}-${args.toYear}`;
  if (args.fromYear != null) return ` from ${args.fromYear}`;
  if (args.toYear != null) return ` until ${args.toYear}`;
  return "";
}
