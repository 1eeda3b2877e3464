import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import { readSeed } from "../src/import/seed/read-seed.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { InputValidationError } from "../src/util/input-problems.js";
import { createLogger } from "../src/util/logger.js";
import { cents, readCordisCsv } from "./helpers/cordis-files.js";
import { clearDatabase, count, testConfig, testDriver } from "./helpers/database.js";
import { expectData, postGraphQL } from "./helpers/graphql.js";

/**
 * Issue 17: the ICPerMed landscape from the sources of SOURCES-2.md, loaded by `npm start` on an empty
 * store (the real seed loader and CORDIS importer). Expected values are computed here from the files in
 * seed/ (papaparse, yaml), never copied from the product's output.
 */

const log = createLogger("silent");
const seedDir = defaultSeedDir();
const h2020Dir = path.join(seedDir, "cordis", "h2020");
const rawDir = path.join(h2020Dir, "raw");

type Yaml = Record<string, Record<string, unknown>[]>;
const yamlFiles = ["icpermed.yaml", "icpermed-sources-2.yaml"].map(
  (name) => parseYaml(readFileSync(path.join(seedDir, name), "utf8")) as Yaml,
);
const yamlRecords = (collection: string) => yamlFiles.flatMap((file) => file[collection] ?? []);

const organizationRows = readCordisCsv(path.join(h2020Dir, "organization.csv"));
const projectRows = readCordisCsv(path.join(h2020Dir, "project.csv"));
const topicRows = readCordisCsv(path.join(h2020Dir, "topics.csv"));
const provenanceRows = readCordisCsv(path.join(h2020Dir, "provenance.csv"));
const rawParticipants = readCordisCsv(path.join(rawDir, "h2020_pm_participants_derrabauke.csv"), ",");
const rawFamily = readCordisCsv(path.join(rawDir, "icpermed_family_h2020_projects.csv"), ",");
const rawTopics = readCordisCsv(path.join(rawDir, "h2020_topics_family.csv"), ",");
const rawNrc = readCordisCsv(path.join(rawDir, "nrc_norway_h2020_pm_participations.csv"), ",");

const sumCents = (amounts: (number | null | undefined)[]) =>
  amounts.reduce<number>((sum, amount) => sum + Math.round((amount ?? 0) * 100), 0);

describe("issue 17: the ICPerMed landscape from the new sources, after `npm start` on an empty store", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  const query = <T = Record<string, unknown>>(q: string, variables?: Record<string, unknown>) =>
    postGraphQL<T>(atlas.http.url, q, variables).then(expectData);

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    atlas = await startAtlas(testConfig({ autoSeed: true }), log);
  });
  afterAll(async () => {
    await atlas.stop();
    await driver.close();
  });

  describe("17.1: H2020 participants through the CORDIS importer", () => {
    it("cordis:964197 is a CoordinationAction with its 4 participants, contributions summing to 1,999,787.50 EUR, supporting ICPerMed", async () => {
      const rows = organizationRows.filter((row) => row.projectID === "964197");
      const expectedCents = rows.reduce((sum, row) => sum + cents(row.ecContribution!), 0);
      // The issue's figure, recomputed from the file the importer reads and from the raw pipeline copy.
      expect(rows).toHaveLength(4);
      expect(expectedCents).toBe(199_978_750);
      expect(
        rawParticipants
          .filter((row) => row.projectID === "964197")
          .reduce((sum, row) => sum + cents(row.ecContribution!), 0),
      ).toBe(expectedCents);

      const data = await query<{
        coordinationActions: {
          grantId: string;
          supports: { id: string }[];
          sources: { id: string }[];
          partnersConnection: {
            totalCount: number;
            edges: {
              properties: { role: string; contribution: number | null };
              node: { cordisId: string };
            }[];
          };
        }[];
        projects: { programmes: { id: string }[]; topics: { code: string | null }[] }[];
      }>(`{
        coordinationActions(where: { id: { eq: "cordis:964197" } }) {
          grantId supports { id } sources { id }
          partnersConnection { totalCount edges { properties { role contribution } node { cordisId } } }
        }
        projects(where: { id: { eq: "cordis:964197" } }) { programmes { id } topics { code } }
      }`);
      const action = data.coordinationActions[0]!;
      expect(action.grantId).toBe("964197");
      expect(action.supports.map((c) => c.id)).toContain("consortium:icpermed");
      expect(action.sources.map((s) => s.id)).toContain("source:cordis-h2020-projects");
      expect(action.partnersConnection.totalCount).toBe(rows.length);
      expect(sumCents(action.partnersConnection.edges.map((e) => e.properties.contribution))).toBe(
        expectedCents,
      );
      expect(action.partnersConnection.edges.map((e) => e.node.cordisId).sort()).toEqual(
        rows.map((row) => row.organisationID).sort(),
      );
      const coordinator = rows.find((row) => row.role === "coordinator")!;
      expect(
        action.partnersConnection.edges
          .filter((e) => e.properties.role === "COORDINATOR")
          .map((e) => e.node.cordisId),
      ).toEqual([coordinator.organisationID]);
      expect(data.projects[0]!.programmes.map((p) => p.id)).toContain("programme:h2020");
    });

    it("the H2020 data has its own Source, dated by the newest content update of its rows", async () => {
      const newest = organizationRows
        .map((row) => row.contentUpdateDate!.slice(0, 10))
        .sort()
        .at(-1)!;
      const data = await query<{ sources: { date: string; kind: string }[] }>(
        `{ sources(where: { id: { eq: "source:cordis-h2020-projects" } }) { date kind } }`,
      );
      expect(data.sources).toEqual([{ date: newest, kind: "DATA_EXPORT" }]);
      expect(
        await count(
          driver,
          "MATCH (p:Project)-[:SOURCED_FROM]->(:Source {id: 'source:cordis-h2020-projects'}) WHERE p.id IN $ids RETURN count(p)",
          { ids: projectRows.map((row) => `cordis:${row.id}`) },
        ),
      ).toBe(projectRows.length);
    });

    it("the conversion changed only the pipeline's spelling: booleans and .0 floats, nothing else", () => {
      const kept = new Set(projectRows.map((row) => row.id));
      const raw = rawParticipants.filter((row) => kept.has(row.projectID!));
      expect(organizationRows).toHaveLength(raw.length);
      const key = (row: Record<string, string>) =>
        `${row.projectID}/${row.organisationID}/${row.role}/${row.order}`;
      const converted = new Map(organizationRows.map((row) => [key(row), row]));
      for (const row of raw) {
        const out = converted.get(key(row))!;
        expect(out, key(row)).toBeDefined();
        for (const column of ["SME", "endOfParticipation"])
          expect(out[column]).toBe(row[column]!.toLowerCase());
        for (const column of ["ecContribution", "netEcContribution", "totalCost"])
          expect(cents(out[column]!), `${key(row)} ${column}`).toBe(cents(row[column]!));
        for (const column of ["name", "country", "activityType", "vatNumber", "city"])
          expect(out[column]).toBe(row[column]);
      }
      // No pipeline spelling is left for the importer to meet.
      expect(organizationRows.some((row) => /True|False/.test(row.SME! + row.endOfParticipation!))).toBe(
        false,
      );
      expect(organizationRows.some((row) => /\.0$/.test(row.ecContribution! + row.netEcContribution!))).toBe(
        false,
      );
    });

    it("every H2020 participation of the file is in the graph with its CORDIS amounts, under programme:h2020", async () => {
      const { records } = await driver.executeQuery(
        `MATCH (o:Organisation)-[r:PARTICIPATES_IN]->(p:Project)-[:SOURCED_FROM]->(:Source {id: 'source:cordis-h2020-projects'})
         WHERE o.cordisId IS NOT NULL
         RETURN p.id AS project, o.cordisId AS org, r.role AS role, r.order AS order, r.contribution AS contribution`,
      );
      expect(records).toHaveLength(organizationRows.length);
      const graph = new Map(
        records.map((r) => [
          `${r.get("project")}/${r.get("org")}/${Number(r.get("order"))}`,
          r.get("contribution"),
        ]),
      );
      for (const row of organizationRows) {
        const contribution = graph.get(`cordis:${row.projectID}/${row.organisationID}/${Number(row.order)}`);
        expect(Math.round((contribution as number) * 100)).toBe(cents(row.ecContribution!));
      }
    });

    it("projects are written only where a source gives the title; each project cell names its source", async () => {
      const titled = new Set(projectRows.map((row) => row.id));
      const untitled = [...new Set(rawParticipants.map((row) => row.projectID!))].filter(
        (id) => !titled.has(id),
      );
      expect(untitled.length).toBeGreaterThan(0);
      expect(
        await count(driver, "MATCH (p:Project) WHERE p.id IN $ids RETURN count(p)", {
          ids: untitled.map((id) => `cordis:${id}`),
        }),
      ).toBe(0);
      const readme = readFileSync(path.join(seedDir, "README.md"), "utf8");
      for (const id of untitled) expect(readme, `seed/README.md lists ${id} as a gap`).toContain(id);
      for (const row of projectRows) {
        for (const [column, value] of Object.entries(row)) {
          if (!value) continue;
          expect(
            provenanceRows.some((p) => p.projectID === row.id && p.column === column && p.value === value),
            `${row.id}.${column}`,
          ).toBe(true);
        }
      }
      // The family file's titles are the graph's titles.
      const data = await query<{ projects: { id: string; title: string }[] }>(
        `query($ids: [ID!]!) { projects(where: { id: { in: $ids } }, limit: 500) { id title } }`,
        { ids: rawFamily.filter((row) => row.title).map((row) => `cordis:${row.grantId}`) },
      );
      expect(Object.fromEntries(data.projects.map((p) => [p.id, p.title]))).toEqual(
        Object.fromEntries(
          rawFamily.filter((row) => row.title).map((row) => [`cordis:${row.grantId}`, row.title]),
        ),
      );
    });
  });

  describe("17.2: the ICPerMed family", () => {
    it("the family CSAs named by the issue carry their grant ids", async () => {
      const grants = ["824997", "825046", "825173", "874556", "874694", "874825", "964333", "825843"];
      const data = await query<{ coordinationActions: { id: string; grantId: string }[] }>(
        `query($ids: [ID!]!) { coordinationActions(where: { id: { in: $ids } }) { id grantId } }`,
        { ids: grants.map((g) => `cordis:${g}`) },
      );
      expect(data.coordinationActions.map((a) => [a.id, a.grantId]).sort()).toEqual(
        grants.map((g) => [`cordis:${g}`, g]).sort(),
      );
    });

    it("each family CSA has as many partners as the named-partners file names for it (curated CSAs)", async () => {
      const rows = readCordisCsv(path.join(seedDir, "extracts", "icpermed_family_partners_named.csv"), ",");
      const byGrant = new Map<string, Set<string>>();
      for (const row of rows)
        byGrant.set(
          row.grantId!,
          (byGrant.get(row.grantId!) ?? new Set()).add(row.organisationAsNamed!.toLowerCase()),
        );
      const data = await query<{
        coordinationActions: { grantId: string; partnersConnection: { totalCount: number } }[];
      }>(
        `query($ids: [ID!]!) { coordinationActions(where: { id: { in: $ids } }) { grantId partnersConnection { totalCount } } }`,
        { ids: [...byGrant.keys()].map((g) => `cordis:${g}`) },
      );
      expect(
        Object.fromEntries(data.coordinationActions.map((a) => [a.grantId, a.partnersConnection.totalCount])),
      ).toEqual(Object.fromEntries([...byGrant].map(([grant, names]) => [grant, names.size])));
    });

    it("the H2020 topic SC1-HCO-01-2018-2019-2020 holds its projects, all supporting ICPerMed", async () => {
      const topic = "SC1-HCO-01-2018-2019-2020";
      const expected = rawTopics
        .filter((row) => row.topic === topic)
        .map((row) => `cordis:${row.projectID}`)
        .sort();
      expect(
        topicRows
          .filter((row) => row.topic === topic)
          .map((row) => `cordis:${row.projectID}`)
          .sort(),
      ).toEqual(expected);
      const { records } = await driver.executeQuery(
        "MATCH (p:Project)-[:ADDRESSES]->(:Topic {id: $topic}) OPTIONAL MATCH (p)-[:SUPPORTS]->(c:Consortium {id: 'consortium:icpermed'}) RETURN p.id AS id, c IS NOT NULL AS supports ORDER BY id",
        { topic: `topic:${topic}` },
      );
      expect(records.map((r) => r.get("id"))).toEqual(expected);
      expect(records.every((r) => r.get("supports"))).toBe(true);
    });
  });

  describe("17.3: membership with evidence and the stated size", () => {
    const memberships = yamlRecords("funders").flatMap((funder) =>
      ((funder.memberOf as Record<string, string>[] | undefined) ?? []).map(
        (m): Record<string, string> => ({ funder: funder.id as string, ...m }),
      ),
    );

    it("every MEMBER_OF to ICPerMed carries its evidence, the date seen and a source the funder cites", async () => {
      const expected = memberships.filter((m) => m.consortium === "consortium:icpermed");
      expect(expected.length).toBeGreaterThan(0);
      const { records } = await driver.executeQuery(
        `MATCH (f:Funder)-[r:MEMBER_OF]->(:Consortium {id: 'consortium:icpermed'})
         OPTIONAL MATCH (f)-[:SOURCED_FROM]->(s:Source {id: r.evidenceSource})
         RETURN f.id AS funder, r.evidence AS evidence, r.asOf AS asOf, s IS NOT NULL AS cited ORDER BY funder`,
      );
      expect(records.map((r) => r.get("funder"))).toEqual(expected.map((m) => m.funder).sort());
      for (const record of records) {
        const m = expected.find((e) => e.funder === record.get("funder"))!;
        expect(record.get("evidence")).toBe(m.evidence);
        expect(record.get("asOf")).toBe(String(m.asOf));
        expect(record.get("cited"), m.funder).toBe(true);
      }
    });

    it("ICPerMed states its size as data, so answers can compare the graph with it", async () => {
      const icpermed = yamlRecords("consortia").find((c) => c.id === "consortium:icpermed")!;
      const newest = yamlRecords("statedFacts")
        .filter(
          (f) => (f.subject as string[]).includes("consortium:icpermed") && f.attribute === "memberCount",
        )
        .sort((a, b) => String(b.asOf).localeCompare(String(a.asOf)))[0]!;
      const data = await query<{
        consortia: {
          statedMemberCount: number;
          statedMemberCountQualifier: string;
          statedSizeStatement: string;
          statedSizeSource: string;
          membersConnection: { totalCount: number };
          statedFacts: { attribute: string; value: number | null; sources: { id: string }[] }[];
        }[];
      }>(`{
        consortia(where: { id: { eq: "consortium:icpermed" } }) {
          statedMemberCount statedMemberCountQualifier statedSizeStatement statedSizeSource
          membersConnection { totalCount }
          statedFacts(where: { attribute: { eq: "memberCount" } }) { attribute value sources { id } }
        }
      }`);
      const consortium = data.consortia[0]!;
      expect(consortium.statedMemberCount).toBe(icpermed.statedMemberCount);
      expect(consortium.statedMemberCount).toBe(newest.value);
      expect(consortium.statedSizeStatement).toBe(newest.statement);
      expect(consortium.statedSizeSource).toBe((newest.sources as string[])[0]);
      expect(consortium.statedMemberCountQualifier).toBe("OVER");
      expect(consortium.statedFacts.every((f) => f.sources.length > 0)).toBe(true);
      // The graph names fewer members than the consortium says it has: the caveat issue 18 shows.
      expect(consortium.membersConnection.totalCount).toBe(
        memberships.filter((m) => m.consortium === "consortium:icpermed").length,
      );
      expect(consortium.membersConnection.totalCount).toBeLessThan(consortium.statedMemberCount);
    });
  });

  describe("17.4: calls, their figures and funders", () => {
    it("the EP PerMed calls exist with every figure the seed states, each with its source", async () => {
      const facts = yamlRecords("statedFacts");
      for (const call of ["programme:ep-permed-jtc2024", "programme:ep-permed-jtc2025"]) {
        const expected = facts
          .filter((f) => (f.subject as string[]).includes(call))
          .map((f) => ({
            attribute: f.attribute,
            value: f.value ?? null,
            source: (f.sources as string[])[0],
          }));
        expect(expected.length).toBeGreaterThan(0);
        const data = await query<{
          programmes: {
            runBy: { id: string }[];
            statedFacts: { attribute: string; value: number | null; sources: { id: string }[] }[];
          }[];
        }>(
          `query($id: ID!) { programmes(where: { id: { eq: $id } }) {
            runBy { id } statedFacts(limit: 500) { attribute value sources { id } } } }`,
          { id: call },
        );
        const programme = data.programmes[0]!;
        expect(programme.runBy.map((c) => c.id)).toEqual(["consortium:ep-permed"]);
        const key = (f: { attribute: unknown; value: unknown; source: unknown }) =>
          `${f.attribute}|${f.value}|${f.source}`;
        expect(
          programme.statedFacts
            .map((f) => key({ attribute: f.attribute, value: f.value, source: f.sources[0]!.id }))
            .sort(),
        ).toEqual(expected.map(key).sort());
      }
    });

    it("where call sources disagree, both values stay, each with its own source", async () => {
      const facts = yamlRecords("statedFacts").filter((f) => typeof f.value === "number");
      const groups = new Map<string, Set<number>>();
      for (const f of facts) {
        const k = `${(f.subject as string[])[0]}|${f.attribute}`;
        groups.set(k, (groups.get(k) ?? new Set()).add(f.value as number));
      }
      const disagreements = [...groups].filter(([, values]) => values.size > 1);
      expect(disagreements.length).toBeGreaterThan(0);
      for (const [k, values] of disagreements) {
        const [subject, attribute] = k.split("|");
        const { records } = await driver.executeQuery(
          "MATCH (f:StatedFact {attribute: $attribute})-[:ABOUT]->({id: $subject}), (f)-[:SOURCED_FROM]->(s:Source) RETURN f.value AS value, collect(s.id) AS sources",
          { subject, attribute },
        );
        expect(new Set(records.map((r) => r.get("value"))), k).toEqual(values);
        expect(records.every((r) => (r.get("sources") as string[]).length > 0)).toBe(true);
      }
    });

    it("funded projects a source pins down hang under their call", async () => {
      for (const project of yamlRecords("projects")) {
        const data = await query<{
          projects: { title: string; grantReference: string | null; programmes: { id: string }[] }[];
        }>(
          `query($id: ID!) { projects(where: { id: { eq: $id } }) { title grantReference programmes { id } } }`,
          { id: project.id },
        );
        expect(data.projects[0]!.title).toBe(project.title);
        expect(data.projects[0]!.grantReference).toBe(project.grantReference ?? null);
        expect(data.projects[0]!.programmes.map((p) => p.id)).toEqual(project.fundedUnder);
      }
    });
  });

  it("17.5: each Recognition edition 2018-2021 has its stated facts", async () => {
    const editions = new Set(
      yamlRecords("statedFacts")
        .map((f) => f.context as string | undefined)
        .filter((c): c is string => !!c && /Award|Recognition/.test(c)),
    );
    const years = [...editions].map((c) => Number(/\d{4}/.exec(c)![0])).sort();
    expect(years).toEqual([2018, 2019, 2020, 2021]);
    // Through the API, the union of a fact's subject resolves to the consortium.
    const data = await query<{ statedFacts: { subject: { __typename: string; id: string }[] }[] }>(
      `query($contexts: [String!]!) { statedFacts(where: { context: { in: $contexts } }, limit: 500) {
        subject { __typename ... on Consortium { id } } } }`,
      { contexts: [...editions] },
    );
    expect(data.statedFacts.length).toBeGreaterThan(0);
    expect(new Set(data.statedFacts.flatMap((f) => f.subject.map((s) => `${s.__typename}:${s.id}`)))).toEqual(
      new Set(["Consortium:consortium:icpermed"]),
    );
    for (const context of editions) {
      expect(
        await count(
          driver,
          "MATCH (f:StatedFact {context: $context})-[:ABOUT]->(:Consortium {id: 'consortium:icpermed'}) RETURN count(f)",
          { context },
        ),
      ).toBe(yamlRecords("statedFacts").filter((f) => f.context === context).length);
    }
  });

  it("every record has a source", async () => {
    // Import runs (issue 16) are records of the loading itself: their files and sha256 are their provenance.
    expect(
      await count(
        driver,
        "MATCH (n:Entity) WHERE NOT n:Source AND NOT n:ImportRun AND NOT n:ImportFile AND NOT (n)-[:SOURCED_FROM]->(:Source) RETURN count(n)",
      ),
    ).toBe(0);
  });

  describe("17.6: Norway's view of H2020 (NRC) beside CORDIS", () => {
    // Pairs of one participation that both files list: the same grant and participant number.
    const pairs = rawNrc.flatMap((nrc) => {
      const cordis = organizationRows.find(
        (row) => row.projectID === nrc.Prosjektnr && Number(row.order) === Number(nrc.Deltakernr),
      );
      if (!cordis) return [];
      const nrcCents = Math.round(Number(nrc["Innvilget beløp organisasjon EUR"]) * 100);
      return [
        {
          project: nrc.Prosjektnr!,
          order: Number(nrc.Deltakernr),
          cordis,
          nrcCents,
          cordisCents: cents(cordis.ecContribution!),
        },
      ];
    });

    it("the files share at least one participation with an amount", () => {
      expect(pairs.length).toBeGreaterThan(0);
      for (const pair of pairs) expect(pair.cordis.country).toBe("NO");
    });

    for (const pair of pairs) {
      const difference = pair.nrcCents - pair.cordisCents;
      it(`grant ${pair.project}, participant ${pair.order}: ${difference === 0 ? "CORDIS and NRC agree to the cent" : `NRC differs from CORDIS by ${difference / 100} EUR`}`, async () => {
        const { records } = await driver.executeQuery(
          "MATCH (o:Organisation {cordisId: $org})-[r:PARTICIPATES_IN]->(:Project {id: $project}) RETURN r.contribution AS contribution",
          { org: pair.cordis.organisationID, project: `cordis:${pair.project}` },
        );
        // The graph keeps CORDIS's figure; the NRC figure is compared, not loaded twice.
        expect(records.map((r) => Math.round((r.get("contribution") as number) * 100))).toEqual([
          pair.cordisCents,
        ]);
        expect(pair.nrcCents - Math.round((records[0]!.get("contribution") as number) * 100)).toBe(
          difference,
        );
      });
    }

    it("where only the NRC gives the participation (ERA PerMed 779282), the graph has it with the NRC's amount", async () => {
      const onlyNrc = rawNrc.filter(
        (nrc) =>
          nrc.Prosjektnr === "779282" && !organizationRows.some((row) => row.projectID === nrc.Prosjektnr),
      );
      expect(onlyNrc.length).toBeGreaterThan(0);
      const { records } = await driver.executeQuery(
        "MATCH (o:Organisation)-[r:PARTICIPATES_IN]->(:Project {id: 'cordis:779282'})-[:SOURCED_FROM]->(:Source {id: 'source:nrc-eu-grants'}) WHERE r.contribution IS NOT NULL RETURN o.name AS name, r.contribution AS contribution, r.order AS order",
      );
      expect(records.map((r) => [r.get("name"), r.get("contribution"), Number(r.get("order"))])).toEqual(
        onlyNrc.map((nrc) => [
          nrc.Organisasjonsnavn,
          Number(nrc["Innvilget beløp organisasjon EUR"]),
          Number(nrc.Deltakernr),
        ]),
      );
    });
  });
});

describe("issue 17: the new seed fields refuse bad values with file:line: field", () => {
  const countries = readCountryReference(path.join(seedDir, "reference"));
  /** Copies the curated files, replaces `find` in `file`, and returns readSeed's problems. */
  const problemsAfter = (file: string, find: string, replacement: string) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "atlas-seed-17-"));
    try {
      for (const name of readdirSync(seedDir).filter((n) => n.endsWith(".yaml")))
        cpSync(path.join(seedDir, name), path.join(dir, name));
      const text = readFileSync(path.join(dir, file), "utf8");
      expect(text.includes(find), find).toBe(true);
      writeFileSync(path.join(dir, file), text.replace(find, replacement));
      const line = text.slice(0, text.indexOf(find)).split("\n").length;
      try {
        readSeed({ seedDir: dir, countries, externalIds: new Map(), displayRoot: dir });
      } catch (error) {
        expect(error).toBeInstanceOf(InputValidationError);
        return { line, problems: (error as InputValidationError).problems };
      }
      throw new Error("readSeed accepted a broken seed");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("a membership's evidenceSource that the funder does not cite", () => {
    const { problems } = problemsAfter(
      "icpermed-sources-2.yaml",
      "evidenceSource: source:icpermed-news-executive-committee-lisbon",
      "evidenceSource: source:nrc-eu-grants",
    );
    expect(problems).toEqual([
      expect.objectContaining({
        file: "icpermed-sources-2.yaml",
        field: expect.stringMatching(/^funders\[0\]\.memberOf$/),
        reason: "source:nrc-eu-grants must also be in sources",
      }),
    ]);
  });

  it("a stated size whose source the consortium does not cite, and an unknown qualifier", () => {
    const { problems } = problemsAfter(
      "icpermed.yaml",
      "statedSizeSource: source:cordis-964197-periodic-report-2",
      "statedSizeSource: source:nrc-eu-grants",
    );
    // First the field; the records that point at the refused consortium follow as unknown ids.
    expect(problems[0]).toEqual(
      expect.objectContaining({
        file: "icpermed.yaml",
        field: "consortia[0].statedSizeSource",
        reason: "source:nrc-eu-grants must also be in sources",
      }),
    );
    const qualifier = problemsAfter(
      "icpermed.yaml",
      "statedMemberCountQualifier: OVER",
      "statedMemberCountQualifier: MORE",
    );
    expect(qualifier.problems[0]).toEqual(
      expect.objectContaining({
        file: "icpermed.yaml",
        line: qualifier.line,
        field: "consortia[0].statedMemberCountQualifier",
      }),
    );
  });

  it("a stated fact about something that is not a consortium, call or coordination action", () => {
    const { line, problems } = problemsAfter(
      "icpermed-sources-2.yaml",
      "    subject: [consortium:icpermed]\n    sources: [source:kooperation-international-icpermed-launch]",
      "    subject: [programme:nowhere]\n    sources: [source:kooperation-international-icpermed-launch]",
    );
    expect(problems).toEqual([
      expect.objectContaining({
        file: "icpermed-sources-2.yaml",
        line,
        reason: "unknown id programme:nowhere",
      }),
    ]);
  });
});
