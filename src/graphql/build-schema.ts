import { randomBytes } from "node:crypto";
import { Neo4jGraphQL } from "@neo4j/graphql";
import type { GraphQLSchema } from "graphql";
import type { Driver } from "neo4j-driver";
import { analysisResolvers } from "./analysis-resolvers.js";

export interface AtlasSchemaOptions {
  typeDefs: string;
  driver?: Driver;
  /** Verifies the JWTs of writers; absent, a random one makes every token invalid (read-only API). */
  jwtSecret?: string | undefined;
  /** The database the analysis queries read; "neo4j" unless configured. */
  database?: string;
}

export interface AtlasSchema {
  neo4jGraphQL: Neo4jGraphQL;
  schema: GraphQLSchema;
}

/** The public GraphQL schema: the types of schema/ as augmented by @neo4j/graphql. */
export async function buildAtlasSchema(options: AtlasSchemaOptions): Promise<AtlasSchema> {
  const neo4jGraphQL = new Neo4jGraphQL({
    typeDefs: options.typeDefs,
    ...(options.driver
      ? {
          driver: options.driver,
          resolvers: analysisResolvers({ driver: options.driver, database: options.database ?? "neo4j" }),
        }
      : {}),
    features: {
      authorization: { key: options.jwtSecret ?? randomBytes(32).toString("hex") },
    },
  });
  return { neo4jGraphQL, schema: await neo4jGraphQL.getSchema() };
}
