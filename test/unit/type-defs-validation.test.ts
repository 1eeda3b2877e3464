import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildAtlasSchema, schemaDocuments } from "../../src/graphql/build-schema.js";
import { recordValid, validationDigest } from "../../src/graphql/type-defs-validation.js";
import { loadTypeDefs } from "../../src/model/type-defs.js";

const valid = loadTypeDefs();
// @neo4j/graphql's validation refuses the added type (its default page is over its maximum); the
// schema build without validation does not, so a build shows whether validation ran.
const refusedByValidation = `${valid}
type Movie @node @limit(default: 10, max: 5) {
  id: ID!
  title: String
}
`;

/** What a build threw, as text ("" when it succeeded): @neo4j/graphql throws an array of GraphQLErrors. */
async function refusal(build: Promise<unknown>): Promise<string> {
  try {
    await build;
    return "";
  } catch (error) {
    return error instanceof Error ? error.message : JSON.stringify(error);
  }
}

describe("type definitions are validated once per change", { timeout: 60_000 }, () => {
  const folders: string[] = [];
  const recordFile = () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), "atlas-validation-"));
    folders.push(folder);
    return path.join(folder, "dist", ".type-defs-validated");
  };
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it("validates definitions that are not recorded, and records only those that passed", async () => {
    const record = recordFile();
    expect(
      await refusal(buildAtlasSchema({ typeDefs: refusedByValidation, validationRecord: record })),
    ).toMatch(/@limit\.max invalid value/);
    expect(() => readFileSync(record)).toThrow();
    expect(await refusal(buildAtlasSchema({ typeDefs: valid, validationRecord: record }))).toBe("");
    expect(readFileSync(record, "utf8")).toBe(`${validationDigest(schemaDocuments(valid))}\n`);
  });

  it("a definition changed since the record is validated again", async () => {
    const record = recordFile();
    await buildAtlasSchema({ typeDefs: valid, validationRecord: record });
    expect(
      await refusal(buildAtlasSchema({ typeDefs: refusedByValidation, validationRecord: record })),
    ).toMatch(/@limit\.max invalid value/);
  });

  it("recorded definitions are not validated again", async () => {
    const record = recordFile();
    recordValid(record, validationDigest(schemaDocuments(refusedByValidation)));
    expect(await refusal(buildAtlasSchema({ typeDefs: refusedByValidation, validationRecord: record }))).toBe(
      "",
    );
  });

  it("without a record, every build validates", async () => {
    expect(await refusal(buildAtlasSchema({ typeDefs: refusedByValidation }))).toMatch(
      /@limit\.max invalid value/,
    );
  });
});
