import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { fieldMergePairs } from "../../src/server/field-merge-limit.js";

const pairsOf = (n: number) => (n * (n - 1)) / 2;
const repeat = (n: number, text: string) => Array.from({ length: n }, () => text).join(" ");

describe("pairs of same-named fields that validation compares", () => {
  it("counts repeats in one selection set, through inline fragments, and in merged sub-selections", () => {
    expect(fieldMergePairs(parse(`{ ${repeat(800, "dataVersion { version }")} }`))).toBe(
      pairsOf(800) + pairsOf(800),
    );
    expect(fieldMergePairs(parse(`{ ${repeat(30, "... on Query { a }")} }`))).toBe(pairsOf(30));
    // a twice (1 pair); their sub-selections merge: x three times (3 pairs).
    expect(fieldMergePairs(parse("{ a { x x } a { x } }"))).toBe(1 + 3);
    // Aliases give distinct response names; an alias equal to another field's name does not.
    expect(fieldMergePairs(parse("{ a b c: a }"))).toBe(0);
    expect(fieldMergePairs(parse("{ a a: b }"))).toBe(1);
    // A fragment is counted in its own definition, once however often it is spread.
    expect(fieldMergePairs(parse(`query { ${repeat(50, "...F")} } fragment F on Query { a a }`))).toBe(1);
  });
});
