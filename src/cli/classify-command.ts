import path from "node:path";
import type { Command } from "commander";
import { applyLenses, lensesWithStored } from "../classify/apply-lenses.js";
import { duplicates, type Lens, readLensDir, readLensFile } from "../classify/lens-file.js";
import { bumpDataVersion } from "../db/data-version.js";
import { defaultSeedDir } from "../import/seed/load-seed.js";
import { REL } from "../model/relationships.js";
import { InputValidationError } from "../util/input-problems.js";
import { type CliServices, withWritingDatabase } from "./services.js";

/**
 * `atlas classify [--lens <file>...]`: applies topic lenses to every project in one transaction.
 * With --lens, the given files (checked before the database is touched); without, the lenses of
 * seed/lenses/ and those applied before (stored in the graph). Prints one JSON report per lens.
 */
export function registerClassifyCommand(program: Command, services: CliServices): void {
  program
    .command("classify")
    .description(
      `link projects to the topics of topic lenses (${REL.ADDRESSES}, method RULE) in one transaction; idempotent. Without --lens: seed/lenses/*.yaml and the lenses applied before`,
    )
    .option(
      "--lens <file>",
      "a lens file to apply (repeatable); it is re-applied after later imports",
      collect,
      [],
    )
    .action(async (options: { lens: string[] }) => {
      const root = path.dirname(defaultSeedDir());
      const given: Lens[] = options.lens.length
        ? options.lens.map((file) => readLensFile(path.resolve(file), root))
        : readLensDir(path.join(defaultSeedDir(), "lenses"), root);
      const clashes = duplicates(given);
      if (clashes.length) throw new InputValidationError(clashes);
      await withWritingDatabase(services, true, async (db) => {
        const session = db.driver.session({ database: db.database });
        try {
          const reports = await session.executeWrite(async (tx) => {
            const applied = await applyLenses(
              tx,
              options.lens.length ? given : await lensesWithStored(tx, given),
            );
            // Derived links change what analyses answer: caches keyed by the data version must see it.
            await bumpDataVersion(tx);
            return applied;
          });
          process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
        } finally {
          await session.close();
        }
      });
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
