import { type FieldDefinitionNode, Kind, parse, type TypeNode } from "graphql";
import { loadTypeDefs } from "./type-defs.js";

/**
 * The properties that the schema declares `Int` (or `[Int!]`), by node label and by relationship type.
 * Neo4j keeps integers and floats apart (`valueType` INTEGER vs FLOAT, `toString` "2023" vs "2023.0"),
 * and the JavaScript driver sends every JS number as a FLOAT: a writer must turn these into Neo4j
 * integers. Derived from the type definitions so that a new `Int` field needs no second list.
 */
export interface IntegerProperties {
  /** Label (a `@node` type) -> its Int properties. */
  nodes: ReadonlyMap<string, ReadonlySet<string>>;
  /** Relationship type -> the Int properties of its `@relationshipProperties` type(s). */
  relationships: ReadonlyMap<string, ReadonlySet<string>>;
}

const isInt = (type: TypeNode): boolean =>
  type.kind === Kind.NON_NULL_TYPE || type.kind === Kind.LIST_TYPE
    ? isInt(type.type)
    : type.name.value === "Int";

const hasDirective = (node: { directives?: readonly { name: { value: string } }[] }, name: string) =>
  node.directives?.some((directive) => directive.name.value === name) ?? false;

/** Stored Int fields: @cypher and @relationship fields are computed or links, not properties. */
const storedIntFields = (fields: readonly FieldDefinitionNode[] = []) =>
  new Set(
    fields
      .filter((f) => isInt(f.type) && !hasDirective(f, "cypher") && !hasDirective(f, "relationship"))
      .map((f) => f.name.value),
  );

/** Reads the Int properties from type definitions (by default the project's schema/*.graphql). */
export function integerProperties(typeDefs: string = loadTypeDefs()): IntegerProperties {
  const document = parse(typeDefs);
  const nodes = new Map<string, Set<string>>();
  const propertyTypes = new Map<string, Set<string>>();
  const relationshipProperties: { type: string; properties: string }[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    if (hasDirective(definition, "node"))
      nodes.set(definition.name.value, storedIntFields(definition.fields));
    if (hasDirective(definition, "relationshipProperties"))
      propertyTypes.set(definition.name.value, storedIntFields(definition.fields));
    for (const field of definition.fields ?? []) {
      const relationship = field.directives?.find((d) => d.name.value === "relationship");
      const argument = (name: string) => {
        const value = relationship?.arguments?.find((a) => a.name.value === name)?.value;
        return value?.kind === Kind.STRING ? value.value : undefined;
      };
      const type = argument("type");
      const properties = argument("properties");
      if (type && properties) relationshipProperties.push({ type, properties });
    }
  }
  const relationships = new Map<string, Set<string>>();
  for (const { type, properties } of relationshipProperties) {
    const fields = relationships.get(type) ?? new Set<string>();
    for (const name of propertyTypes.get(properties) ?? []) fields.add(name);
    relationships.set(type, fields);
  }
  return { nodes, relationships };
}
