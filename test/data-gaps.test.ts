import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { defaultSeedDir, loadSeed } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
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

  describe("coverage: what every analysis answer rests on, from the raw files", () => {
    // The projects of the seed, read from its files: the two CORDIS exports and the curated YAML (its
    // projects, and its coordination actions, which are projects too; one not in the exports is undated).
    const cordisRows = ["horizon", "h2020"].flatMap((programme) =>
      readCordisCsv(path.join(seedDir, "cordis", programme, "project.csv")),
    );
    const startOf = new Map<string, string | null>();
    for (const row of cordisRows) startOf.set(`cordis:${row.id}`, row.startDate || null);
    for (const project of all("projects"))
      startOf.set(String(project.id), project.startDate ? String(project.startDate) : null);
    for (const action of all("coordinationActions"))
      if (!startOf.has(String(action.id))) startOf.set(String(action.id), null);
    const startYears = [...startOf.values()].map((date) => (date ? Number(date.slice(0, 4)) : null));
    const dated = startYears.filter((year): year is number => year !== null);
    const COVERAGE = `projects fromYear toYear projectsWithoutStartYear projectsWithoutProgramme
      programmes { id projects } sources { id date newestContentUpdate projects }
      missing { what subjectId stated qualifier recorded statements }
      thresholds { name value unit excludedIds excludedLabels } statement`;
    type Coverage = {
      projects: number;
      fromYear: number | null;
      toYear: number | null;
      projectsWithoutStartYear: number;
      projectsWithoutProgramme: number;
      programmes: { id: string; projects: number }[];
      sources: { id: string; date: string | null; newestContentUpdate: string | null; projects: number }[];
      missing: {
        what: string;
        subjectId: string;
        stated: number | null;
        qualifier: string | null;
        recorded: number;
        statements: string[];
      }[];
      thresholds: {
        name: string;
        value: number;
        unit: string;
        excludedIds: string[];
        excludedLabels: string[];
      }[];
      statement: string;
    };
    const ask = <T>(query: string, variables: Record<string, unknown> = {}) =>
      postGraphQL<T>(atlas.http.url, query, variables).then(expectData);

    it("counts every project of the files, their start years and the undated ones, on every analysis", async () => {
      const data = await ask<Record<string, { coverage: Coverage }>>(`{
        matrix: fundingMatrix(rows: COUNTRY, columns: YEAR) { coverage { ${COVERAGE} } }
        trend: fundingTrend(groupBy: COUNTRY) { coverage { ${COVERAGE} } }
        money: fundingByFunder { coverage { ${COVERAGE} } }
        network: collaborationNetwork(level: COUNTRY) { coverage { ${COVERAGE} } }
        alone: coverage { ${COVERAGE} }
      }`);
      const expected = {
        projects: startOf.size,
        fromYear: Math.min(...dated),
        toYear: Math.max(...dated),
        projectsWithoutStartYear: startYears.length - dated.length,
      };
      for (const [name, answer] of Object.entries(data)) {
        const coverage = "coverage" in answer ? answer.coverage : (answer as unknown as Coverage);
        expect(coverage, name).toMatchObject(expected);
        expect(coverage.statement, name).toContain(`Counts ${expected.projects} projects`);
      }
      // The Horizon Europe export is a source of its 515 projects, with its newest content update.
      const horizon = readCordisCsv(path.join(seedDir, "cordis", "horizon", "project.csv"));
      const source = data.matrix!.coverage.sources.find((s) => s.id === "source:cordis-horizon-projects");
      expect(source).toMatchObject({
        projects: horizon.length,
        newestContentUpdate: horizon
          .map((row) => row.contentUpdateDate!.slice(0, 10))
          .sort()
          .at(-1),
      });
    });

    it("narrows with the filters: the years and projects of fromYear", async () => {
      const from = 2023;
      const { fundingTrend } = await ask<{ fundingTrend: { coverage: Coverage } }>(
        `query T($f: AnalysisFilters) { fundingTrend(groupBy: TOPIC, filters: $f) { coverage { ${COVERAGE} } } }`,
        { f: { fromYear: from } },
      );
      const inRange = dated.filter((year) => year >= from);
      expect(fundingTrend.coverage).toMatchObject({
        projects: inRange.length,
        fromYear: Math.min(...inRange),
        toYear: Math.max(...inRange),
        projectsWithoutStartYear: 0,
      });
    });

    it("narrows with a programme: the projects of the Horizon Europe export, grouped by call", async () => {
      const horizon = readCordisCsv(path.join(seedDir, "cordis", "horizon", "project.csv"));
      const { fundingTrend } = await ask<{ fundingTrend: { series: unknown[]; coverage: Coverage } }>(
        `query T($f: AnalysisFilters) { fundingTrend(groupBy: PROGRAMME, filters: $f) { series { key } coverage { ${COVERAGE} } } }`,
        { f: { programmeIds: ["programme:horizon"] } },
      );
      expect(fundingTrend.series.length).toBeGreaterThan(0);
      expect(fundingTrend.coverage.projects).toBe(horizon.length);
      expect(fundingTrend.coverage.programmes).toEqual([
        { id: "programme:horizon", projects: horizon.length },
      ]);
    });

    it("says what is known to be missing: stated funded projects and members the graph lacks", async () => {
      const { matrix, gaps } = await ask<{ matrix: { coverage: Coverage }; gaps: Coverage }>(`{
        matrix: fundingMatrix(rows: FUNDER, columns: YEAR) { coverage { ${COVERAGE} } }
        gaps: coverage(consortiumId: "consortium:ep-permed") { ${COVERAGE} }
      }`);
      for (const call of ["programme:ep-permed-jtc2024", "programme:ep-permed-jtc2025"]) {
        for (const coverage of [matrix.coverage, gaps]) {
          expect(coverage.missing.find((m) => m.subjectId === call)).toMatchObject({
            what: "PROJECTS",
            stated: statedProjects(call),
            recorded: recordedProjects(call),
          });
        }
      }
      const size = consortium("consortium:ep-permed");
      expect(gaps.missing.find((m) => m.what === "MEMBERS")).toMatchObject({
        subjectId: "consortium:ep-permed",
        stated: size.statedMemberCount,
        qualifier: size.statedMemberCountQualifier ?? null,
        recorded: members("consortium:ep-permed"),
      });
      // Answers by funder list every consortium whose recorded members fall short of its stated size.
      const short = all("consortia").filter(
        (k) => k.statedMemberCount != null && members(String(k.id)) < Number(k.statedMemberCount),
      );
      expect(short.length).toBeGreaterThan(1);
      expect(
        matrix.coverage.missing
          .filter((m) => m.what === "MEMBERS")
          .map((m) => m.subjectId)
          .sort(),
      ).toEqual(short.map((k) => String(k.id)).sort());
      expect(gaps.statement).toContain("not funding gaps");
    });

    it("per capita leaves out countries under the minimum population, names them, and takes another minimum", async () => {
      // Independent of the importer: participating countries (CORDIS codes to ISO via the reference
      // table) and their newest World Bank population.
      const reference = path.join(seedDir, "reference");
      const iso2OfCordis = new Map(
        readCordisCsv(path.join(reference, "countries.csv"), ",").map((row) => [
          row.cordisCode || row.iso2!,
          row,
        ]),
      );
      const newest = new Map<string, { year: number; value: number }>();
      for (const row of readCordisCsv(path.join(reference, "population.csv"), ",")) {
        if (!row.Value) continue;
        const known = newest.get(row["Country Code"]!);
        if (!known || Number(row.Year) > known.year)
          newest.set(row["Country Code"]!, { year: Number(row.Year), value: Number(row.Value) });
      }
      const countries = new Set(
        ["horizon", "h2020"].flatMap((programme) =>
          readCordisCsv(path.join(seedDir, "cordis", programme, "organization.csv")).map(
            (row) => row.country!,
          ),
        ),
      );
      const populationOf = (cordis: string) => {
        const country = iso2OfCordis.get(cordis);
        return country ? newest.get(country.iso3)?.value : undefined;
      };
      const idOf = (cordis: string) => `country:${iso2OfCordis.get(cordis)?.iso2 ?? cordis}`;
      const under = (min: number) =>
        [...countries]
          .filter((c) => {
            const population = populationOf(c);
            return population === undefined || population < min;
          })
          .map(idOf)
          .sort();
      const M = `query M($min: Float) { fundingMatrix(rows: COUNTRY, columns: YEAR, normalise: PER_MILLION_INHABITANTS, minPopulation: $min) {
        rows { key } coverage { thresholds { name value unit excludedIds excludedLabels } statement } } }`;
      type Answer = { fundingMatrix: { rows: { key: string }[]; coverage: Coverage } };
      for (const min of [undefined, 1_000_000, 0]) {
        const { fundingMatrix } = await ask<Answer>(M, { min });
        const expected = under(min ?? 100_000);
        const threshold = fundingMatrix.coverage.thresholds[0]!;
        expect(threshold).toMatchObject({
          name: "minPopulation",
          value: min ?? 100_000,
          unit: "inhabitants",
        });
        expect([...threshold.excludedIds].sort(), String(min)).toEqual(expected);
        for (const id of expected) expect(fundingMatrix.rows.map((r) => r.key)).not.toContain(id);
        expect(fundingMatrix.rows.length + expected.length).toBe(countries.size);
        if (expected.length) expect(fundingMatrix.coverage.statement).toContain(threshold.excludedLabels[0]!);
      }
      // Gibraltar (one project in the seed) is left out by default and back with minPopulation 0.
      expect(under(100_000)).toContain("country:GI");
      expect(under(0)).not.toContain("country:GI");
      const refused = await postGraphQL(atlas.http.url, M, { min: -1 });
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        argumentName: "minPopulation",
      });
    });
  });
});
