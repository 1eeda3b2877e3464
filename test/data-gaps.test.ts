import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { loadTypeDefs } from "../src/graphql/type-defs.js";
import { defaultSeedDir, loadSeed } from "../src/import/seed/load-seed.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { readCordisCsv } from "./helpers/cordis-files.js";
import { clearDatabase, TEST_DATABASE, testConfig, testDriver } from "./helpers/database.js";
import { expectData, postGraphQL } from "./helpers/graphql.js";

/**
 * A data gap is not a funding gap: on the real seed (loaded through the seed loader and its CORDIS
 * imports), fundingGaps reports programmes whose sources state funded projects that the graph lacks as
 * PROJECTS_NOT_RECORDED, never as PROGRAMME_WITHOUT_PROJECTS, and consortia whose recorded members fall
 * short of their stated size as MEMBERSHIP_INCOMPLETE, with a note in every member-country gap. The
 * expected figures are read from the seed's YAML files, not from the graph.
 */
const seedDir = defaultSeedDir();
type Yaml = Record<string, Record<string, unknown>[] | undefined>;
const files: Yaml[] = readdirSync(seedDir)
  .filter((name) => name.endsWith(".yaml"))
  .map((name) => parseYaml(readFileSync(path.join(seedDir, name), "utf8")) as Yaml);
const all = (key: string) => files.flatMap((file) => file[key] ?? []);

/** Funders recorded as MEMBER of `consortium` in the seed. */
const members = (consortium: string) =>
  all("funders").filter((funder) =>
    ((funder.memberOf ?? []) as { consortium: string; status: string }[]).some(
      (entry) => entry.consortium === consortium && entry.status === "MEMBER",
    ),
  ).length;
const consortium = (id: string) => all("consortia").find((record) => record.id === id)!;
/** The largest stated fundedProjectCount of a programme, or undefined. */
const statedProjects = (programme: string) => {
  const values = all("statedFacts")
    .filter(
      (fact) => fact.attribute === "fundedProjectCount" && (fact.subject as string[]).includes(programme),
    )
    .map((fact) => Number(fact.value));
  return values.length ? Math.max(...values) : undefined;
};
/** The seed's projects funded under a programme (curated ones; the CORDIS exports fund none of these calls). */
const recordedProjects = (programme: string) =>
  all("projects").filter((project) => ((project.fundedUnder ?? []) as string[]).includes(programme)).length;

interface Gap {
  kind: string;
  subjectId: string;
  expected: number | null;
  actual: number | null;
  reason: string;
  membershipComplete: boolean | null;
  dataGap: boolean;
}
const GAPS = `query G($id: ID!) { fundingGaps(consortiumId: $id) { kind subjectId expected actual reason membershipComplete dataGap } }`;

describe("data gaps apart from funding gaps, on the real seed", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  const gaps = (id: string) =>
    postGraphQL<{ fundingGaps: Gap[] }>(atlas.http.url, GAPS, { id })
      .then(expectData)
      .then((data) => data.fundingGaps);

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await loadSeed(driver, TEST_DATABASE, createLogger("silent"));
    atlas = await startAtlas(testConfig(), createLogger("silent"));
  }, 300_000);
  afterAll(async () => {
    await atlas?.stop();
    await driver?.close();
  });

  it("keeps what a curator wrote of a Source the CORDIS importer also writes, with the import's newest update beside it", async () => {
    const curated = all("sources").find((source) => source.id === "source:cordis-horizon-projects")!;
    const newest = readCordisCsv(path.join(seedDir, "cordis", "horizon", "project.csv"))
      .map((row) => row.contentUpdateDate!.slice(0, 10))
      .sort()
      .at(-1);
    const { records } = await driver.executeQuery(
      "MATCH (s:Source {id: 'source:cordis-horizon-projects'}) RETURN s.title AS title, toString(s.date) AS date, toString(s.newestContentUpdate) AS newest",
      {},
      { database: TEST_DATABASE },
    );
    expect(records[0]!.toObject()).toEqual({
      title: curated.title,
      date: String(curated.date),
      newest,
    });
  });

  it("EP PerMed: its calls' stated funded projects are missing data, and its membership is incomplete", async () => {
    const answer = await gaps("consortium:ep-permed");
    for (const call of ["programme:ep-permed-jtc2024", "programme:ep-permed-jtc2025"]) {
      const stated = statedProjects(call)!;
      expect(stated, call).toBeGreaterThan(0);
      const gap = answer.find((g) => g.subjectId === call && g.kind === "PROJECTS_NOT_RECORDED");
      expect(gap, call).toMatchObject({ expected: stated, actual: recordedProjects(call), dataGap: true });
      expect(gap!.reason).toContain("not a funding gap");
      expect(answer.filter((g) => g.subjectId === call && g.kind === "PROGRAMME_WITHOUT_PROJECTS")).toEqual(
        [],
      );
    }
    const size = consortium("consortium:ep-permed");
    expect(answer.find((g) => g.kind === "MEMBERSHIP_INCOMPLETE")).toMatchObject({
      expected: size.statedMemberCount,
      actual: members("consortium:ep-permed"),
      dataGap: true,
    });
  });

  it("ERA PerMed: incomplete membership is said in every member-country gap; calls with stated funding are data gaps", async () => {
    const answer = await gaps("consortium:era-permed");
    const size = consortium("consortium:era-permed");
    const recorded = members("consortium:era-permed");
    expect(recorded).toBeLessThan(Number(size.statedMemberCount));
    expect(answer.find((g) => g.kind === "MEMBERSHIP_INCOMPLETE")).toMatchObject({
      expected: size.statedMemberCount,
      actual: recorded,
    });
    const countryGaps = answer.filter((g) =>
      ["NO_PARTICIPATION_IN_TOPIC", "BELOW_POPULATION_SHARE"].includes(g.kind),
    );
    expect(countryGaps.length).toBeGreaterThan(0);
    for (const gap of countryGaps) {
      expect(gap.membershipComplete).toBe(false);
      expect(gap.dataGap).toBe(false);
      expect(gap.reason).toContain(`the ${recorded} members recorded of the ${size.statedMemberCount}`);
    }
    // A call whose facts state a budget, funders or a named funded project funded projects; the graph
    // lacking them is a data gap. The calls are those of the seed with such facts and no recorded project.
    const evidence = new Set([
      "fundedProjectCount",
      "fundedProject",
      "fundedResearchGroups",
      "totalInvestment",
      "budget",
      "fundingOrganisationCount",
    ]);
    const calls = all("programmes")
      .filter((programme) => ((programme.runBy ?? []) as string[]).includes("consortium:era-permed"))
      .map((programme) => String(programme.id))
      .filter((id) =>
        all("statedFacts").some(
          (fact) => evidence.has(String(fact.attribute)) && (fact.subject as string[]).includes(id),
        ),
      )
      .filter((id) => recordedProjects(id) === 0);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(
        answer.some((g) => g.subjectId === call && g.kind === "PROJECTS_NOT_RECORDED"),
        call,
      ).toBe(true);
      expect(
        answer.some((g) => g.subjectId === call && g.kind === "PROGRAMME_WITHOUT_PROJECTS"),
        call,
      ).toBe(false);
    }
    // dataGap is exactly the three kinds of missing data.
    for (const gap of answer)
      expect(gap.dataGap, gap.kind).toBe(
        ["TOPIC_NOT_COVERED", "MEMBERSHIP_INCOMPLETE", "PROJECTS_NOT_RECORDED"].includes(gap.kind),
      );
  });
});
