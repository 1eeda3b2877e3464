import { randomBytes } from "node:crypto";
import { Neo4jGraphQL } from "@neo4j/graphql";
import type { GraphQLSchema } from "graphql";
import type { Driver } from "neo4j-driver";
import { analysisResolvers } from "./analysis-resolvers.js";
import { pageSizesFromTypeDefs, withAnchorRoom, withStablePaging } from "./stable-paging.js";

export interface AtlasSchemaOptions {
  typeDefs: string;
  driver?: Driver;
  /** Verifies the JWTs of writers; absent, a random one makes every token invalid (read-only API). */
  jwtSecret?: string | undefined;
  /** The database the analysis queries read; "neo4j" unless configured. */
  database?: string;
  /** Verifies JWTs with the keys of this JWKS endpoint instead of a secret. */
  jwksUrl?: string | undefined;
  /** Reads need a (valid, any role) token too. */
  readsRequireToken?: boolean;
}

const WRITE_OPERATIONS = "CREATE, UPDATE, DELETE, CREATE_RELATIONSHIP, DELETE_RELATIONSHIP";

/** Writes need the admin role; reads, when configured, any valid token. */
function authenticationRules(readsRequireToken: boolean): string {
  const writes = `extend schema @authentication(operations: [${WRITE_OPERATIONS}], jwt: { roles: { includes: "admin" } })`;
  return readsRequireToken
    ? `${writes}\nextend schema @authentication(operations: [READ, AGGREGATE])`
    : writes;
}

export interface AtlasSchema {
  neo4jGraphQL: Neo4jGraphQL;
  schema: GraphQLSchema;
}

/**
 * The public GraphQL schema: the types of schema/ as augmented by @neo4j/graphql, with stable paging
 * and literal search on every generated list, connection and search field (see withStablePaging).
 */
export async function buildAtlasSchema(options: AtlasSchemaOptions): Promise<AtlasSchema> {
  const neo4jGraphQL = new Neo4jGraphQL({
    typeDefs: [withAnchorRoom(options.typeDefs), authenticationRules(options.readsRequireToken ?? false)],
    ...(options.driver
      ? {
          driver: options.driver,
          resolvers: analysisResolvers({ driver: options.driver, database: options.database ?? "neo4j" }),
        }
      : {}),
    features: {
      authorization: {
        key: options.jwksUrl
          ? { url: options.jwksUrl }
          : (options.jwtSecret ?? randomBytes(32).toString("hex")),
      },
    },
  });
  const schema = withStablePaging(await neo4jGraphQL.getSchema(), pageSizesFromTypeDefs(options.typeDefs));
  return { neo4jGraphQL, schema };
}
