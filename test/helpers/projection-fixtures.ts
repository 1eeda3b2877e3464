import type { Driver } from "neo4j-driver";
import { graphDataVersion } from "../../src/analysis/answer-cache.js";
import type { AnalysisFilters } from "../../src/analysis/project-filters.js";
import { ProjectionStore } from "../../src/analysis/projection-store.js";
import { REL } from "../../src/model/relationships.js";
import { TEST_DATABASE } from "./database.js";

/**
 * A ProjectionStore over the test database that counts what the projection tests assert: `asked`, how
 * many times an analysis asked it for the current projection, and `built`, how many builds finished.
 */
export function countingStore(driver: Driver): {
  store: ProjectionStore;
  asked: () => number;
  built: () => number;
  reset: () => void;
} {
  let asked = 0;
  let built = 0;
  const store = new ProjectionStore({
    driver,
    database: TEST_DATABASE,
    readVersion: graphDataVersion,
    onBuilt: () => {
      built++;
    },
  });
  const current = store.current.bind(store);
  store.current = (context) => {
    asked++;
    return current(context);
  };
  return { store, asked: () => asked, built: () => built, reset: () => (asked = 0) };
}

/** The first column of a read on the test database, as strings. */
export async function pickIds(driver: Driver, cypher: string): Promise<string[]> {
  const session = driver.session({ database: TEST_DATABASE });
  try {
    return (await session.run(cypher)).records.map((record) => record.get(0) as string);
  } finally {
    await session.close();
  }
}

/** Filter values picked from the loaded graph (inputs only: expected answers come from an oracle). */
export interface PickedFilterValues {
  /** The three topics with the most projects. */
  topics: string[];
  /** A programme with a child programme that projects are funded under. */
  parents: string[];
  /** The two programmes with the most projects funded directly under them. */
  calls: string[];
  /** The three funders of the most projects (through programmes, PART_OF*0..3). */
  funders: string[];
  /** Every PM relevance tier a project has, sorted. */
  tiers: string[];
}

/** Picks PickedFilterValues from the graph of the test database. */
export async function pickFilterValues(driver: Driver): Promise<PickedFilterValues> {
  const pick = (cypher: string) => pickIds(driver, cypher);
  return {
    topics: await pick(
      `MATCH (p:Project)-[:${REL.ADDRESSES}]->(t:Topic) RETURN t.id, count(p) AS n ORDER BY n DESC, t.id LIMIT 3`,
    ),
    parents: await pick(
      `MATCH (:Project)-[:${REL.FUNDED_UNDER}]->(:Programme)-[:${REL.PART_OF}]->(g:Programme) RETURN DISTINCT g.id ORDER BY g.id LIMIT 1`,
    ),
    calls: await pick(
      `MATCH (:Project)-[:${REL.FUNDED_UNDER}]->(g:Programme) RETURN g.id, count(*) AS n ORDER BY n DESC, g.id LIMIT 2`,
    ),
    funders: await pick(
      `MATCH (p:Project)-[:${REL.FUNDED_UNDER}]->(:Programme)-[:${REL.PART_OF}*0..3]->(:Programme)-[:${REL.FUNDED_BY}]->(f:Funder)
       RETURN f.id, count(DISTINCT p) AS n ORDER BY n DESC, f.id LIMIT 3`,
    ),
    tiers: await pick(
      "MATCH (p:Project) WHERE p.pmRelevance IS NOT NULL RETURN DISTINCT p.pmRelevance ORDER BY p.pmRelevance",
    ),
  };
}

/**
 * The filter sets the projection tests share, from picked values: years, topics, a parent programme, a
 * call, combinations, funders, an empty year and a tier (besides `{}`, which the caller adds).
 */
export function sharedFilterSets({
  topics,
  parents,
  calls,
  funders,
  tiers,
}: PickedFilterValues): AnalysisFilters[] {
  return [
    { fromYear: 2022 },
    { fromYear: 2021, toYear: 2022 },
    { topicIds: topics.slice(0, 2) },
    { programmeIds: parents },
    { programmeIds: calls.slice(1) },
    { fromYear: 2022, topicIds: topics.slice(1), programmeIds: [...parents, ...calls] },
    { funderIds: funders.slice(0, 1) },
    { funderIds: funders, fromYear: 2022, topicIds: topics.slice(0, 1) },
    // Empty: no project starts in 2099.
    { fromYear: 2099 },
    ...(tiers.length ? [{ pmRelevance: tiers.slice(0, 1) }] : []),
  ];
}
