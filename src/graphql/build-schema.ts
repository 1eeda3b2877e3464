import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { Neo4jGraphQL } from "@neo4j/graphql";
import type { GraphQLSchema } from "graphql";
import type { Driver } from "neo4j-driver";
import { analysisResolvers } from "./analysis-resolvers.js";
import { dataVersionResolvers } from "./data-version-resolvers.js";
import { pageSizesFromTypeDefs, withAnchorRoom, withStablePaging } from "./stable-paging.js";
import { isRecordedValid, recordValid, validationDigest } from "./type-defs-validation.js";

export interface AtlasSchemaOptions {
  typeDefs: string;
  /** For start-up checks (checkNeo4jCompat, assertIndexesAndConstraints); requests bring their own. */
  driver?: Driver;
  /** Verifies JWTs if a request hands @neo4j/graphql a raw token; absent, a random one refuses them all. */
  jwtSecret?: string | undefined;
  /** Verifies JWTs with the keys of this JWKS endpoint instead of a secret. */
  jwksUrl?: string | undefined;
  /**
   * A file that records the type definitions that passed @neo4j/graphql's validation
   * (type-defs-validation.ts): definitions recorded there are not validated again. Absent: always validated.
   */
  validationRecord?: string;
}

/** The role a token needs to write (the `roles` claim must include it). */
export const ADMIN_ROLE = "admin";

const WRITE_OPERATIONS = "CREATE, UPDATE, DELETE, CREATE_RELATIONSHIP, DELETE_RELATIONSHIP";

/**
 * Who may read and write is decided by the request contract (src/server/request-contract.ts), for
 * GraphQL and every other route alike. This schema rule is a second line for writes only: the server
 * hands @neo4j/graphql the claims it verified (`context.jwt`, roles normalised to a list), so the rule
 * agrees with the contract. A read rule here would judge generated queries only, not the analysis
 * queries or the export route.
 */
const WRITE_RULE = `extend schema @authentication(operations: [${WRITE_OPERATIONS}], jwt: { roles: { includes: "${ADMIN_ROLE}" } })`;

/** The debug namespace under which @neo4j/graphql prints the tree of each translated request. */
const TRANSLATE_DEBUG = "@neo4j/graphql:translate";

/**
 * Works around an upstream cost of @neo4j/graphql 7.6: every translation (translate-read.js and its
 * create, delete and top-level Cypher siblings) calls `debug(queryAST.print())`, which renders the whole
 * operation tree as text before `debug` decides that its namespace is off, and throws the text away.
 * In a profile of the benchmark's nested query that rendering was about an eighth of the translation.
 * The tree is now rendered only when the namespace is on (DEBUG=@neo4j/graphql:*), so the debug output
 * stays as it was. The library has no option for it; QueryAST is reached by its file (the package has
 * no exports map) through the same CommonJS loader as the library's own requires, so it is one class.
 */
function renderTranslationTreesOnlyWhenDebugging(): void {
  const require = createRequire(import.meta.url);
  const libraryRequire = createRequire(require.resolve("@neo4j/graphql"));
  const debug = libraryRequire("debug") as { enabled(namespace: string): boolean };
  const { QueryAST } = libraryRequire("./translate/queryAST/ast/QueryAST.js") as {
    QueryAST: { prototype: { print(): string; atlasLazyPrint?: true } };
  };
  const prototype = QueryAST.prototype;
  if (prototype.atlasLazyPrint) return;
  const print = prototype.print;
  prototype.print = function (this: unknown) {
    return debug.enabled(TRANSLATE_DEBUG) ? print.call(this) : "";
  };
  prototype.atlasLazyPrint = true;
}

export interface AtlasSchema {
  neo4jGraphQL: Neo4jGraphQL;
  schema: GraphQLSchema;
}

/** The documents handed to Neo4jGraphQL for `typeDefs`: the types with the paging anchor, and the write rule. */
export function schemaDocuments(typeDefs: string): string[] {
  return [withAnchorRoom(typeDefs), WRITE_RULE];
}

/**
 * The public GraphQL schema: the types of schema/ as augmented by @neo4j/graphql, with stable paging
 * and literal search on every generated list, connection and search field (see withStablePaging).
 */
export async function buildAtlasSchema(options: AtlasSchemaOptions): Promise<AtlasSchema> {
  renderTranslationTreesOnlyWhenDebugging();
  const typeDefs = schemaDocuments(options.typeDefs);
  const digest = validationDigest(typeDefs);
  const validated =
    options.validationRecord !== undefined && isRecordedValid(options.validationRecord, digest);
  const neo4jGraphQL = new Neo4jGraphQL({
    typeDefs,
    validate: !validated,
    ...(options.driver ? { driver: options.driver } : {}),
    resolvers: {
      ...analysisResolvers(),
      Query: { ...analysisResolvers().Query, ...dataVersionResolvers().Query },
    },
    features: {
      authorization: {
        key: options.jwksUrl
          ? { url: options.jwksUrl }
          : (options.jwtSecret ?? randomBytes(32).toString("hex")),
      },
    },
  });
  const schema = withStablePaging(await neo4jGraphQL.getSchema(), pageSizesFromTypeDefs(options.typeDefs));
  if (!validated && options.validationRecord !== undefined) recordValid(options.validationRecord, digest);
  return { neo4jGraphQL, schema };
}
