import { readFileSync } from "node:fs";
import path from "node:path";
import {
  Kind,
  type ObjectTypeDefinitionNode,
  parse,
  type TypeNode,
  type UnionTypeDefinitionNode,
} from "graphql";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { readCountryReference } from "../../src/import/seed/countries.js";
import { defaultSeedDir } from "../../src/import/seed/load-seed.js";
import { readSeed } from "../../src/import/seed/read-seed.js";
import { SEED_LINKS, seedLinks } from "../../src/import/seed/seed-links.js";
import { type CollectionName, collections } from "../../src/import/seed/seed-records.js";
import { loadTypeDefs } from "../../src/model/type-defs.js";

/**
 * Issue 22.2: the seed's relationships come from the schema's @relationship directives. These tests
 * fail when a seed field, the link table (seed-links.ts) and the SDL disagree.
 */
const typeDefs = loadTypeDefs();
const definitions = parse(typeDefs).definitions;
const objects = new Map(
  definitions
    .filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION)
    .map((d) => [d.name.value, d]),
);
const unions = new Map(
  definitions
    .filter((d): d is UnionTypeDefinitionNode => d.kind === Kind.UNION_TYPE_DEFINITION)
    .map((d) => [d.name.value, (d.types ?? []).map((t) => t.name.value)]),
);
const namedType = (type: TypeNode): string =>
  type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
const argument = (
  directive: { arguments?: readonly { name: { value: string }; value: unknown }[] },
  name: string,
) =>
  (directive.arguments?.find((a) => a.name.value === name)?.value as { value?: string } | undefined)?.value;

/** Every (from label, type, to label) that an OUT @relationship of the SDL declares, unions expanded. */
const declared = new Set<string>();
for (const [typeName, object] of objects) {
  for (const field of object.fields ?? []) {
    const relationship = field.directives?.find((d) => d.name.value === "relationship");
    if (!relationship) continue;
    const ends = unions.get(namedType(field.type)) ?? [namedType(field.type)];
    for (const end of ends) {
      const [from, to] = argument(relationship, "direction") === "OUT" ? [typeName, end] : [end, typeName];
      declared.add(`${from}-${argument(relationship, "type")}->${to}`);
    }
  }
}

describe("issue 22.2: the seed's relationships are the schema's", () => {
  it("every relationship the real seed plans is declared by an @relationship between its ends' types", () => {
    // The CORDIS projects the curated records point at (the loader gets them from the importer's dry run).
    const externalIds = new Map(
      [...readFileSync(path.join(defaultSeedDir(), "icpermed.yaml"), "utf8").matchAll(/cordis:\d+/g)].map(
        ([id]) => [id, ["Project"]] as [string, string[]],
      ),
    );
    const plan = readSeed({
      seedDir: defaultSeedDir(),
      countries: readCountryReference(path.join(defaultSeedDir(), "reference")),
      externalIds,
    });
    let checked = 0;
    for (const group of plan.relationships) {
      for (const row of group.rows) {
        const fromLabels = plan.labelsById.get(row.from) ?? [];
        const toLabels = plan.labelsById.get(row.to) ?? [];
        const ok = fromLabels.some((from) =>
          toLabels.some((to) => declared.has(`${from}-${group.type}->${to}`)),
        );
        expect(ok, `${row.from} -${group.type}-> ${row.to} (${fromLabels} to ${toLabels})`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it("every field of a seed record is a property the schema declares or a link of seed-links.ts", () => {
    const strays: string[] = [];
    for (const [collection, { record, labels }] of Object.entries(collections)) {
      const type = objects.get(labels[0])!;
      const stored = new Set(
        (type.fields ?? [])
          .filter((f) => !f.directives?.some((d) => d.name.value === "relationship"))
          .map((f) => f.name.value),
      );
      const links = SEED_LINKS[collection as CollectionName];
      let shape = record as z.ZodType;
      while (!("shape" in shape)) shape = (shape as unknown as { def: { in: z.ZodType } }).def.in;
      for (const field of Object.keys((shape as unknown as { shape: object }).shape)) {
        if (!stored.has(field) && !links[field]) strays.push(`${collection}.${field}`);
      }
    }
    expect(strays).toEqual([]);
  });

  it("names the seed field when its schema field is gone (a scratch schema without Programme.runBy)", () => {
    const withoutRunBy = typeDefs.replace(/\n\s*runBy: \[Consortium!\]! @relationship\([^)]*\)/, "");
    expect(withoutRunBy).not.toBe(typeDefs);
    expect(() => seedLinks(withoutRunBy)).toThrow(
      "seed programmes.runBy (schema Programme.runBy): the schema has no such field",
    );
  });

  it("names a relationship property the schema does not declare (a scratch MemberOf without evidence)", () => {
    const withoutEvidence = typeDefs.replace(/\n(\s*)evidence: String\n/, "\n$1evidenceText: String\n");
    expect(withoutEvidence).not.toBe(typeDefs);
    expect(() => seedLinks(withoutEvidence)).toThrow(
      /seed funders\.memberOf .*writes evidence, which MemberOf does not declare/,
    );
  });

  it("reads the type, direction and far ends of each link from the SDL", () => {
    const links = seedLinks(typeDefs);
    const partners = links.get("coordinationActions")!.get("partners")!;
    expect([partners.type, partners.outgoing, partners.targetLabels]).toEqual([
      "PARTICIPATES_IN",
      false,
      ["Organisation"],
    ]);
    const awardedTo = links.get("recognitions")!.get("awardedTo")!;
    expect([awardedTo.type, awardedTo.outgoing, awardedTo.targetLabels]).toEqual([
      "AWARDED_TO",
      true,
      ["Project", "Organisation", "Stakeholder"],
    ]);
    expect(links.get("organisations")!.get("country")!.type).toBe("LOCATED_IN");
    expect(links.get("funders")!.get("country")!.type).toBe("BASED_IN");
  });
});
