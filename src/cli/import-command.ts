import path from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { runCordisImport } from "../import/cordis/run-cordis-import.js";
import { formatProblem } from "../import/problems.js";
import { createProgressReporter } from "../import/progress.js";
import { readCountryReference } from "../import/seed/countries.js";
import { defaultSeedDir } from "../import/seed/load-seed.js";
import { type CliContext, withDatabase } from "./context.js";

const cordisOptions = z.object({
  match: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      try {
        return new RegExp(value, "i");
      } catch (error) {
        ctx.addIssue({
          code: "custom",
          message: `--match is not a valid regular expression: ${(error as Error).message}`,
        });
        return z.NEVER;
      }
    }),
  topics: z
    .string()
    .optional()
    .transform((value) =>
      value
        ?.split(",")
        .map((prefix) => prefix.trim())
        .filter(Boolean),
    ),
  dryRun: z.boolean().default(false),
  strict: z.boolean().default(false),
});

export function registerImportCommand(program: Command, context: CliContext): void {
  const importCommand = program.command("import").description("import public data into the graph");
  importCommand
    .command("cordis")
    .description(
      "import a CORDIS export (folder or downloaded zip with project.csv and organization.csv, plus topics.csv, euroSciVoc.csv and legalBasis.csv when present) in one transaction",
    )
    .argument("<folder-or-zip>", "the CORDIS export")
    .option("--match <regex>", "only projects whose title, objective or keywords match (case-insensitive)")
    .option(
      "--topics <prefixes>",
      "only projects with a topic starting with one of these comma-separated prefixes",
    )
    .option("--dry-run", "validate and report, write nothing")
    .option("--strict", "fail the whole run (write nothing) when any row is rejected")
    .action(async (location: string, rawOptions: Record<string, unknown>) => {
      const parsed = cordisOptions.safeParse(rawOptions);
      if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join("; "));
      const options = parsed.data;
      const countries = readCountryReference(path.join(defaultSeedDir(), "reference"));
      await withDatabase(context, async (db, _config, log) => {
        const progress = createProgressReporter();
        const report = await runCordisImport(
          db.driver,
          db.database,
          path.resolve(location),
          {
            ...options,
            topicPrefixes: options.topics,
            countries,
            onProgress: (p) => progress.update(p),
          },
          log,
        ).finally(() => progress.stop());
        const { projectIds: _ids, rejected, warnings, ...summary } = report;
        process.stdout.write(
          `${JSON.stringify({ ...summary, rejected: rejected.length, warnings: warnings.length }, null, 2)}\n`,
        );
        for (const problem of rejected) process.stderr.write(`rejected ${formatProblem(problem)}\n`);
        for (const problem of warnings) process.stderr.write(`warning ${formatProblem(problem)}\n`);
      });
    });
}
