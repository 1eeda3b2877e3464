import type { Command } from "commander";
import { loadSeed } from "../import/seed/load-seed.js";
import { type CliServices, withWritingDatabase } from "./services.js";

/** Adds `seed [--dir <folder>]`: validates and (re)loads the curated seed in one transaction, prints its report as JSON. */
export function registerSeedCommand(program: Command, services: CliServices): void {
  program
    .command("seed")
    .description("validate the curated files in seed/ and (re)load them in one transaction; idempotent")
    .option("--dir <folder>", "the seed folder", undefined)
    .action(async (options: { dir?: string }) => {
      await withWritingDatabase(services, true, async (db, _config, log) => {
        const report = await loadSeed(db.driver, db.database, log, options.dir);
        process.stdout.write(`${JSON.stringify(report)}\n`);
      });
    });
}
