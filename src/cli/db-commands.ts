import type { Command } from "commander";
import { readServerInfo } from "../db/connection.js";
import { stagingStatus } from "../import/openaire/openaire-staging.js";
import { type CliServices, withDatabase } from "./services.js";

/**
 * Adds `db status` (which Neo4j, its version and edition, node and relationship counts, and the OpenAIRE
 * import's staging area and lock, as JSON on stdout).
 */
export function registerDbCommands(program: Command, services: CliServices): void {
  const db = program.command("db").description("the Neo4j database");
  db.command("status")
    .description(
      "print which Neo4j the product uses, its version, node and relationship counts, and the OpenAIRE import staging, as JSON",
    )
    .action(async () => {
      await withDatabase(services, async (connection) => {
        const info = await readServerInfo(connection.driver, connection.database);
        const { records } = await connection.driver.executeQuery(
          "CALL { MATCH (n) RETURN count(n) AS nodes } CALL { MATCH ()-[r]->() RETURN count(r) AS relationships } RETURN nodes, relationships",
          {},
          { database: connection.database },
        );
        const counts = records[0]!;
        const status = {
          uri: connection.uri,
          database: connection.database,
          mode: connection.embedded
            ? connection.embedded.owned
              ? "embedded-started"
              : "embedded-attached"
            : "external",
          ...info,
          nodes: counts.get("nodes").toNumber(),
          relationships: counts.get("relationships").toNumber(),
          // Counted in nodes above, seen by no reader: an import in progress, or the leftover of a
          // crashed one (removed by the next `import openaire`).
          openaireStaging: await stagingStatus(connection.driver, connection.database),
        };
        process.stdout.write(`${JSON.stringify(status)}\n`);
      });
    });
}
