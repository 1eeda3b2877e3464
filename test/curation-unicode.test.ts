import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, schemaStatements } from "../src/db/schema-setup.js";
import { loadSeed } from "../src/import/seed/load-seed.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { type RunningAtlas, startAtlas } from "../src/startup.js";
import { createLogger } from "../src/util/logger.js";
import { fillTemplate, permedRows } from "./fixtures/curate/permed-workbook.js";
import {
  clearDatabase,
  graphFingerprint,
  TEST_DATABASE,
  testConfig,
  testDriver,
} from "./helpers/database.js";
import { adminToken } from "./helpers/graphql.js";

/**
 * Issue 32 (b) in an uploaded workbook: a cell can carry text that is no text through OOXML's `_xHHHH_`
 * escapes, which the reader decodes: a lone surrogate (`_xD800_`) or a noncharacter (`_xFFFF_`). Both
 * were accepted and written; now each is a problem naming its sheet and cell, and nothing is written.
 * Through the server's curation routes, on the real seed.
 */
describe("invalid Unicode in a curation workbook's cells, on the real seed", () => {
  let driver: Driver;
  let atlas: RunningAtlas;
  let token: string;

  beforeAll(async () => {
    driver = testDriver();
    await clearDatabase(driver);
    await applySchema(driver, TEST_DATABASE, schemaStatements(loadTypeDefs()));
    await loadSeed(driver, TEST_DATABASE, createLogger("silent"));
    // The check's transaction also waits for the worker that reads the workbook: on a loaded machine that
    // took more than the default 15 s (504), so this server allows two minutes.
    const config = testConfig();
    atlas = await startAtlas(
      { ...config, limits: { ...config.limits, queryTimeoutMs: 120_000 } },
      createLogger("silent"),
    );
    token = await adminToken();
  }, 300_000);
  afterAll(async () => {
    await atlas?.stop();
    await driver?.close();
  });

  const send = async (route: "check" | "load", bytes: Buffer) => {
    const response = await fetch(`${atlas.http.url}/admin/curate/${route}?name=unicode.xlsx`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" },
      body: bytes,
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  it("refuses a lone surrogate and U+FFFE/U+FFFF in cells, naming sheet and cell; the load writes nothing", async () => {
    const rows = permedRows();
    // Memberships: body (A), country (B), consortium (C), status (D), since (E), evidence (F), ...
    rows.Memberships![0]!.evidence = "listed_xD800_ among the funders";
    rows.Memberships![1]!.evidence = "listed _xDC00_";
    rows.Memberships![2]!.evidence = "listed_xFFFF_";
    rows.Funders![0]!.name = "Fonds National_xFFFE_";
    const bytes = await fillTemplate(rows);
    const before = await graphFingerprint(driver);
    const check = await send("check", bytes);
    expect(check.status).toBe(200);
    expect(check.json.status).toBe("REFUSED");
    expect(check.json.problems).toEqual(
      expect.arrayContaining([
        "Memberships!F2: evidence: holds invalid Unicode (a lone UTF-16 surrogate): remove it",
        "Memberships!F3: evidence: holds invalid Unicode (a lone UTF-16 surrogate): remove it",
        "Memberships!F4: evidence: holds a noncharacter (U+FFFF), which is no text: remove it",
        "Funders!B2: name: holds a noncharacter (U+FFFE), which is no text: remove it",
      ]),
    );
    const load = await send("load", bytes);
    expect(load.status).toBe(400);
    const error = (load.json.errors as { extensions: { code: string; problems: string[] } }[])[0]!;
    expect(error.extensions.code).toBe("BAD_USER_INPUT");
    expect(error.extensions.problems).toContain(
      "Memberships!F2: evidence: holds invalid Unicode (a lone UTF-16 surrogate): remove it",
    );
    expect(await graphFingerprint(driver)).toEqual(before);
  });
});
