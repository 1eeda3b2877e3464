import path from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { readLensDir, readLensFile } from "../classify/lens-file.js";
import { type RunCordisImportReport, runCordisImport } from "../import/cordis/run-cordis-import.js";
import { DEFAULT_CSV_LIMITS } from "../import/csv-records.js";
import {
  type OpenAireImportReport,
  type RunOpenAireImportOptions,
  runOpenAireImport,
} from "../import/openaire/run-openaire-import.js";
import { createProgressReporter } from "../import/progress.js";
import { readCountryReference } from "../import/seed/countries.js";
import { defaultSeedDir } from "../import/seed/load-seed.js";
import { formatProblem } from "../util/input-problems.js";
import { type CliServices, withWritingDatabase } from "./services.js";

/** A whole number >= 1 given as text by commander, or undefined (the default limit applies). */
const limitOption = (name: string) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const number = Number(value);
      if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < 1) {
        ctx.addIssue({ code: "custom", message: `${name} must be a whole number >= 1, got ${value}` });
        return z.NEVER;
      }
      return number;
    });

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
  maxFileMb: limitOption("--max-file-mb"),
  maxRowChars: limitOption("--max-row-chars"),
  maxFieldChars: limitOption("--max-field-chars"),
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

const list = (value: unknown) =>
  typeof value === "string"
    ? value
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean)
    : undefined;

/** The lens of --lens: a lens id of seed/lenses (e.g. atlas) or a lens file. */
function lensOption(value: string) {
  if (/\.ya?ml$/i.test(value)) return readLensFile(path.resolve(value), process.cwd());
  const lens = readLensDir(path.join(defaultSeedDir(), "lenses"), process.cwd()).find(
    (l) => l.lens === value,
  );
  if (!lens) throw new Error(`--lens ${value}: no such lens in seed/lenses (give a lens id or a .yaml file)`);
  return lens;
}

function registerOpenAireCommand(importCommand: Command, services: CliServices): void {
  importCommand
    .command("openaire")
    .description(
      "import an OpenAIRE Graph dump (project file, or a folder with project/, organization/ and relation/ parts; gzip'd JSON lines or plain), any dump generation; validated first, staged in batches no reader sees, then published in one transaction",
    )
    .argument("<file-or-folder>", "the dump")
    .option(
      "--funder <shortNames>",
      "only projects of these OpenAIRE funders (comma-separated short names, e.g. NIH,ANR)",
    )
    .option(
      "--match <regex>",
      "only projects whose title, acronym, keywords, subjects or summary match (case-insensitive)",
    )
    .option(
      "--lens <id-or-file>",
      "only projects that this topic lens links to one of its topics (e.g. atlas)",
    )
    .option(
      "--tier <tiers>",
      "with --lens: only projects in these relevance tiers instead (e.g. CORE,BIOMEDICAL)",
    )
    .option("--dump-version <version>", "the dump's version as published (e.g. 10.0.0), stated on the Source")
    .option("--batch-size <n>", "projects per staging transaction (the publish is always one)", "5000")
    .option("--dry-run", "validate and report, write nothing")
    .option("--strict", "fail the whole run (write nothing) when any record is rejected")
    .option(
      "--prune",
      "remove the OpenAIRE projects that this unfiltered dump no longer lists (kept when curated data refers to them)",
    )
    .option("--changes", "list every changed record after the report")
    .action(async (location: string, raw: Record<string, unknown>) => {
      const options = openAireOptions(raw);
      await withWritingDatabase(services, !options.dryRun, async (db, _config, log) => {
        const progress = createProgressReporter();
        // Ctrl-C or SIGTERM rolls back the transaction in progress and removes the run's staging, so
        // the graph is as before; main.ts then exits with 130.
        const report = await untilInterrupted((signal) =>
          runOpenAireImport(
            db.driver,
            db.database,
            path.resolve(location),
            { ...options, onProgress: (p) => progress.update(p), signal },
            log,
          ),
        ).finally(() => progress.stop());
        printOpenAireReport(report, Boolean(raw.changes));
      });
    });
}

/**
 * The run options of `import openaire` from commander's raw option values (strings and booleans),
 * with the countries of seed/reference. Checked in this order before the database is opened; throws
 * an Error naming the option (`--match`, `--batch-size`, `--lens`) on a bad value.
 */
function openAireOptions(raw: Record<string, unknown>): Omit<RunOpenAireImportOptions, "onProgress"> {
  let match: RegExp | undefined;
  if (typeof raw.match === "string") {
    try {
      match = new RegExp(raw.match, "i");
    } catch (error) {
      throw new Error(`--match is not a valid regular expression: ${(error as Error).message}`);
    }
  }
  const batchSize = Number(raw.batchSize);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`--batch-size must be a whole number >= 1, got ${String(raw.batchSize)}`);
  const lens = typeof raw.lens === "string" ? lensOption(raw.lens) : undefined;
  const countries = readCountryReference(path.join(defaultSeedDir(), "reference"));
  return {
    countries,
    funders: list(raw.funder),
    match,
    lens,
    tiers: list(raw.tier),
    dumpVersion: typeof raw.dumpVersion === "string" ? raw.dumpVersion : undefined,
    batchSize,
    dryRun: Boolean(raw.dryRun),
    strict: Boolean(raw.strict),
    prune: Boolean(raw.prune),
  };
}

/**
 * Prints the report of `import openaire`: the summary as JSON on stdout (run times as ISO strings,
 * status DRY_RUN when nothing was written; rejected, warnings and changes as counts), each rejected
 * record and warning on stderr, and with `showChanges` each changed record on stdout.
 */
function printOpenAireReport(report: OpenAireImportReport, showChanges: boolean): void {
  const { rejected, warnings, changes, run, unlistedProjects, prunedProjects, keptCuratedProjects, ...rest } =
    report;
  const summary = {
    ...(run
      ? { ...run, startedAt: run.startedAt.toISOString(), finishedAt: run.finishedAt.toISOString() }
      : { status: "DRY_RUN" }),
    ...rest,
    rejected: rejected.length,
    warnings: warnings.length,
    unlistedProjects: unlistedProjects.length,
    prunedProjects: prunedProjects.length,
    keptCuratedProjects: keptCuratedProjects.length,
    changes: changes.length,
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  for (const problem of rejected) process.stderr.write(`rejected ${formatProblem(problem)}\n`);
  for (const problem of warnings) process.stderr.write(`warning ${formatProblem(problem)}\n`);
  for (const id of unlistedProjects) {
    const fate = prunedProjects.includes(id)
      ? "removed (--prune)"
      : keptCuratedProjects.includes(id)
        ? "kept: curated data refers to it"
        : "kept (use --prune to remove it)";
    process.stderr.write(`unlisted ${id}: no longer in the dump; ${fate}\n`);
  }
  if (showChanges)
    for (const change of changes)
      process.stdout.write(`${change.change} ${change.id}${change.detail ? `: ${change.detail}` : ""}\n`);
}

/** Adds `import cordis <folder-or-zip>` (options validated with zod before any work) to the program. */
export function registerImportCommand(program: Command, services: CliServices): void {
  const importCommand = program.command("import").description("import public data into the graph");
  registerOpenAireCommand(importCommand, services);
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
    .option(
      "--max-file-mb <n>",
      `refuse a file (a zip entry as inflated) larger than this (default ${DEFAULT_CSV_LIMITS.maxFileBytes / 1024 / 1024})`,
    )
    .option(
      "--max-row-chars <n>",
      `refuse a file with a row longer than this (default ${DEFAULT_CSV_LIMITS.maxRowChars})`,
    )
    .option(
      "--max-field-chars <n>",
      `refuse a file with a field longer than this (default ${DEFAULT_CSV_LIMITS.maxFieldChars})`,
    )
    .action(async (location: string, rawOptions: Record<string, unknown>) => {
      const parsed = cordisOptions.safeParse(rawOptions);
      if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join("; "));
      const options = parsed.data;
      const countries = readCountryReference(path.join(defaultSeedDir(), "reference"));
      await withWritingDatabase(services, !options.dryRun, async (db, _config, log) => {
        const progress = createProgressReporter();
        // Ctrl-C or SIGTERM rolls the import's transaction back; main.ts then exits with 130.
        const report = await untilInterrupted((signal) =>
          runCordisImport(
            db.driver,
            db.database,
            path.resolve(location),
            {
              ...options,
              topicPrefixes: options.topics,
              limits: {
                ...(options.maxFileMb && { maxFileBytes: options.maxFileMb * 1024 * 1024 }),
                ...(options.maxRowChars && { maxRowChars: options.maxRowChars }),
                ...(options.maxFieldChars && { maxFieldChars: options.maxFieldChars }),
              },
              countries,
              onProgress: (p) => progress.update(p),
              signal,
            },
            log,
          ),
        ).finally(() => progress.stop());
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

/** An interrupted import command exits at the latest this long after the signal. */
const INTERRUPT_EXIT_MS = 4_500;

/**
 * Runs `work` with an AbortSignal that SIGINT or SIGTERM aborts, for as long as `work` runs; resolves
 * or rejects as `work` does. `on`, not `once`: Ctrl-C through `npm run cli` arrives twice (the
 * terminal's and npm's forwarded copy), and a second signal without a listener would kill the process
 * before the import's rollback.
 */
async function untilInterrupted<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const interruption = new AbortController();
  const interrupt = () => {
    if (interruption.signal.aborted) return;
    interruption.abort();
    // The import asks Neo4j to terminate its transaction and waits for the rollback; should anything
    // still hold the process after this, it ends all the same (unref: never the reason to stay alive).
    setTimeout(() => {
      process.stderr.write(
        "interrupted: the rollback did not finish in time; Neo4j was asked to terminate the transaction\n",
      );
      process.exit(130);
    }, INTERRUPT_EXIT_MS).unref();
  };
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", interrupt);
  try {
    return await work(interruption.signal);
  } finally {
    process.removeListener("SIGINT", interrupt);
    process.removeListener("SIGTERM", interrupt);
  }
}
