import {
  type ConstDirectiveNode,
  Kind,
  type ObjectTypeDefinitionNode,
  parse,
  valueFromASTUntyped,
} from "graphql";
import type { Driver } from "neo4j-driver";

/** One statement per constraint or index; each is idempotent (IF NOT EXISTS). */
export interface SchemaStatement {
  name: string;
  cypher: string;
}

const directive = (node: ObjectTypeDefinitionNode, name: string): ConstDirectiveNode | undefined =>
  node.directives?.find((d) => d.name.value === name);

function argument(node: ConstDirectiveNode, name: string): unknown {
  const arg = node.arguments?.find((a) => a.name.value === name);
  return arg ? valueFromASTUntyped(arg.value) : undefined;
}

/** The label a node type is stored under: the first of @node(labels:) or the type name. */
function primaryLabel(node: ObjectTypeDefinitionNode): string {
  const labels = argument(directive(node, "node")!, "labels") as string[] | undefined;
  return labels?.[0] ?? node.name.value;
}

/**
 * Range indexes on the properties that the API's users filter and sort on most: the years and dates of
 * the analysis filters and the dashboard, amounts that pages are sorted by, the topic vocabulary that the
 * funding matrix reads its columns from, codes and names that lookups use. Every index costs each
 * write, so this is a list of the ones that earn it, not every field the generated API can filter on.
 */
export const RANGE_INDEXED: Readonly<Record<string, readonly string[]>> = {
  Project: ["startYear", "startDate", "funding", "status"],
  CoordinationAction: ["startDate"],
  Programme: ["startYear", "kind"],
  Topic: ["scheme", "code"],
  Country: ["code"],
  Organisation: ["name"],
  Funder: ["name"],
};

/**
 * Derives the database schema from the type definitions: a uniqueness constraint on `id` for every
 * node type (it also backs every MERGE of the importers), each @fulltext index, and the range indexes of
 * RANGE_INDEXED for the fields that the type defines.
 */
export function schemaStatements(typeDefs: string): SchemaStatement[] {
  // Every entity also carries the label Entity (see src/import/graph-writer.ts): ids are unique graph-wide.
  const statements: SchemaStatement[] = [
    {
      name: "Entity_id_unique",
      cypher: "CREATE CONSTRAINT Entity_id_unique IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
    },
  ];
  for (const definition of parse(typeDefs).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || !directive(definition, "node")) continue;
    const label = primaryLabel(definition);
    const fields = new Set(definition.fields?.map((field) => field.name.value));
    if (fields.has("id")) {
      const name = `${label}_id_unique`;
      statements.push({
        name,
        cypher: `CREATE CONSTRAINT ${name} IF NOT EXISTS FOR (n:\`${label}\`) REQUIRE n.id IS UNIQUE`,
      });
    }
    for (const property of RANGE_INDEXED[label]?.filter((name) => fields.has(name)) ?? []) {
      const name = `${label}_${property}`;
      statements.push({
        name,
        cypher: `CREATE INDEX ${name} IF NOT EXISTS FOR (n:\`${label}\`) ON (n.\`${property}\`)`,
      });
    }
    const fulltext = directive(definition, "fulltext");
    if (fulltext) {
      for (const index of argument(fulltext, "indexes") as { indexName: string; fields: string[] }[]) {
        const properties = index.fields.map((field) => `n.\`${field}\``).join(", ");
        statements.push({
          name: index.indexName,
          cypher: `CREATE FULLTEXT INDEX ${index.indexName} IF NOT EXISTS FOR (n:\`${label}\`) ON EACH [${properties}]`,
        });
      }
    }
  }
  return statements;
}

/** Creates what is missing and waits until every index is online, so that the first query can use it. */
export async function applySchema(
  driver: Driver,
  database: string,
  statements: SchemaStatement[],
): Promise<void> {
  for (const statement of statements) {
    await driver.executeQuery(statement.cypher, {}, { database });
  }
  await driver.executeQuery("CALL db.awaitIndexes(300)", {}, { database });
}
