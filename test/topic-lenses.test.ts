import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { applyLenses } from "../src/classify/apply-lenses.js";
import { readLensDir, readLensFile } from "../src/classify/lens-file.js";
import { termsRegExp } from "../src/classify/term-pattern.js";
import { bumpDataVersion } from "../src/db/data-version.js";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { runCordisImport } from "../src/import/cordis/run-cordis-import.js";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir, loadSeed } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { InputValidationError } from "../src/util/input-problems.js";
import { createLogger } from "../src/util/logger.js";
import { readCordisCsv } from "./helpers/cordis-files.js";
import {
  clearDatabase,
  count,
  graphFingerprint,
  TEST_DATABASE,
  testConfig,
  testDriver,
} from "./helpers/database.js";
import { expectData, postGraphQL } from "./helpers/graphql.js";

const log = createLogger("silent");
const run = promisify(execFile);
/** `npm run cli -- <args>` as the README gives it, against the test's Neo4j. */
const cli = (...args: string[]) => {
  const { uri, password } = inject("neo4j");
  return run(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    env: { ...process.env, NEO4J_URI: uri, NEO4J_PASSWORD: password, LOG_LEVEL: "warn" },
  });
};
const seedDir = defaultSeedDir();
const subsetDir = path.join(seedDir, "cordis", "horizon");

// ---- Expected values from the raw files (papaparse, the YAML parser), not from the classifier. ----
const projectRows = readCordisCsv(path.join(subsetDir, "project.csv"));
/** Every CORDIS export of the seed (seed/cordis/*\/project.csv: the Horizon Europe subset and the H2020 family). */
const allCordisRows = readdirSync(path.join(seedDir, "cordis"))
  .map((folder) => path.join(seedDir, "cordis", folder, "project.csv"))
  .filter((file) => existsSync(file))
  .flatMap((file) => readCordisCsv(file));
/** The curated YAML files of the seed, whole. */
const curatedYaml = readdirSync(seedDir)
  .filter((name) => name.endsWith(".yaml"))
  .map(
    (name) =>
      parseYaml(readFileSync(path.join(seedDir, name), "utf8")) as Record<
        string,
        Record<string, unknown>[] | undefined
      >,
  );
const curatedProjects = curatedYaml.flatMap((file) => [
  ...(file.coordinationActions ?? []),
  ...(file.projects ?? []),
]);
const projectText = new Map<string, string>([
  // Curated projects: every text the record states (CORDIS rows below win where both exist).
  ...curatedProjects.map((record) => [String(record.id), JSON.stringify(record)] as [string, string]),
  ...allCordisRows.map(
    (row) => [`cordis:${row.id}`, `${row.title}\n${row.keywords}\n${row.objective}`] as [string, string],
  ),
]);
const titleOf = new Map(projectRows.map((row) => [`cordis:${row.id}`, row.title!]));

const seedYaml = parseYaml(readFileSync(path.join(seedDir, "icpermed.yaml"), "utf8")) as {
  topics: { id: string; scheme: string }[];
  funders: { id: string; memberOf?: { consortium: string; status: string }[] }[];
  coordinationActions: { id: string }[];
};
/** Projects of the graph: every CORDIS export's rows and the curated projects and coordination actions. */
const projectIds = new Set([
  ...allCordisRows.map((row) => `cordis:${row.id}`),
  ...curatedProjects.map((record) => String(record.id)),
]);
const atlasTopics = seedYaml.topics.filter((topic) => topic.scheme === "ATLAS").map((topic) => topic.id);

/** A lens file written for a test, in a temporary folder. */
function lensFile(text: string, name = "lens.yaml"): { file: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "atlas-lens-"));
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const USER_LENS = `
lens: ai-in-pm
scheme: AI_IN_PM
name: AI in personalised medicine
description: A user's own view of AI in PM (test).
topics:
  - id: topic:ai-in-pm-deep-learning
    name: Deep learning
    rules:
      - id: deep-learning-terms
        reason: deep learning named in the title or keywords
        fields: [title, keywords]
        terms: [deep learning]
  - id: topic:ai-in-pm-quantum
    name: Quantum computing
    rules:
      - id: quantum-terms
        reason: a topic that no project of the subset addresses (a coverage caveat)
        fields: [title]
        terms: [quantum annealing]
`;

describe("issue 18.1: lens files are checked, with errors naming file, topic and rule", () => {
  it("the shipped lenses read without problems, and the ATLAS lens keeps the seed's ATLAS topic ids", () => {
    const lenses = readLensDir(path.join(seedDir, "lenses"));
    const atlas = lenses.find((lens) => lens.scheme === "ATLAS");
    expect(atlas?.topics.map((topic) => topic.id).sort()).toEqual([...atlasTopics].sort());
    for (const topic of atlas!.topics)
      for (const rule of topic.rules) expect(rule.reason.length).toBeGreaterThan(10);
  });

  it.each([
    [
      "a rule without a reason",
      "        reason: x\n",
      "",
      /topics\[0\] \(topic:t\) rules\[0\] \(r1\) reason/,
    ],
    ["a topic id of the wrong shape", "id: topic:t\n", "id: Topic T\n", /topics\[0\].* id: must look like/],
    [
      "a rule with nothing to match",
      "terms: [alpha]\n",
      "fields: [title]\n",
      /rules\[0\] \(r1\).*needs terms/,
    ],
    [
      "a EuroSciVoc prefix without a slash",
      "terms: [alpha]\n",
      "euroSciVoc: [medical]\n",
      /rules\[0\] \(r1\) euroSciVoc\[0\]/,
    ],
    [
      "an unknown field",
      "terms: [alpha]\n",
      "terms: [alpha]\n        colour: red\n",
      /rules\[0\] \(r1\).*colour/,
    ],
  ])("refuses %s", (_name, from, to, message) => {
    const text = `lens: t\nscheme: T_LENS\nname: t\ndescription: t\ntopics:\n  - id: topic:t\n    name: t\n    rules:\n      - id: r1\n        reason: x\n        terms: [alpha]\n`;
    const { file, remove } = lensFile(text.replace(from, to));
    try {
      expect(() => readLensFile(file)).toThrow(InputValidationError);
      expect(() => readLensFile(file)).toThrow(message);
      expect(() => readLensFile(file)).toThrow(path.basename(file));
    } finally {
      remove();
    }
  });

  it("refuses two rules with one id and a YAML syntax error, with the line", () => {
    const twice = lensFile(
      "lens: t\nscheme: T\nname: t\ndescription: t\ntopics:\n  - id: topic:t\n    name: t\n    rules:\n      - {id: r, reason: a, terms: [x]}\n      - {id: r, reason: b, terms: [y]}\n",
    );
    const broken = lensFile("lens: t\nscheme: [T\n");
    try {
      expect(() => readLensFile(twice.file)).toThrow(/rules\[1\] \(r\): rule id "r" is also used/);
      expect(() => readLensFile(broken.file)).toThrow(/lens\.yaml:\d+: \(yaml\)/);
    } finally {
      twice.remove();
      broken.remove();
    }
  });

  it("matches terms on word boundaries, with plurals and British/American spellings", () => {
    const matches = (terms: string[], text: string) => termsRegExp(terms)!.exec(text)?.[0] ?? null;
    expect(matches(["tumour"], "Solid tumors in children")).toBe("tumors");
    expect(matches(["tumor"], "the tumour microenvironment")).toBe("tumour");
    expect(matches(["paediatric oncology"], "Pediatric-oncology network")).toBe("Pediatric-oncology");
    expect(matches(["personalised therapy"], "personalized therapies")).toBe("personalized therapies");
    expect(matches(["metastasis"], "bone metastases")).toBe("metastases");
    expect(matches(["oesophageal cancer"], "esophageal cancer")).toBe("esophageal cancer");
    expect(matches(["oncolog*"], "oncological care")).toBe("oncological");
    expect(matches(["rare disease"], "rarely a disease")).toBeNull();
    expect(matches(["AI"], "said by AIDA")).toBeNull();
    expect(matches(["cancer"], "precancerous")).toBeNull();
  });
});

describe("issue 18: the default lens on the seed loaded through the real seed loader", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  const query = <T>(q: string, variables?: Record<string, unknown>): Promise<T> =>
    postGraphQL<T>(atlas.http.url, q, variables).then(expectData);
  // The lens's derived links: by a rule (method RULE) or by its linear model (method MODEL).
  const ruleLinks = async (lens = "atlas") => {
    const { records } = await driver.executeQuery(
      `MATCH (p:Project)-[r:ADDRESSES {lens: $lens}]->(t:Topic) WHERE r.method IN ['RULE', 'MODEL']
       RETURN p.id AS project, t.id AS topic, r.method AS method, r.rule AS rule, r.matched AS matched`,
      { lens },
      { database: TEST_DATABASE },
    );
    return records.map(
      (record) =>
        record.toObject() as {
          project: string;
          topic: string;
          method: string;
          rule: string;
          matched: string[];
        },
    );
  };

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await loadSeed(driver, TEST_DATABASE, log);
    atlas = await startAtlas(testConfig(), log);
    // Loading the seed classifies every project with the lens's rules and model; on a busy 2-core
    // machine this hook has taken over 4 minutes.
  }, 600_000);
  afterAll(async () => {
    await atlas?.stop();
    await driver?.close();
  });

  describe("issue 18.2: classification with evidence", () => {
    it("links each ATLAS topic that titles name to those projects, with method RULE, the rule and words found in the project", async () => {
      const links = await ruleLinks();
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) {
        expect(atlasTopics).toContain(link.topic);
        expect(link.rule).toMatch(/^[a-z0-9-]+$/);
        expect(link.matched.length).toBeGreaterThan(0);
        // A model link names the model's decision and the features that weighed most, not words found.
        if (link.method === "MODEL") {
          expect(link.rule).toMatch(/^model-/);
          continue;
        }
        // Each matched word is in the project's own text (or a EuroSciVoc path / call-topic code).
        const text = projectText
          .get(link.project)!
          .toLowerCase()
          .replace(/[\s-]+/g, " ");
        for (const word of link.matched)
          if (!word.startsWith("/") && !/^[A-Z]/.test(word))
            expect(text, `${link.project} ${word}`).toContain(word);
      }
      // Independently of the lens: every project whose title says cancer, or rare disease(s), is linked.
      const linked = new Set(links.map((link) => `${link.project}|${link.topic}`));
      const expectations: [RegExp, string][] = [
        [/\bcancers?\b/i, "topic:cancer"],
        [/\brare (diseases?|disorders?)\b/i, "topic:rare-diseases"],
        [/\bprevention\b/i, "topic:prevention"],
      ];
      for (const [pattern, topic] of expectations) {
        const titled = [...titleOf].filter(([, title]) => pattern.test(title)).map(([id]) => id);
        expect(titled.length, topic).toBeGreaterThan(0);
        for (const id of titled) expect(linked.has(`${id}|${topic}`), `${id} ${titleOf.get(id)}`).toBe(true);
      }
      // Each ATLAS topic with projects reaches the API, edge properties included.
      const answer = await query<{
        topics: {
          id: string;
          projectsConnection: {
            totalCount: number;
            edges: { properties: { method: string; rule: string; matched: string[] } }[];
          };
        }[];
      }>(
        `query { topics(where: { scheme: { eq: "ATLAS" } }) { id projectsConnection(first: 1) { totalCount edges { properties { method rule matched } } } } }`,
      );
      for (const topic of answer.topics) {
        const expected = links.filter((link) => link.topic === topic.id).length;
        expect(topic.projectsConnection.totalCount, topic.id).toBe(expected);
        if (expected) expect(topic.projectsConnection.edges[0]!.properties.method).toMatch(/^(RULE|MODEL)$/);
      }
    });

    it("is idempotent: loading the seed again and re-importing the CORDIS subset leave the graph as it was", async () => {
      const before = await graphFingerprint(driver);
      await loadSeed(driver, TEST_DATABASE, log);
      expect(await graphFingerprint(driver)).toEqual(before);
      const countries = readCountryReference(path.join(seedDir, "reference"));
      await runCordisImport(
        driver,
        TEST_DATABASE,
        subsetDir,
        { countries, dryRun: false, strict: true },
        log,
      );
      expect(await graphFingerprint(driver)).toEqual(before);
    }, 240_000);

    it("classifies the projects of a CORDIS import in the import's own transaction", async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "atlas-cordis-"));
      try {
        cpSync(subsetDir, dir, { recursive: true });
        const target = projectRows.find(
          (row) => !/rare/i.test(`${row.title} ${row.keywords} ${row.objective}`),
        )!;
        const file = path.join(dir, "project.csv");
        const text = readFileSync(file, "utf8");
        const quotedTitle = `"${target.title!.replaceAll('"', '""')}"`;
        expect(text.split(quotedTitle)).toHaveLength(2);
        writeFileSync(
          file,
          text.replace(
            quotedTitle,
            `"Orphan drugs for rare diseases: ${target.title!.replaceAll('"', '""')}"`,
          ),
        );
        const countries = readCountryReference(path.join(seedDir, "reference"));
        await runCordisImport(driver, TEST_DATABASE, dir, { countries, dryRun: false, strict: true }, log);
        const link = (await ruleLinks()).find(
          (l) => l.project === `cordis:${target.id}` && l.topic === "topic:rare-diseases",
        );
        expect(link?.matched).toEqual(expect.arrayContaining(["rare diseases"]));
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await loadSeed(driver, TEST_DATABASE, log);
        await runCordisImport(
          driver,
          TEST_DATABASE,
          subsetDir,
          { countries: readCountryReference(path.join(seedDir, "reference")), dryRun: false, strict: true },
          log,
        );
      }
    }, 240_000);

    it("keeps curated links apart: a link without method is never replaced, and no RULE or MODEL link doubles it", async () => {
      const [first] = (await ruleLinks()).filter((link) => link.topic === "topic:cancer");
      const session = driver.session({ database: TEST_DATABASE });
      try {
        await driver.executeQuery(
          // The lens's own link of the project, by a rule or by the model (cancer is the model's since it
          // was retrained), is replaced by a curated one.
          `MATCH (p:Project {id: $project})-[r:ADDRESSES]->(t:Topic {id: 'topic:cancer'}) WHERE r.method IN ['RULE', 'MODEL'] DELETE r
           WITH DISTINCT 1 AS one
           MATCH (p:Project {id: $project}), (t:Topic {id: 'topic:cancer'}) CREATE (p)-[:ADDRESSES]->(t)`,
          { project: first!.project },
          { database: TEST_DATABASE },
        );
        const lenses = readLensDir(path.join(seedDir, "lenses"));
        await session.executeWrite((tx) => applyLenses(tx, lenses));
        await session.executeWrite((tx) => applyLenses(tx, lenses));
        const between = await count(
          driver,
          "MATCH (:Project {id: $project})-[r:ADDRESSES]->(:Topic {id: 'topic:cancer'}) RETURN count(r)",
          { project: first!.project },
        );
        expect(between).toBe(1);
        expect(
          await count(
            driver,
            "MATCH (:Project {id: $project})-[r:ADDRESSES]->(:Topic {id: 'topic:cancer'}) WHERE r.method IS NULL RETURN count(r)",
            { project: first!.project },
          ),
        ).toBe(1);
      } finally {
        await driver.executeQuery(
          "MATCH (:Project {id: $project})-[r:ADDRESSES]->(:Topic {id: 'topic:cancer'}) WHERE r.method IS NULL DELETE r",
          { project: first!.project },
          { database: TEST_DATABASE },
        );
        await session.executeWrite((tx) => applyLenses(tx, readLensDir(path.join(seedDir, "lenses"))));
        await session.close();
      }
    });
  });

  describe("issue 18.4: answers that tell their coverage", () => {
    it("fundingMatrix(COUNTRY x TOPIC, topicScheme ATLAS) has data, and names the topics no project is linked to", async () => {
      const { fundingMatrix } = await query<{
        fundingMatrix: {
          columns: { key: string; total: number; linkedProjects: number | null }[];
          cells: { value: number }[];
          topicsWithoutLinkedProjects: string[];
        };
      }>(
        `query { fundingMatrix(rows: COUNTRY, columns: TOPIC, measure: PROJECTS, filters: { topicScheme: "ATLAS" }) {
          columns { key total linkedProjects } cells { value } topicsWithoutLinkedProjects } }`,
      );
      expect(fundingMatrix.columns.map((c) => c.key).sort()).toEqual([...atlasTopics].sort());
      expect(fundingMatrix.cells.some((cell) => cell.value > 0)).toBe(true);
      const links = await ruleLinks();
      for (const column of fundingMatrix.columns)
        expect(column.linkedProjects, column.key).toBe(
          new Set(links.filter((l) => l.topic === column.key).map((l) => l.project)).size,
        );
      expect(fundingMatrix.topicsWithoutLinkedProjects).toEqual(
        fundingMatrix.columns.filter((c) => c.linkedProjects === 0).map((c) => c.key),
      );
    });

    it("a user lens is applied with its own scheme; its uncovered topic is a caveat in the matrix and in fundingGaps, not a gap per country", async () => {
      const { file, remove } = lensFile(USER_LENS);
      try {
        const { stdout } = await cli("classify", "--lens", file);
        const [report] = JSON.parse(stdout) as { linksByTopic: Record<string, number> }[];
        const titled = [...titleOf]
          .filter(([, title]) => /\bdeep[\s-]learning\b/i.test(title))
          .map(([id]) => id);
        expect(report!.linksByTopic["topic:ai-in-pm-deep-learning"]).toBeGreaterThanOrEqual(titled.length);
        const { fundingMatrix } = await query<{
          fundingMatrix: { topicsWithoutLinkedProjects: string[]; columns: { key: string }[] };
        }>(
          `query { fundingMatrix(rows: COUNTRY, columns: TOPIC, filters: { topicScheme: "AI_IN_PM" }) { columns { key } topicsWithoutLinkedProjects } }`,
        );
        expect(fundingMatrix.columns.map((c) => c.key)).toEqual([
          "topic:ai-in-pm-deep-learning",
          "topic:ai-in-pm-quantum",
        ]);
        expect(fundingMatrix.topicsWithoutLinkedProjects).toEqual(["topic:ai-in-pm-quantum"]);
        const { fundingGaps } = await query<{
          fundingGaps: { kind: string; subjectId: string; topicId: string | null }[];
        }>(
          `query { fundingGaps(consortiumId: "consortium:era-permed", topicIds: ["topic:ai-in-pm-quantum", "topic:cancer"]) { kind subjectId topicId } }`,
        );
        expect(fundingGaps.filter((g) => g.kind === "TOPIC_NOT_COVERED").map((g) => g.subjectId)).toEqual([
          "topic:ai-in-pm-quantum",
        ]);
        expect(
          fundingGaps.filter((g) => g.topicId === "topic:ai-in-pm-quantum" && g.kind !== "TOPIC_NOT_COVERED"),
        ).toEqual([]);
      } finally {
        await driver.executeQuery(
          `MATCH (l:Lens {id: 'lens:ai-in-pm'}) DETACH DELETE l
           WITH 1 AS one MATCH (t:Topic {scheme: 'AI_IN_PM'}) DETACH DELETE t`,
          {},
          { database: TEST_DATABASE },
        );
        remove();
      }
    }, 120_000);

    it("the CLI refuses a bad lens file naming file, topic and rule, and writes nothing", async () => {
      const { file, remove } = lensFile(
        USER_LENS.replace("        reason: deep learning named in the title or keywords\n", ""),
      );
      const before = await graphFingerprint(driver);
      try {
        const attempt = cli("classify", "--lens", file);
        await expect(attempt).rejects.toMatchObject({
          code: 1,
          stderr: expect.stringMatching(
            /lens\.yaml: topics\[0\] \(topic:ai-in-pm-deep-learning\) rules\[0\] \(deep-learning-terms\) reason/,
          ),
        });
        expect(await graphFingerprint(driver)).toEqual(before);
      } finally {
        remove();
      }
    }, 120_000);

    it("a topic that projects are linked to but none within the years is still a gap (TOPIC_WITHOUT_PROJECTS)", async () => {
      const { fundingGaps } = await query<{ fundingGaps: { kind: string; subjectId: string }[] }>(
        `query { fundingGaps(consortiumId: "consortium:era-permed", topicIds: ["topic:cancer"], fromYear: 2100) { kind subjectId } }`,
      );
      expect(fundingGaps.filter((g) => g.kind === "TOPIC_WITHOUT_PROJECTS").map((g) => g.subjectId)).toEqual([
        "topic:cancer",
      ]);
      expect(fundingGaps.some((g) => g.kind === "NO_PARTICIPATION_IN_TOPIC")).toBe(true);
      expect(fundingGaps.some((g) => g.kind === "TOPIC_NOT_COVERED")).toBe(false);
    });

    it("a lens whose topic is a topic of another scheme is refused and changes nothing", async () => {
      const { file, remove } = lensFile(
        USER_LENS.replace("topic:ai-in-pm-quantum", "topic:euroscivoc:21-35-161-655"),
      );
      const before = await graphFingerprint(driver);
      const session = driver.session({ database: TEST_DATABASE });
      try {
        const attempt = session.executeWrite((tx) => applyLenses(tx, [readLensFile(file)]));
        await expect(attempt).rejects.toThrow(
          /topics\[1\] \(topic:euroscivoc:21-35-161-655\): is already a topic of scheme EUROSCIVOC/,
        );
        expect(await graphFingerprint(driver)).toEqual(before);
      } finally {
        await session.close();
        remove();
      }
    });

    /**
     * A write in Cypher, not through the API: it bumps the data version as every writer must, or the
     * server's answer cache (issue 19) would keep answering from before it.
     */
    const writeBehindTheApi = async (cypher: string, params: Record<string, unknown> = {}) => {
      const session = driver.session({ database: TEST_DATABASE });
      try {
        await session.executeWrite(async (tx) => {
          await tx.run(cypher, params);
          await bumpDataVersion(tx);
        });
      } finally {
        await session.close();
      }
    };

    it("fundingGaps says when the consortium's recorded membership is below what its sources state (statedMemberCount)", async () => {
      const GAPS = `query { fundingGaps(consortiumId: "consortium:icpermed") { kind expected actual membershipComplete topicId } }`;
      // Without a stated size there is nothing to compare with: no caveat, completeness unknown (null).
      const stated = (
        curatedYaml.flatMap((file) => file.consortia ?? []).find((c) => c.id === "consortium:icpermed") as {
          statedMemberCount?: number;
        }
      ).statedMemberCount;
      expect(stated).toBeGreaterThan(0);
      await writeBehindTheApi("MATCH (k:Consortium {id: 'consortium:icpermed'}) REMOVE k.statedMemberCount");
      const without = await query<{ fundingGaps: { kind: string; membershipComplete: boolean | null }[] }>(
        GAPS,
      );
      expect(without.fundingGaps.every((gap) => gap.membershipComplete === null)).toBe(true);
      expect(without.fundingGaps.some((gap) => gap.kind === "MEMBERSHIP_INCOMPLETE")).toBe(false);
      // Recorded members from the YAML files: funders MEMBER_OF consortium:icpermed with status MEMBER.
      const recorded = curatedYaml
        .flatMap((file) => (file.funders ?? []) as { memberOf?: { consortium: string; status: string }[] }[])
        .filter((f) =>
          f.memberOf?.some((m) => m.consortium === "consortium:icpermed" && m.status === "MEMBER"),
        ).length;
      await writeBehindTheApi(
        "MATCH (k:Consortium {id: 'consortium:icpermed'}) SET k.statedMemberCount = $stated",
        {
          stated,
        },
      );
      try {
        const withStated = await query<{
          fundingGaps: {
            kind: string;
            expected: number;
            actual: number;
            membershipComplete: boolean | null;
          }[];
        }>(GAPS);
        expect(withStated.fundingGaps.filter((gap) => gap.kind === "MEMBERSHIP_INCOMPLETE")).toEqual([
          expect.objectContaining({ expected: stated, actual: recorded, membershipComplete: false }),
        ]);
        expect(withStated.fundingGaps.every((gap) => gap.membershipComplete === false)).toBe(true);
      } finally {
        // As the seed has it, for the tests after this one.
        await writeBehindTheApi(
          "MATCH (k:Consortium {id: 'consortium:icpermed'}) SET k.statedMemberCount = $stated",
          { stated },
        );
      }
    });

    it("every country gap over a topic is over a topic that projects are linked to", async () => {
      const { fundingGaps } = await query<{ fundingGaps: { kind: string; topicId: string | null }[] }>(
        `query { fundingGaps(consortiumId: "consortium:era-permed") { kind topicId } }`,
      );
      const kinds = new Map<string, number>();
      for (const gap of fundingGaps) kinds.set(gap.kind, (kinds.get(gap.kind) ?? 0) + 1);
      process.stdout.write(
        `era-permed gaps: ${fundingGaps.length} ${JSON.stringify(Object.fromEntries(kinds))}\n`,
      );
      const linkedTopics = new Set((await ruleLinks()).map((link) => link.topic));
      for (const gap of fundingGaps.filter((g) => g.kind === "NO_PARTICIPATION_IN_TOPIC"))
        expect(linkedTopics.has(gap.topicId!) || !atlasTopics.includes(gap.topicId!), gap.topicId!).toBe(
          true,
        );
    });
  });

  describe("issue 18.5: PM relevance tiers", () => {
    it("every project of the seed has a tier, and topicLenses counts them", async () => {
      const { topicLenses } = await query<{
        topicLenses: { key: string; scheme: string; relevanceTiers: { tier: string; projects: number }[] }[];
      }>(`query { topicLenses { key scheme relevanceTiers { tier projects } } }`);
      const lens = topicLenses.find((l) => l.key === "atlas")!;
      process.stdout.write(`tiers: ${JSON.stringify(lens.relevanceTiers)}\n`);
      expect(lens.relevanceTiers.map((t) => t.tier)).toEqual(["CORE", "BIOMEDICAL", "NOT_BIOMEDICAL"]);
      expect(lens.relevanceTiers.reduce((sum, t) => sum + t.projects, 0)).toBe(projectIds.size);
      const { records } = await driver.executeQuery(
        "MATCH (p:Project) RETURN p.pmRelevance AS tier, count(*) AS projects",
        {},
        { database: TEST_DATABASE },
      );
      const stored = Object.fromEntries(
        records.map((r) => [r.get("tier") as string, Number(r.get("projects"))]),
      );
      expect(Object.fromEntries(lens.relevanceTiers.map((t) => [t.tier, t.projects]))).toEqual(stored);
    });

    it("filters.pmRelevance narrows the matrix, and an unknown tier is BAD_USER_INPUT naming filters.pmRelevance", async () => {
      const M = `query M($filters: AnalysisFilters) { fundingMatrix(rows: COUNTRY, columns: YEAR, measure: PROJECTS, filters: $filters) { rows { key total outsideColumns } } }`;
      const total = (m: { fundingMatrix: { rows: { total: number; outsideColumns: number }[] } }) =>
        m.fundingMatrix.rows.reduce((sum, row) => sum + row.total, 0);
      const all = await query<{ fundingMatrix: { rows: { total: number; outsideColumns: number }[] } }>(
        M,
        {},
      );
      const core = await query<typeof all>(M, { filters: { pmRelevance: ["CORE"] } });
      const rest = await query<typeof all>(M, { filters: { pmRelevance: ["BIOMEDICAL", "NOT_BIOMEDICAL"] } });
      expect(total(core)).toBeGreaterThan(0);
      expect(total(core)).toBeLessThan(total(all));
      expect(total(core) + total(rest)).toBe(total(all));
      const bad = await postGraphQL(atlas.http.url, M, { filters: { pmRelevance: ["MAYBE"] } });
      expect(bad.errors?.[0]?.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        argumentName: "filters.pmRelevance",
      });
    });

    it("the networks, their export and fundingGaps take the tier too; an unknown one, or one on the FUNDER network, is BAD_USER_INPUT naming pmRelevance", async () => {
      const N = `query N($level: NetworkLevel!, $pmRelevance: [String!]) { collaborationNetwork(level: $level, pmRelevance: $pmRelevance, limit: 5000) { nodes { key weight } } }`;
      type Net = { collaborationNetwork: { nodes: { key: string; weight: number }[] } };
      const weight = (n: Net) => n.collaborationNetwork.nodes.reduce((sum, node) => sum + node.weight, 0);
      const all = await query<Net>(N, { level: "COUNTRY" });
      const core = await query<Net>(N, { level: "COUNTRY", pmRelevance: ["CORE"] });
      expect(weight(core)).toBeGreaterThan(0);
      expect(weight(core)).toBeLessThan(weight(all));
      const refusals = [
        [N, { level: "COUNTRY", pmRelevance: ["MAYBE"] }],
        [N, { level: "FUNDER", pmRelevance: ["CORE"] }],
        [`{ fundingGaps(consortiumId: "consortium:icpermed", pmRelevance: ["MAYBE"]) { kind } }`, {}],
      ] as const;
      for (const [document, variables] of refusals) {
        const bad = await postGraphQL(atlas.http.url, document, variables);
        expect(bad.errors?.[0]?.extensions, JSON.stringify(variables)).toMatchObject({
          code: "BAD_USER_INPUT",
          argumentName: "pmRelevance",
        });
      }
      const response = await fetch(`${atlas.http.url}/export/network.csv?level=COUNTRY&pmRelevance=MAYBE`);
      expect(response.status).toBe(400);
      expect(
        ((await response.json()) as { errors: { extensions: unknown }[] }).errors[0]!.extensions,
      ).toMatchObject({
        code: "BAD_USER_INPUT",
        argumentName: "pmRelevance",
      });
    });
  });
});
