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
  /** For a full-text index, what it must be: an existing index of the name built otherwise is replaced. */
  fulltext?: FulltextIndex;
}

export interface FulltextIndex {
  label: string;
  properties: string[];
  analyzer: string;
}

/**
 * The analyzer of every full-text index: Neo4j's built-in `standard-folding` (Lucene's standard
 * tokenizer, lower case, English stop words, ASCII folding), so that "Université" and "Universite",
 * "Köln" and "Koln" find the same names whichever spelling is stored or searched. Queries go through the
 * index's own analyzer, which folds them the same way.
 */
export const FULLTEXT_ANALYZER = "standard-folding";

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
    // The one data-version node (src/db/data-version.ts): no entity, but MERGE needs its constraint
    // so that two first writers cannot create two.
    {
      name: "DataVersion_id_unique",
      cypher:
        "CREATE CONSTRAINT DataVersion_id_unique IF NOT EXISTS FOR (n:DataVersion) REQUIRE n.id IS UNIQUE",
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
          cypher: `CREATE FULLTEXT INDEX ${index.indexName} IF NOT EXISTS FOR (n:\`${label}\`) ON EACH [${properties}] OPTIONS { indexConfig: { \`fulltext.analyzer\`: '${FULLTEXT_ANALYZER}' } }`,
          fulltext: { label, properties: index.fields, analyzer: FULLTEXT_ANALYZER },
        });
      }
    }
  }
  return statements;
}

/** What `applySchema` must do to a database so that it holds `statements` (from `planSchema`). */
export interface SchemaPlan {
  /** Full-text indexes built otherwise than stated, dropped first (IF NOT EXISTS would keep them). */
  drop: string[];
  /** The statements whose constraint or index is missing, or is dropped above, in their order. */
  create: SchemaStatement[];
  /** Whether to wait for indexes to come online: something is created or dropped, or an index is not ONLINE. */
  awaitIndexes: boolean;
}

/**
 * Compares `statements` with what the database holds, in two reads side by side (SHOW CONSTRAINTS and
 * SHOW INDEXES). Every `CREATE ... IF NOT EXISTS` is a schema transaction and a round trip of its own:
 * where all exist as stated (a warm start) the plan is empty and nothing more is sent. A name that
 * exists is kept as it is, as IF NOT EXISTS keeps it, except a full-text index built otherwise
 * (another analyzer, label or properties), which is dropped and created again.
 */
export async function planSchema(
  driver: Driver,
  database: string,
  statements: SchemaStatement[],
): Promise<SchemaPlan> {
  const [constraints, indexes] = await Promise.all([
    driver.executeQuery("SHOW CONSTRAINTS YIELD name RETURN name", {}, { database }),
    driver.executeQuery(
      "SHOW INDEXES YIELD name, type, state, labelsOrTypes, properties, options RETURN name, type, state, labelsOrTypes, properties, options.indexConfig['fulltext.analyzer'] AS analyzer",
      {},
      { database },
    ),
  ]);
  const existing = new Set(
    [...constraints.records, ...indexes.records].map((record) => record.get("name") as string),
  );
  const fulltext = new Map(
    indexes.records
      .filter((record) => record.get("type") === "FULLTEXT")
      .map((record) => [record.get("name") as string, record]),
  );
  const drop: string[] = [];
  const create: SchemaStatement[] = [];
  for (const statement of statements) {
    const found = statement.fulltext && fulltext.get(statement.name);
    if (found && statement.fulltext) {
      const same =
        found.get("analyzer") === statement.fulltext.analyzer &&
        JSON.stringify(found.get("labelsOrTypes")) === JSON.stringify([statement.fulltext.label]) &&
        JSON.stringify(found.get("properties")) === JSON.stringify(statement.fulltext.properties);
      if (same) continue;
      drop.push(statement.name);
      create.push(statement);
    } else if (!existing.has(statement.name)) create.push(statement);
  }
  const notOnline = indexes.records.some((record) => record.get("state") !== "ONLINE");
  return { drop, create, awaitIndexes: drop.length > 0 || create.length > 0 || notOnline };
}

/**
 * Creates what is missing, replaces full-text indexes whose definition changed (e.g. a store created
 * before the accent-folding analyzer: Neo4j cannot change an index's analyzer in place, so it is dropped
 * and built again from the stored nodes), and waits until every index is online, so that the first
 * query can use it. `plan` (from planSchema) when the caller has read it already.
 */
export async function applySchema(
  driver: Driver,
  database: string,
  statements: SchemaStatement[],
  plan?: SchemaPlan,
): Promise<void> {
  const { drop, create, awaitIndexes } = plan ?? (await planSchema(driver, database, statements));
  for (const name of drop) {
    // The name comes from the type definitions (@fulltext indexName), never from a request.
    await driver.executeQuery(`DROP INDEX \`${name}\` IF EXISTS`, {}, { database });
  }
  for (const statement of create) await driver.executeQuery(statement.cypher, {}, { database });
  if (awaitIndexes) await driver.executeQuery("CALL db.awaitIndexes(300)", {}, { database });
}
