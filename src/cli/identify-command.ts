import path from "node:path";
import type { Command } from "commander";
import { bumpDataVersion } from "../db/data-version.js";
import { readRorFile } from "../identity/ror-file.js";
import type { RorRecord } from "../identity/ror-record.js";
import { defaultRorFile, linkIdentities } from "../import/identity/link-identities.js";
import { InputValidationError } from "../util/input-problems.js";
import { type CliServices, withWritingDatabase } from "./services.js";

/**
 * `atlas identify [--ror <file>]`: matches every organisation and funder of the graph to ROR records
 * (the seed's subset, or a complete ROR dump given with --ror) and writes the identities and SAME_AS
 * links in one transaction (src/import/identity/link-identities.ts). The file is read and checked
 * before the database is touched. Prints a JSON report.
 */
export function registerIdentifyCommand(program: Command, services: CliServices): void {
  program
    .command("identify")
    .description(
      "match organisations and funders to ROR records (rorId, FundRef, Wikidata, GRID ids; weak matches only proposed) and link the nodes of one body, in one transaction; idempotent",
    )
    .option(
      "--ror <file>",
      "ROR records: the official v2 dump (.json, .json.gz) or JSON lines (.jsonl, .jsonl.gz); default: the seed's subset",
    )
    .action(async (options: { ror?: string }) => {
      const file = options.ror ? path.resolve(options.ror) : defaultRorFile();
      let records: RorRecord[];
      try {
        records = readRorFile(file);
      } catch (error) {
        throw new InputValidationError([
          { file, line: undefined, field: "--ror", reason: (error as Error).message },
        ]);
      }
      await withWritingDatabase(services, true, async (db) => {
        const session = db.driver.session({ database: db.database });
        try {
          const report = await session.executeWrite(async (tx) => {
            const linked = await linkIdentities(tx, records);
            await bumpDataVersion(tx);
            return linked;
          });
          process.stdout.write(
            `${JSON.stringify({ rorFile: file, records: records.length, ...report }, null, 2)}\n`,
          );
        } finally {
          await session.close();
        }
      });
    });
}
