import {
  type FieldDefinitionNode,
  Kind,
  type ObjectTypeDefinitionNode,
  parse,
  type TypeNode,
  type UnionTypeDefinitionNode,
} from "graphql";
import { isRelationshipType, type RelationshipType } from "../../model/relationships.js";
import { loadTypeDefs } from "../../model/type-defs.js";
import { type CollectionName, collections } from "./seed-records.js";

/**
 * Which fields of a seed record are links, and which schema field each one fills. The relationship
 * type, its direction and the labels its far end may carry are NOT written here: they are read from
 * that field's `@relationship` directive in schema/*.graphql, so the seed cannot drift from the API.
 * Adding a link to the seed is: the SDL field, the record's zod field (seed-records.ts), one line here.
 */
export interface SeedLinkSpec {
  /** The schema field whose `@relationship` this seed field writes, on the collection's own type. */
  sdlField: string;
  /** The type that declares `sdlField` when it is not the collection's type. */
  on?: string;
  /** For a list of objects: the property holding the far end's id. Otherwise the value is the id. */
  target?: string;
  /**
   * Properties that tell apart several relationships between the same two ends (the MERGE key), each
   * with the value used when the record leaves it out (undefined: the record must give it).
   */
  key?: Readonly<Record<string, string | undefined>>;
  /** Relationship properties written from the item, null where it leaves one out. */
  properties?: readonly string[];
  /** Write `properties` only when the item gives at least one (else the stored ones stay). */
  propertiesOnlyWhenGiven?: boolean;
  /** The far end's id from the value; undefined writes no link. Default: the value itself. */
  targetId?: (value: unknown, recordId: string) => string | undefined;
  /** The field is also stored as a property of the node (not only as the link). */
  alsoProperty?: boolean;
}

const SOURCES: SeedLinkSpec = { sdlField: "sources" };
const COUNTRY: SeedLinkSpec = { sdlField: "country" };
const SEAT: SeedLinkSpec = {
  sdlField: "governanceBodies",
  target: "body",
  key: { role: "member" },
  properties: ["asOf", "person"],
};

/** The link fields of each collection of the seed files (see SeedLinkSpec). */
export const SEED_LINKS: Readonly<Record<CollectionName, Readonly<Record<string, SeedLinkSpec>>>> = {
  sources: {},
  topics: { sources: SOURCES },
  consortia: { sources: SOURCES },
  governanceBodies: { sources: SOURCES, consortium: { sdlField: "consortium" } },
  funders: {
    sources: SOURCES,
    country: COUNTRY,
    memberOf: {
      sdlField: "consortia",
      target: "consortium",
      properties: ["status", "since", "evidence", "asOf", "evidenceSource"],
    },
    sitsOn: SEAT,
    sameAs: { sdlField: "sameAs", target: "funder", key: { method: "CURATED" }, properties: ["evidence"] },
  },
  organisations: { sources: SOURCES, country: COUNTRY },
  stakeholders: { sources: SOURCES, country: COUNTRY, sitsOn: SEAT },
  programmes: {
    sources: SOURCES,
    partOf: { sdlField: "partOf" },
    runBy: { sdlField: "runBy" },
    covers: { sdlField: "topics" },
    fundedBy: {
      sdlField: "funders",
      target: "funder",
      properties: ["commitment", "commitmentCurrency", "commitmentOriginal"],
    },
  },
  coordinationActions: {
    sources: SOURCES,
    // An EU grant (cordis:<grant id>) is also a Project, funded under its framework programme.
    frameworkProgramme: {
      sdlField: "programmes",
      on: "Project",
      alsoProperty: true,
      targetId: (value, recordId) =>
        recordId.startsWith("cordis:") ? `programme:${String(value).toLowerCase()}` : undefined,
    },
    supports: { sdlField: "supports" },
    // Participation points from the organisation to the action, as in CORDIS.
    partners: {
      sdlField: "partners",
      target: "organisation",
      key: { role: undefined },
      properties: ["contribution", "order"],
      // A curated partner without figures leaves the figures CORDIS gave alone.
      propertiesOnlyWhenGiven: true,
    },
  },
  recognitions: {
    sources: SOURCES,
    awardedBy: { sdlField: "awardedBy" },
    awardedTo: { sdlField: "awardedTo" },
  },
  events: { sources: SOURCES, organisedBy: { sdlField: "organisedBy" } },
  publications: { sources: SOURCES, publishedBy: { sdlField: "publishedBy" } },
  projects: { sources: SOURCES, fundedUnder: { sdlField: "programmes" } },
  statedFacts: { sources: SOURCES, subject: { sdlField: "subject" } },
};

/** A seed link with what the schema says about it. */
export interface SeedLink extends SeedLinkSpec {
  /** The relationship type, e.g. MEMBER_OF. */
  type: RelationshipType;
  /** OUT: from the record to the far end; IN: from the far end to the record. */
  outgoing: boolean;
  /** The labels the far end may carry (the field's type, or the members of its union). */
  targetLabels: string[];
}

const namedType = (type: TypeNode): string =>
  type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);

const stringArgument = (field: FieldDefinitionNode, directive: string, name: string) => {
  const value = field.directives
    ?.find((d) => d.name.value === directive)
    ?.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.STRING || value?.kind === Kind.ENUM ? value.value : undefined;
};

/**
 * SEED_LINKS with type, direction and target labels read from the `@relationship` directives of
 * `typeDefs` (by default the project's schema/*.graphql): collection -> seed field -> link.
 * Throws an Error naming the seed field when its schema field is missing, is no relationship, or when a
 * key or property it writes is not declared on the relationship's properties type.
 */
export function seedLinks(typeDefs: string = loadTypeDefs()): Map<CollectionName, Map<string, SeedLink>> {
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
  const result = new Map<CollectionName, Map<string, SeedLink>>();
  for (const [collection, fields] of Object.entries(SEED_LINKS) as [
    CollectionName,
    Record<string, SeedLinkSpec>,
  ][]) {
    const links = new Map<string, SeedLink>();
    for (const [seedField, spec] of Object.entries(fields)) {
      const owner = spec.on ?? collections[collection].labels[0];
      const where = `seed ${collection}.${seedField} (schema ${owner}.${spec.sdlField})`;
      const field = objects.get(owner)?.fields?.find((f) => f.name.value === spec.sdlField);
      if (!field) throw new Error(`${where}: the schema has no such field`);
      const type = stringArgument(field, "relationship", "type");
      const direction = stringArgument(field, "relationship", "direction");
      if (!type || !direction) throw new Error(`${where}: the field has no @relationship(type, direction)`);
      if (!isRelationshipType(type))
        throw new Error(`${where}: ${type} is not in the generated model: run \`npm run codegen\``);
      const written = [...Object.keys(spec.key ?? {}), ...(spec.properties ?? [])];
      const propertiesType = stringArgument(field, "relationship", "properties");
      const declared = new Set(
        (propertiesType ? (objects.get(propertiesType)?.fields ?? []) : []).map((f) => f.name.value),
      );
      const undeclared = written.filter((name) => !declared.has(name));
      if (undeclared.length)
        throw new Error(
          `${where}: writes ${undeclared.join(", ")}, which ${propertiesType ?? "the relationship (no properties type)"} does not declare`,
        );
      const target = namedType(field.type);
      links.set(seedField, {
        ...spec,
        type,
        outgoing: direction === "OUT",
        targetLabels: unions.get(target) ?? [target],
      });
    }
    result.set(collection, links);
  }
  return result;
}
