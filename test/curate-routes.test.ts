import { createHash } from "node:crypto";
import ExcelJS from "exceljs";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { loadSeed } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { fillTemplate, permedRows, TEMPLATE_SHEET_NAMES } from "./fixtures/curate/permed-workbook.js";
import {
  clearDatabase,
  count,
  graphFingerprint,
  TEST_DATABASE,
  testConfig,
  testDriver,
} from "./helpers/database.js";
import { adminToken, expectData, postGraphQL } from "./helpers/graphql.js";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const log = createLogger("silent");

interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown> & {
    errors?: { message: string; extensions: { code: string; problems?: string[] } }[];
  };
  bytes: Buffer;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const bytes = Buffer.from(await response.arrayBuffer());
  let json: Answer["json"] = {};
  if ((response.headers.get("content-type") ?? "").includes("json"))
    json = JSON.parse(bytes.toString("utf8"));
  return { status: response.status, headers: response.headers, json, bytes };
}

const bearer = (token: string | undefined): Record<string, string> =>
  token ? { authorization: `Bearer ${token}` } : {};

const post = (
  base: string,
  action: "check" | "load",
  body: Buffer,
  token: string | undefined,
  options: { name?: string; type?: string } = {},
) =>
  call(`${base}/admin/curate/${action}${options.name ? `?name=${encodeURIComponent(options.name)}` : ""}`, {
    method: "POST",
    headers: { "content-type": options.type ?? XLSX, ...bearer(token) },
    body: new Uint8Array(body),
  });

const runs = (driver: Driver) => count(driver, "MATCH (r:ImportRun) RETURN count(r)");
const version = (driver: Driver) => count(driver, "MATCH (v:DataVersion) RETURN coalesce(max(v.version), 0)");

/** The one error shape with exactly this status and code, and nothing else in the answer. */
function expectRefusal(answer: Answer, status: number, code: string) {
  expect(answer.status).toBe(status);
  expect(Object.keys(answer.json)).toEqual(["errors"]);
  expect(answer.json.errors).toHaveLength(1);
  expect(answer.json.errors![0]!.extensions.code).toBe(code);
}

describe("the curation routes of the admin page, on the real seed", () => {
  let driver: Driver;
  let open: RunningAtlas;
  let closed: RunningAtlas;
  let good: Buffer;
  let bad: Buffer;

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await loadSeed(driver, TEST_DATABASE, log);
    open = await startAtlas(testConfig({ readsRequireToken: false }), log);
    closed = await startAtlas(testConfig({ readsRequireToken: true }), log);
    good = await fillTemplate(permedRows());
    const rows = permedRows();
    // By hand: the first membership row (Memberships!B2) names its country instead of its code.
    rows.Memberships![0]!.country = "Spain";
    bad = await fillTemplate(rows);
  }, 300_000);
  afterAll(async () => {
    await open?.stop();
    await closed?.stop();
    await driver?.close();
  });

  it.each([
    ["reads open", false],
    ["reads need a token", true],
  ])(
    "%s: without a token 401, with a reader's token 403, a broken token 401; nothing is written",
    async (_mode, closedMode) => {
      const base = (closedMode ? closed : open).http.url;
      const before = await graphFingerprint(driver);
      const runsBefore = await runs(driver);
      const reader = await adminToken({ roles: [] });
      const editor = await adminToken({ roles: ["editor", "Admin"] });
      const expired = await adminToken({ expiresIn: "-1m" });
      for (const [token, status, code] of [
        [undefined, 401, "UNAUTHENTICATED"],
        [reader, 403, "FORBIDDEN"],
        [editor, 403, "FORBIDDEN"],
        [expired, 401, "UNAUTHENTICATED"],
      ] as const) {
        expectRefusal(
          await call(`${base}/admin/curate/template.xlsx`, { headers: bearer(token) }),
          status,
          code,
        );
        expectRefusal(await post(base, "check", good, token), status, code);
        expectRefusal(await post(base, "load", good, token), status, code);
      }
      expect(await graphFingerprint(driver)).toEqual(before);
      expect(await runs(driver)).toBe(runsBefore);
    },
  );

  it("an admin downloads the template: an .xlsx attachment with the sheets the docs list", async () => {
    const answer = await call(`${closed.http.url}/admin/curate/template.xlsx`, {
      headers: bearer(await adminToken()),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe(XLSX);
    expect(answer.headers.get("content-disposition")).toBe("attachment; filename=curation-template.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(answer.bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(TEMPLATE_SHEET_NAMES);
  });

  it("a bad workbook: the check lists the problem with its place, the load is refused, nothing changes", async () => {
    const base = open.http.url;
    const token = await adminToken();
    const before = await graphFingerprint(driver);
    const runsBefore = await runs(driver);
    const versionBefore = await version(driver);

    const check = await post(base, "check", bad, token, { name: "permed.xlsx" });
    expect(check.status).toBe(200);
    expect(check.json.status).toBe("REFUSED");
    const problems = check.json.problems as string[];
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Memberships!B2: country: "Spain" .*\bES\b/);
    expect(check.json.changes).toEqual([]);

    const load = await post(base, "load", bad, token, { name: "permed.xlsx" });
    expectRefusal(load, 400, "BAD_USER_INPUT");
    expect(load.json.errors![0]!.message).toBe("1 problem(s) in the workbook; nothing was written.");
    expect(load.json.errors![0]!.extensions.problems).toEqual(problems);

    // Not a workbook at all: a report with the file's problem; its load is refused the same way.
    const text = Buffer.from("name,country\nISCIII,ES\n");
    const notWorkbook = await post(base, "check", text, token, { name: "members.xlsx" });
    expect(notWorkbook.json.status).toBe("REFUSED");
    expect((notWorkbook.json.problems as string[])[0]).toMatch(/^members\.xlsx: /);
    expectRefusal(await post(base, "load", text, token), 400, "BAD_USER_INPUT");

    // No body, another content type, a body over the 20 MB file limit, a name with a control character.
    expectRefusal(await post(base, "load", Buffer.alloc(0), token), 400, "BAD_REQUEST");
    expectRefusal(await post(base, "load", good, token, { type: "text/csv" }), 400, "BAD_REQUEST");
    const tooLarge = await post(base, "load", Buffer.alloc(20 * 1024 * 1024 + 1), token);
    expectRefusal(tooLarge, 413, "PAYLOAD_TOO_LARGE");
    expect(tooLarge.json.errors![0]!.message).toContain("20971520 bytes");
    const badName = await post(base, "load", good, token, { name: "a\u0007.xlsx" });
    expectRefusal(badName, 400, "BAD_USER_INPUT");

    expect(await graphFingerprint(driver)).toEqual(before);
    expect(await runs(driver)).toBe(runsBefore);
    expect(await version(driver)).toBe(versionBefore);
  });

  it("a good workbook: the check writes nothing; the load writes it once; a second load changes nothing", async () => {
    const base = closed.http.url;
    const token = await adminToken();
    const before = await graphFingerprint(driver);
    const runsBefore = await runs(driver);
    const versionBefore = await version(driver);

    const check = await post(base, "check", good, token, { name: "C:\\curators\\permed.xlsx" });
    expect(check.status).toBe(200);
    expect(check.json).toMatchObject({
      status: "CHECKED",
      problems: [],
      file: "permed.xlsx",
      sha256: createHash("sha256").update(good).digest("hex"),
      source: "source:workbook-permed-landscape",
    });
    const matched = Object.fromEntries(
      (check.json.matches as { sheet: string; cell: string; id: string }[]).map((m) => [
        `${m.sheet}!${m.cell}`,
        m.id,
      ]),
    );
    // By hand from the fixture: row 2 of Memberships is ISCIII, row 14 FRRB by its full name.
    expect(matched["Memberships!A2"]).toBe("funder:isciii");
    expect(matched["Memberships!A14"]).toBe("funder:frrb");
    const changes = check.json.changes as { change: string; record: string; sheet?: string; row?: number }[];
    // The Funders sheet declares FNR (row 2); row 13 of Memberships makes IT-MoH a member of ERA PerMed,
    // which the seed does not record.
    expect(changes).toContainEqual({ change: "ADDED", record: "funder:fnr", sheet: "Funders", row: 2 });
    expect(changes).toContainEqual({
      change: "ADDED",
      record: "MEMBER_OF funder:italian-ministry-of-health -> consortium:era-permed",
      sheet: "Memberships",
      row: 13,
    });
    expect(changes.filter((c) => c.change !== "ADDED")).toEqual([]);
    // Rows 2 (ISCIII) to 12 list the seed's ERA PerMed partners: recorded by the seed, left as they are.
    const recorded = (check.json.alreadyRecorded as { sheet: string; row: number; record: string }[]).filter(
      (r) => r.record === "MEMBER_OF funder:isciii -> consortium:era-permed",
    );
    expect(recorded).toEqual([
      { sheet: "Memberships", row: 2, record: "MEMBER_OF funder:isciii -> consortium:era-permed" },
    ]);
    expect(await graphFingerprint(driver)).toEqual(before);

    const load = await post(base, "load", good, token, { name: "permed.xlsx" });
    expect(load.status).toBe(200);
    expect(load.json.status).toBe("LOADED");
    expect(load.json.importRun).toEqual(expect.any(String));
    expect(load.json.changes).toEqual(changes);
    expect(await runs(driver)).toBe(runsBefore + 1);
    expect(await version(driver)).toBe(versionBefore + 1);

    // What the API now serves: the new funder, its country and its source, by the fixture's row.
    const { funders } = expectData(
      await postGraphQL<{
        funders: { name: string; acronym: string; country: { id: string }[]; sources: { id: string }[] }[];
      }>(
        base,
        `{ funders(where: { id: { eq: "funder:fnr" } }) { name acronym country { id } sources { id } } }`,
        undefined,
        bearer(token),
      ),
    );
    expect(funders).toEqual([
      {
        name: "Fonds National de la Recherche Luxembourg",
        acronym: "FNR",
        country: [{ id: "country:LU" }],
        sources: [{ id: "source:workbook-permed-landscape" }],
      },
    ]);
    const [source] = (
      await driver.executeQuery(
        "MATCH (s:Source {id: 'source:workbook-permed-landscape'}) RETURN s.fileName AS file, s.curator AS curator",
        {},
        { database: TEST_DATABASE },
      )
    ).records.map((r) => r.toObject());
    expect(source).toEqual({ file: "permed.xlsx", curator: "Test Curator" });

    const after = await graphFingerprint(driver);
    const again = await post(base, "load", good, token, { name: "permed.xlsx" });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ status: "UNCHANGED", changes: [] });
    expect(again.json.importRun).toBeUndefined();
    expect(await graphFingerprint(driver)).toEqual(after);
    expect(await runs(driver)).toBe(runsBefore + 1);
    expect(await version(driver)).toBe(versionBefore + 1);
    const recheck = await post(base, "check", good, token, { name: "permed.xlsx" });
    expect(recheck.json).toMatchObject({ status: "CHECKED", changes: [] });
  });
});
