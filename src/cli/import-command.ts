import path from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { type RunCordisImportReport, runCordisImport } from "../import/cordis/run-cordis-import.js";
import { formatProblem } from "../import/problems.js";
import { createProgressReporter } from "../import/progress.js";
import { readCountryReference } from "../import/seed/countries.js";
import { defaultSeedDir } from "../import/seed/load-seed.js";
import { type CliServices, withDatabase } from "./services.js";

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
  prune: z.boolean().default(false),
  changes: z.boolean().default(false),
});

/**
 * The report as the CLI prints it (JSON on stdout): the ImportRun's fields (id, source, startedAt,
 * finishedAt, status, files with sha256, rowsRead, rowsRejected, projects*, participations*), then
 * what the rows held; problems and changed records are listed after it, not inside.
 */
export function importSummary(report: RunCordisImportReport): Record<string, unknown> {
  const {
    projectIds: _ids,
    listedProjectIds: _listed,
    exported: _exported,
    sourceIds: _sources,
    changes,
    run,
    rejected,
    warnings,
    unlistedProjects,
    prunedProjects,
    keptCuratedProjects,
    ...rows
  } = report;
  return {
    ...(run
      ? {
          ...run,
          startedAt: run.startedAt.toISOString(),
          finishedAt: run.finishedAt.toISOString(),
        }
      : { status: "DRY_RUN", files: report.files, rowsRead: report.rowsRead, rowsRejected: rejected.length }),
    ...rows,
    rejected: rejected.length,
    warnings: warnings.length,
    unlistedProjects: unlistedProjects.length,
    prunedProjects: prunedProjects.length,
    keptCuratedProjects: keptCuratedProjects.length,
    changes: changes.length,
  };
}

/** Adds `import cordis <folder-or-zip>` (options validated with zod before any work) to the program. */
export function registerImportCommand(program: Command, services: CliServices): void {
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
    .option("--strict", "fail the whole run (write nothing) when any value is rejected")
    .option(
      "--prune",
      "remove the projects of the export's sources that this (unfiltered) export no longer lists; without it they are only reported",
    )
    .option("--changes", "list every changed record (project or participation) after the report")
    .action(async (location: string, rawOptions: Record<string, unknown>) => {
      const parsed = cordisOptions.safeParse(rawOptions);
      if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join("; "));
      const options = parsed.data;
      const countries = readCountryReference(path.join(defaultSeedDir(), "reference"));
      await withDatabase(services, async (db, _config, log) => {
        const progress = createProgressReporter();
        // Ctrl-C or SIGTERM rolls the import's transaction back; main.ts then exits with 130.
        const interruption = new AbortController();
        const interrupt = () => interruption.abort();
        process.once("SIGINT", interrupt);
        process.once("SIGTERM", interrupt);
        const report = await runCordisImport(
          db.driver,
          db.database,
          path.resolve(location),
          {
            ...options,
            topicPrefixes: options.topics,
            countries,
            onProgress: (p) => progress.update(p),
            signal: interruption.signal,
          },
          log,
        ).finally(() => {
          process.removeListener("SIGINT", interrupt);
          process.removeListener("SIGTERM", interrupt);
          progress.stop();
        });
        process.stdout.write(`${JSON.stringify(importSummary(report), null, 2)}\n`);
        for (const problem of report.rejected) process.stderr.write(`rejected ${formatProblem(problem)}\n`);
        for (const problem of report.warnings) process.stderr.write(`warning ${formatProblem(problem)}\n`);
        for (const id of report.unlistedProjects) {
          const fate = report.prunedProjects.includes(id)
            ? "removed (--prune)"
            : report.keptCuratedProjects.includes(id)
              ? "kept: curated data refers to it"
              : "kept (use --prune to remove it)";
          process.stderr.write(`unlisted ${id}: no longer in the export; ${fate}\n`);
        }
        if (options.changes) {
          for (const change of report.changes)
            process.stdout.write(
              `${change.change} ${change.id}${change.detail ? `: ${change.detail}` : ""}\n`,
            );
        }
      });
    });
}
