import { readFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { type CurationReport, checkWorkbook, loadWorkbook } from "../curate/load-workbook.js";
import { formatWorkbookProblem, WorkbookRefusedError } from "../curate/read-workbook.js";
import { writeTemplate } from "../curate/template.js";
import { type CliServices, withDatabase, withWritingDatabase } from "./services.js";

/** What a person reads on the terminal: problems one per line, then matches and changes. */
function printReport(report: CurationReport): void {
  const lines: string[] = [];
  for (const problem of report.problems) lines.push(problem);
  for (const m of report.matches) lines.push(`${m.sheet}!${m.cell}: "${m.text}" is ${m.id} (${m.name})`);
  for (const r of report.alreadyRecorded)
    lines.push(`${r.sheet}!A${r.row}: already recorded by another source: ${r.record}`);
  for (const c of report.changes)
    lines.push(
      `${c.change} ${c.record}${c.sheet ? ` (${c.sheet}${c.row ? `!A${c.row}` : ""})` : ""}${c.detail ? `: ${c.detail}` : ""}`,
    );
  if (lines.length) process.stderr.write(`${lines.join("\n")}\n`);
  const { changes: _changes, matches: _matches, problems, alreadyRecorded: _recorded, ...summary } = report;
  process.stdout.write(`${JSON.stringify({ ...summary, problems: problems.length })}\n`);
}

/** Adds `curate template <dir>`, `curate check <file>` and `curate load <file>`. */
export function registerCurateCommand(program: Command, services: CliServices): void {
  const curate = program
    .command("curate")
    .description("keep the landscape current from curated spreadsheets (XLSX): template, check, load");
  curate
    .command("template")
    .description(
      "write the curation workbook (curation-template.xlsx) and the same sheets as CSV into a folder",
    )
    .argument("<dir>", "the folder to write into (created if missing)")
    .action(async (dir: string) => {
      for (const file of await writeTemplate(path.resolve(dir))) process.stdout.write(`${file}\n`);
    });
  curate
    .command("check")
    .description(
      "check every cell of a workbook against the atlas and list the changes a load would make; writes nothing",
    )
    .argument("<file>", "the workbook (.xlsx)")
    .action(async (file: string) => {
      const bytes = readFileSync(file);
      await withDatabase(services, async (db) => {
        const report = await checkWorkbook(db.driver, db.database, bytes, path.basename(file));
        printReport(report);
        if (report.status === "REFUSED") process.exitCode = 1;
      });
    });
  curate
    .command("load")
    .description(
      "check a workbook and write what it states in one transaction (mirror semantics); a second load of the same workbook changes nothing",
    )
    .argument("<file>", "the workbook (.xlsx)")
    .action(async (file: string) => {
      const bytes = readFileSync(file);
      await withWritingDatabase(services, true, async (db) => {
        try {
          printReport(await loadWorkbook(db.driver, db.database, bytes, path.basename(file)));
        } catch (error) {
          if (!(error instanceof WorkbookRefusedError)) throw error;
          process.stderr.write(`${error.problems.map(formatWorkbookProblem).join("\n")}\n`);
          process.stderr.write(`${error.problems.length} problem(s); nothing was written\n`);
          process.exitCode = 1;
        }
      });
    });
}
