import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Papa from "papaparse";
import { defaultSeedDir } from "../../src/import/seed/load-seed.js";
import { readCordisCsv } from "./cordis-files.js";

export const HORIZON_DIR = path.join(defaultSeedDir(), "cordis", "horizon");

/**
 * A copy of seed/cordis/horizon in a temporary folder that a test changes: the rows are read with
 * papaparse (not the importer's parser) and written back as CORDIS writes them (`;`, every field
 * quoted), remembering the line each record starts on, so that a test knows the line an error names.
 */
export class CordisCopy {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), "atlas-cordis-copy-"));
  /** The line (1 = header) each record of a file written by `write` starts on. */
  readonly lines = new Map<string, number[]>();

  constructor(from = HORIZON_DIR) {
    cpSync(from, this.dir, { recursive: true });
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  read(name: string): Record<string, string>[] {
    return readCordisCsv(this.file(name));
  }

  /** Writes the records with the columns of the original file, in order. */
  write(name: string, rows: Record<string, string>[]): void {
    const header = readFileSync(path.join(HORIZON_DIR, name), "utf8")
      .replace(/^\uFEFF/, "")
      .split(/\r?\n/)[0]!;
    const columns = Papa.parse<string[]>(header, { delimiter: ";" }).data[0]!;
    const parts = [Papa.unparse([columns], { delimiter: ";", quotes: true, newline: "\n" })];
    const lines: number[] = [];
    let line = 2;
    for (const row of rows) {
      const text = Papa.unparse([columns.map((column) => row[column] ?? "")], {
        delimiter: ";",
        quotes: true,
        newline: "\n",
      });
      lines.push(line);
      line += text.split("\n").length;
      parts.push(text);
    }
    writeFileSync(this.file(name), `${parts.join("\n")}\n`);
    this.lines.set(name, lines);
  }

  sha256(name: string): string {
    return createHash("sha256")
      .update(readFileSync(this.file(name)))
      .digest("hex");
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A participation's identity in the files: project, organisation and order. */
export const participationKey = (row: Record<string, string>) =>
  `${row.projectID}|${row.organisationID}|${row.order}`;

/**
 * What a re-import must change, computed from two versions of organization.csv and project.csv (the
 * files, not the importer): participations added, removed, changed (role or an amount), and the
 * projects whose row or participations differ.
 */
export function expectedChanges(
  before: { projects: Record<string, string>[]; organisations: Record<string, string>[] },
  after: { projects: Record<string, string>[]; organisations: Record<string, string>[] },
) {
  const byKey = (rows: Record<string, string>[]) => new Map(rows.map((row) => [participationKey(row), row]));
  const old = byKey(before.organisations);
  const now = byKey(after.organisations);
  const touched = new Set<string>();
  let added = 0;
  let removed = 0;
  let changed = 0;
  for (const [key, row] of now) {
    const was = old.get(key);
    if (!was) {
      added++;
      touched.add(row.projectID!);
    } else if (
      ["role", "ecContribution", "netEcContribution", "totalCost"].some(
        (column) => was[column] !== row[column],
      )
    ) {
      changed++;
      touched.add(row.projectID!);
    }
  }
  for (const [key, row] of old) {
    if (!now.has(key)) {
      removed++;
      touched.add(row.projectID!);
    }
  }
  const oldProjects = new Map(before.projects.map((row) => [row.id!, JSON.stringify(row)]));
  const newProjects = new Map(after.projects.map((row) => [row.id!, JSON.stringify(row)]));
  let projectsAdded = 0;
  for (const [id, row] of newProjects) {
    if (!oldProjects.has(id)) projectsAdded++;
    else if (oldProjects.get(id) !== row) touched.add(id);
  }
  const updated = [...touched].filter((id) => oldProjects.has(id) && newProjects.has(id)).length;
  return {
    projectsAdded,
    projectsUpdated: updated,
    participationsAdded: added,
    participationsRemoved: removed,
    participationsChanged: changed,
  };
}
