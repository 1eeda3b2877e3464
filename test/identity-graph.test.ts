import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { defaultSeedDir, loadSeed } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { clearDatabase, TEST_DATABASE, testConfig, testDriver } from "./helpers/database.js";
import { expectData, postGraphQL } from "./helpers/graphql.js";

/**
 * One body, one identity, on the real seed (its loader, its CORDIS files, the ROR subset it ships):
 * the nodes of the Research Council of Norway, ISCIII and FNRS resolve to one body each, a lookup by
 * a ROR or FundRef id finds them, and the per-funder rollups count each body once. The expected ROR
 * records are found in the raw ROR file by their names here, not by the matcher.
 */
type RawRor = {
  id: string;
  names: { value: string }[];
  country: { code: string } | null;
  external_ids: { type: string; all: string[] }[];
};
const rorFile = path.join(defaultSeedDir(), "reference", "ror", "ror-subset.jsonl.gz");
const records: RawRor[] = gunzipSync(readFileSync(rorFile))
  .toString("utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line) as RawRor);
const recordNamed = (name: string, country: string) => {
  const found = records.filter((r) => r.country?.code === country && r.names.some((n) => n.value === name));
  expect(found, name).toHaveLength(1);
  return found[0]!;
};
const seedYaml = () =>
  ["icpermed.yaml", "icpermed-sources-2.yaml"].map(
    (file) => parseYaml(readFileSync(path.join(defaultSeedDir(), file), "utf8")) as Record<string, unknown>,
  );
/** Project ids in which the seed's YAML makes `organisation` a partner (coordination actions, projects). */
const curatedPartnerships = (organisation: string) =>
  seedYaml().flatMap((file) =>
    (["coordinationActions", "projects"] as const).flatMap((collection) =>
      ((file[collection] ?? []) as { id: string; partners?: { organisation: string }[] }[])
        .filter((record) => (record.partners ?? []).some((p) => p.organisation === organisation))
        .map((record) => record.id),
    ),
  );
/** Project ids in which CORDIS organisation `pic` takes part, from both organization.csv files. */
const cordisParticipations = (pic: string) =>
  ["horizon", "h2020"].flatMap((programme) =>
    readFileSync(path.join(defaultSeedDir(), "cordis", programme, "organization.csv"), "utf8")
      .split("\n")
      .filter((line) => line.split(";")[2] === `"${pic}"`)
      .map((line) => `cordis:${line.split(";")[0]!.replaceAll('"', "")}`),
  );
/** Whether the seed's YAML has `funder` fund a programme together with another funder. */
const fundedByWithOthers = (funder: string) =>
  ["icpermed.yaml", "icpermed-sources-2.yaml"]
    .flatMap(
      (file) =>
        ((parseYaml(readFileSync(path.join(defaultSeedDir(), file), "utf8")) as Record<string, unknown>)
          .programmes ?? []) as { fundedBy?: { funder: string }[] }[],
    )
    .some((programme) => {
      const funders = (programme.fundedBy ?? []).map((f) => f.funder);
      return funders.includes(funder) && funders.length > 1;
    });
const idsOf = (record: RawRor, type: string) => record.external_ids.find((e) => e.type === type)?.all ?? [];

describe("one body, one identity, on the real seed", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  const ask = <T>(query: string, variables: Record<string, unknown> = {}) =>
    postGraphQL<T>(atlas.http.url, query, variables).then(expectData);

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

  it("gives the CORDIS and curated nodes of a body its ROR record and that record's external ids", async () => {
    const cases = [
      {
        record: recordNamed("The Research Council of Norway", "NO"),
        // CORDIS organisation 999460453 (NORGES FORSKNINGSRAD), the curated organisation and funder.
        organisations: ["org:999460453", "org:norges-forskningsrad"],
        funders: ["funder:norges-forskningsrad"],
      },
      {
        record: recordNamed("Instituto de Salud Carlos III", "ES"),
        organisations: ["org:999507886", "org:isciii"],
        funders: ["funder:isciii"],
      },
    ];
    for (const { record, organisations, funders } of cases) {
      const data = await ask<{
        organisations: {
          id: string;
          rorId: string;
          fundrefIds: string[];
          wikidataIds: string[];
          identityMethod: string;
          identityEvidence: string;
        }[];
        funders: { id: string; rorId: string; fundrefIds: string[] }[];
      }>(
        `query I($orgs: [ID!]!, $funders: [ID!]!) {
          organisations(where: { id: { in: $orgs } }) { id rorId fundrefIds wikidataIds identityMethod identityEvidence }
          funders(where: { id: { in: $funders } }) { id rorId fundrefIds }
        }`,
        { orgs: organisations, funders },
      );
      expect(data.organisations.map((o) => o.id).sort()).toEqual([...organisations].sort());
      for (const body of [...data.organisations, ...data.funders]) {
        expect(body.rorId, body.id).toBe(record.id);
        expect(body.fundrefIds ?? [], body.id).toEqual(idsOf(record, "fundref"));
      }
      for (const organisation of data.organisations) {
        expect(organisation.wikidataIds ?? []).toEqual(idsOf(record, "wikidata"));
        expect(organisation.identityMethod).toMatch(/^[A-Z_]+$/);
        expect(organisation.identityEvidence.length).toBeGreaterThan(10);
      }
      // A lookup by the ROR id or by a FundRef id finds every node of the body.
      const byRor = await ask<{ organisations: { id: string }[]; funders: { id: string }[] }>(
        `query R($ror: String!) { organisations(where: { rorId: { eq: $ror } }) { id } funders(where: { rorId: { eq: $ror } }) { id } }`,
        { ror: record.id },
      );
      expect(byRor.organisations.map((o) => o.id).sort()).toEqual([...organisations].sort());
      expect(byRor.funders.map((f) => f.id)).toEqual(funders);
      const fundref = idsOf(record, "fundref")[0];
      if (fundref) {
        const byFundref = await ask<{ funders: { id: string }[] }>(
          `query F($id: String!) { funders(where: { fundrefIds: { includes: $id } }) { id } }`,
          { id: fundref },
        );
        expect(byFundref.funders.map((f) => f.id)).toEqual(funders);
      }
    }
  });

  it("counts an organisation body once in the organisation network: ISCIII's CORDIS and curated records are one node", async () => {
    const { networkMetrics, collaborationNetwork } = await ask<{
      networkMetrics: { key: string }[];
      collaborationNetwork: { nodes: { key: string; weight: number }[] };
    }>(
      `{ networkMetrics(level: ORGANISATION) { key } collaborationNetwork(level: ORGANISATION, limit: 5000) { nodes { key weight } } }`,
    );
    const curated = curatedPartnerships("org:isciii");
    expect(curated.length).toBeGreaterThan(0);
    const projects = new Set([...cordisParticipations("999507886"), ...curated]);
    expect(projects.size).toBeGreaterThan(curated.length);
    expect(networkMetrics.map((n) => n.key)).not.toContain("org:isciii");
    expect(collaborationNetwork.nodes.find((n) => n.key === "org:999507886")?.weight).toBe(projects.size);
  });

  it("never applies a weak match: 'RCN' without a country is only proposed, and linked by the curator's evidence", async () => {
    const { records: rows } = await driver.executeQuery(
      `MATCH (f:Funder {id: 'funder:rcn'})
       OPTIONAL MATCH (f)-[s:SAME_AS]->(body:Funder)
       RETURN f.rorId AS rorId, f.proposedRorId AS proposed, collect({to: body.id, method: s.method, evidence: s.evidence}) AS links`,
      {},
      { database: TEST_DATABASE },
    );
    const row = rows[0]!.toObject();
    expect(row.rorId).toBeNull();
    expect(row.links).toEqual([
      expect.objectContaining({ to: "funder:norges-forskningsrad", method: "CURATED" }),
    ]);
    expect(row.links[0].evidence).toContain("Research Council of Norway");
  });

  it("counts a body once in the per-funder rollups: RCN and FNRS rows appear under one node each", async () => {
    const { fundingByFunder } = await ask<{
      fundingByFunder: { rows: { funderId: string; country: string | null }[] };
    }>(`{ fundingByFunder { rows { funderId country } } }`);
    const funderIds = fundingByFunder.rows.map((r) => r.funderId);
    for (const alias of ["funder:rcn", "funder:frs-fnrs"]) expect(funderIds).not.toContain(alias);
    const { fundingMatrix } = await ask<{ fundingMatrix: { rows: { key: string }[] } }>(
      `{ fundingMatrix(rows: FUNDER, columns: YEAR, measure: PROJECTS) { rows { key } } }`,
    );
    for (const alias of ["funder:rcn", "funder:frs-fnrs"])
      expect(fundingMatrix.rows.map((r) => r.key)).not.toContain(alias);
    // A programme funded by two nodes of one body is one funder in the funder network: no self-pair.
    const { collaborationNetwork } = await ask<{
      collaborationNetwork: { nodes: { key: string }[]; edges: { source: string; target: string }[] };
    }>(`{ collaborationNetwork(level: FUNDER, limit: 5000) { nodes { key } edges { source target } } }`);
    // Both aliases fund a call with other funders in the seed (EP PerMed JTC2025's fundedBy), so each
    // would be a node of its own; each is counted as its body instead.
    const keys = collaborationNetwork.nodes.map((n) => n.key);
    for (const [alias, body] of [
      ["funder:rcn", "funder:norges-forskningsrad"],
      ["funder:frs-fnrs", "funder:fnrs"],
    ] as const) {
      expect(fundedByWithOthers(alias), alias).toBe(true);
      expect(keys).not.toContain(alias);
      expect(keys).toContain(body);
    }
    // A filter on an alias finds the body's projects, and the same as a filter on its canonical node.
    const Q = `query M($f: [ID!]) { fundingMatrix(rows: FUNDER, columns: YEAR, measure: PROJECTS, filters: { funderIds: $f }) { rows { key total } } }`;
    const alias = await ask<{ fundingMatrix: { rows: { key: string; total: number }[] } }>(Q, {
      f: ["funder:frs-fnrs"],
    });
    const canonical = await ask<{ fundingMatrix: { rows: { key: string; total: number }[] } }>(Q, {
      f: ["funder:fnrs"],
    });
    expect(alias.fundingMatrix.rows).toEqual(canonical.fundingMatrix.rows);
  });

  it("`identify --ror <file>` mirrors another ROR file; a file that is not ROR is refused and changes nothing", async () => {
    const run = promisify(execFile);
    const { uri, password } = inject("neo4j");
    const cli = (...args: string[]) =>
      run(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
        env: { ...process.env, NEO4J_URI: uri, NEO4J_PASSWORD: password, LOG_LEVEL: "warn" },
      });
    const identities = async () =>
      (
        await driver.executeQuery(
          "MATCH (n) WHERE (n:Organisation OR n:Funder) AND n.rorId IS NOT NULL RETURN n.id AS id, n.rorId AS ror ORDER BY id",
          {},
          { database: TEST_DATABASE },
        )
      ).records.map((r) => `${r.get("id")} ${r.get("ror")}`);
    const before = await identities();
    const dir = mkdtempSync(path.join(os.tmpdir(), "atlas-ror-"));
    try {
      const bad = path.join(dir, "not-ror.jsonl");
      writeFileSync(bad, '{"name": "not a ROR record"}\n');
      const refused = await cli("identify", "--ror", bad).catch(
        (error: { code: number; stderr: string }) => error,
      );
      expect((refused as { code: number }).code).not.toBe(0);
      expect((refused as { stderr: string }).stderr).toContain(bad);
      expect(await identities()).toEqual(before);

      // A ROR file with ISCIII's record only: ISCIII's nodes keep it, every other identity goes.
      const isciii = gunzipSync(readFileSync(rorFile))
        .toString("utf8")
        .split("\n")
        .find((line) => line.includes('"https://ror.org/00ca2c886"'))!;
      const one = path.join(dir, "one.jsonl");
      writeFileSync(one, `${isciii}\n`);
      await cli("identify", "--ror", one);
      expect(await identities()).toEqual(
        before.filter((line) => line.endsWith(" https://ror.org/00ca2c886")),
      );
      await cli("identify");
      expect(await identities()).toEqual(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
