import {
  type EnumTypeDefinitionNode,
  Kind,
  type ObjectTypeDefinitionNode,
  parse,
  type TypeNode,
  validate,
} from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import * as generated from "../../src/generated/graphql.js";
import { buildAtlasSchema } from "../../src/graphql/build-schema.js";
import { ACTIVITY_KINDS, type CsvRecord, projectRows } from "../../src/import/cordis/cordis-rows.js";
import { collections } from "../../src/import/seed/seed-records.js";
import { loadTypeDefs } from "../../src/model/type-defs.js";

/**
 * Issue 22.1: a vocabulary (Funder.kind, Organisation.kind, Programme.kind, ...) has one definition, the
 * enum in schema/*.graphql. The seed's validators and the CORDIS mapping take their values from the
 * generated enums; these tests fail when any of them disagrees with the schema.
 */
const document = parse(loadTypeDefs());
const enums = new Map(
  document.definitions
    .filter((d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION)
    .map((d) => [d.name.value, (d.values ?? []).map((v) => v.name.value)]),
);
const objectTypes = new Map(
  document.definitions
    .filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION)
    .map((d) => [d.name.value, d]),
);
const namedType = (type: TypeNode): string =>
  type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
/** The enum type of field `type.field` in the SDL, or undefined when it is no enum. */
const enumOf = (type: string, field: string) => {
  const definition = objectTypes.get(type)?.fields?.find((f) => f.name.value === field);
  const name = definition && namedType(definition.type);
  return name && enums.has(name) ? name : undefined;
};

/**
 * Closed in the seed, open in the API, on purpose: a topic lens brings its own scheme (AI_IN_PM), so
 * Topic.scheme stays a String; the seed's curated topics use the built-in schemes (topic-schemes.ts).
 */
const OPEN_VOCABULARIES = new Set(["Topic.scheme"]);

/** Strips optional/pipe wrappers down to the validator that decides the value. */
function innermost(schema: z.ZodType): z.ZodType {
  const def = (schema as unknown as { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } }).def;
  if (def.innerType) return innermost(def.innerType);
  if (def.type === "pipe" && def.in) return innermost(def.in);
  return schema;
}
const enumOptions = (schema: z.ZodType): string[] | undefined => {
  const inner = innermost(schema) as unknown as { def: { type: string }; options?: string[] };
  return inner.def.type === "enum" ? [...(inner.options ?? [])].sort() : undefined;
};
const shapeOf = (schema: z.ZodType) =>
  (innermost(schema) as unknown as { shape: Record<string, z.ZodType> }).shape;

describe("issue 22.1: vocabularies are the schema's enums", () => {
  it("every generated enum has exactly the values of its SDL enum (npm run codegen when this fails)", () => {
    for (const [name, values] of enums) {
      const object = (generated as Record<string, unknown>)[name];
      expect(object, `src/generated/graphql.ts has no enum ${name}`).toBeTypeOf("object");
      expect(Object.values(object as object).sort(), name).toEqual([...values].sort());
    }
  });

  it("every seed field stored on a node with an SDL enum type is validated by exactly that enum", () => {
    const checked: string[] = [];
    for (const [collection, { record, labels }] of Object.entries(collections)) {
      const type = labels[0];
      for (const [field, validator] of Object.entries(shapeOf(record))) {
        const sdlEnum = enumOf(type, field);
        const options = enumOptions(validator);
        if ((!sdlEnum && !options) || OPEN_VOCABULARIES.has(`${type}.${field}`)) continue;
        // A closed list in the seed but a String in the schema (or the reverse) is the fault this guards.
        expect(
          sdlEnum,
          `${collection}.${field} is a list in seed-records.ts but ${type}.${field} is no enum`,
        ).toBeDefined();
        expect(options, `${collection}.${field}`).toEqual([...enums.get(sdlEnum!)!].sort());
        checked.push(`${type}.${field}`);
      }
    }
    // The vocabularies issue 22 names, plus the other closed lists of the same kind.
    expect(checked.sort()).toEqual(
      [
        "Consortium.kind",
        "Consortium.statedMemberCountQualifier",
        "CoordinationAction.frameworkProgramme",
        "Event.kind",
        "Funder.kind",
        "GovernanceBody.kind",
        "Organisation.kind",
        "Programme.kind",
        "Publication.kind",
        "Source.kind",
        "StatedFact.qualifier",
        "Stakeholder.category",
      ].sort(),
    );
  });

  it("a membership's status is the MemberOf relationship's enum", () => {
    const memberOf = shapeOf(collections.funders.record).memberOf!;
    const item = (innermost(memberOf) as unknown as { element: z.ZodType }).element;
    expect(enumOptions(shapeOf(item).status!)).toEqual([...enums.get(enumOf("MemberOf", "status")!)!].sort());
  });

  it("the CORDIS mapping writes only OrganisationKind values, and takes every FrameworkProgrammeCode", () => {
    const organisationKinds = enums.get(enumOf("Organisation", "kind")!)!;
    for (const kind of Object.values(ACTIVITY_KINDS)) expect(organisationKinds).toContain(kind);
    const programmeKinds = enums.get(enumOf("Programme", "kind")!)!;
    const row: CsvRecord = {
      id: "101039438",
      title: "A project",
      startDate: "2022-07-01",
      endDate: "2027-06-30",
      totalCost: "1",
      ecMaxContribution: "1",
      masterCall: "ERC-2021-STG",
      contentUpdateDate: "2022-08-16 19:22:13",
    };
    for (const code of enums.get(enumOf("CoordinationAction", "frameworkProgramme")!)!) {
      const result = projectRows({ ...row, frameworkProgramme: code });
      expect(result.ok, `frameworkProgramme ${code}`).toBe(true);
      if (!result.ok) continue;
      expect(programmeKinds).toContain(result.value.framework.properties.kind);
      expect(programmeKinds).toContain(result.value.call!.properties.kind);
    }
  });
});

describe("issue 22.1: the API refuses values outside a vocabulary", () => {
  let schema: Awaited<ReturnType<typeof buildAtlasSchema>>["schema"];
  beforeAll(async () => {
    ({ schema } = await buildAtlasSchema({ typeDefs: loadTypeDefs() }));
  });

  it("filters by an enum value with eq and in, and refuses an unknown one naming the enum", () => {
    const ok = parse(
      "{ funders(where: { kind: { in: [AGENCY, MINISTRY] } }) { id kind } organisations(where: { kind: { eq: UNIVERSITY } }) { id } }",
    );
    expect(validate(schema, ok)).toEqual([]);
    const bad = parse("{ funders(where: { kind: { eq: FOUNDATION } }) { id } }");
    expect(validate(schema, bad).map((e) => e.message)).toEqual([
      expect.stringContaining('Value "FOUNDATION" does not exist in "FunderKind" enum'),
    ]);
  });
});
