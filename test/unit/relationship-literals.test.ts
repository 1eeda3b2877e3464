import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { REL, relationshipDefinitions } from "../../src/model/relationships.js";
import { loadTypeDefs } from "../../src/model/type-defs.js";

/**
 * One model: relationship types are named in schema/*.graphql, and code names them through REL
 * (src/model/relationships.ts). A string or template literal anywhere else in src/ that spells one
 * would be a second definition that a rename in the schema leaves behind. Comments may name them.
 */
const SRC = path.resolve("src");
const OUTSIDE_THE_MODEL = (file: string) => !/^(model|generated)\//.test(path.relative(SRC, file));

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : /\.tsx?$/.test(entry.name) ? [full] : [];
  });

/** `file:line: literal` for every string or template part of `text` that contains one of `types` as a word. */
function relationshipLiterals(file: string, text: string, types: readonly string[]): string[] {
  const word = new RegExp(`\\b(${types.join("|")})\\b`);
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      (ts.isStringLiteral(node) ||
        ts.isNoSubstitutionTemplateLiteral(node) ||
        ts.isTemplateHead(node) ||
        ts.isTemplateMiddle(node) ||
        ts.isTemplateTail(node)) &&
      word.test(node.text)
    ) {
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      found.push(`${path.relative(process.cwd(), file)}:${line}: ${node.getText().slice(0, 80)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("relationship types have one definition", () => {
  const types = relationshipDefinitions(loadTypeDefs()).map((d) => d.type);

  it("REL holds exactly the types the schema declares", () => {
    expect(Object.keys(REL).sort()).toEqual([...types].sort());
    expect(types.length).toBeGreaterThan(10);
  });

  it("no file of src/ outside the model spells a relationship type in a literal", () => {
    const offenders = sourceFiles(SRC)
      .filter(OUTSIDE_THE_MODEL)
      .flatMap((file) => relationshipLiterals(file, readFileSync(file, "utf8"), types));
    expect(offenders).toEqual([]);
  });

  it("the check finds a type in a string, a template's head, middle and tail, and not in comments", () => {
    // A substitution `${name}` in the sample's source text.
    const sub = (name: string) => ["$", "{", name, "}"].join("");
    const text = [
      "// FUNDED_BY in a comment",
      'const a = "FUNDED_BY";',
      `const b = \`MATCH (p)-[:PART_OF]->(${sub("x")})\`;`,
      `const c = \`${sub("x")} -[:RUN_BY]- ${sub("y")} [:SOURCED_FROM]\`;`,
      `const d = { k: 1 }; const e = \`${sub("x")}\`;`,
    ].join("\n");
    expect(relationshipLiterals("x.ts", text, types).map((f) => f.replace(/: .*/, ""))).toEqual([
      "x.ts:2",
      "x.ts:3",
      "x.ts:4",
      "x.ts:4",
    ]);
  });
});
