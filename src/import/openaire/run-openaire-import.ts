import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Driver, Session } from "neo4j-driver";
import { applyLenses, storedLenses } from "../../classify/apply-lenses.js";
import { bumpDataVersion } from "../../db/data-version.js";
import type { Logger } from "../../util/logger.js";
import {
  type ChangeCounts,
  diffSnapshots,
  noChanges,
  type RecordChange,
  snapshotProjects,
} from "../cordis/mirror.js";
import { displayLocation } from "../cordis/run-cordis-import.js";
import {
  mergeNodes,
  mergeRelationships,
  type RelationshipRow,
  type WriteTransaction,
} from "../graph-writer.js";
import { type ImportRunRecord, newImportRunId, writeImportRun } from "../import-run.js";
import { type InputProblem, InputValidationError } from "../problems.js";
import type { ImportPhase } from "../progress.js";
import type { CountryReference } from "../seed/countries.js";
import { type OpenAireFilterOptions, projectFilter } from "./openaire-filters.js";
import {
  countryCode,
  fundedUnder,
  funderId,
  funderRow,
  OPENAIRE_DOI,
  OPENAIRE_SOURCE,
  organisationId,
  organisationRow,
  programmeRows,
  projectId,
  projectRow,
} from "./openaire-graph-rows.js";
import {
  type DumpLayout,
  type OpenAireFunding,
  type OpenAireOrganisation,
  type OpenAireProject,
  readOrganisationRecord,
  readProjectRecord,
  readRelationRecord,
} from "./openaire-record.js";
import { type DumpFile, listDumpFiles, readDumpLines } from "./openaire-source.js";

export interface RunOpenAireImportOptions extends OpenAireFilterOptions {
  countries: CountryReference;
  dryRun: boolean;
  /** Any rejected record fails the whole run before anything is written. */
  strict: boolean;
  /** The dump's version as published (e.g. "10.0.0"), stated on the Source; null when not given. */
  dumpVersion?: string | undefined;
  /** Projects per write transaction (default 5,000). */
  batchSize?: number | undefined;
  displayRoot?: string | undefined;
  onProgress?: (progress: {
    file: string;
    bytes: number;
    totalBytes: number;
    rows: number;
    phase: ImportPhase;
  }) => void;
  /** Called after each project batch committed (tests use it to kill an import between batches). */
  onBatchCommitted?: (batch: { index: number; projects: number }) => void | Promise<void>;
}

export interface OpenAireImportReport {
  dryRun: boolean;
  files: { file: string; rows: number; sha256: string }[];
  rowsRead: number;
  /** Project records by dump generation (see openaire-record.ts). */
  layouts: Partial<Record<DumpLayout, number>>;
  /** Project records kept by the filters (and written, unless a dry run). */
  projects: number;
  /** Project records valid but not kept by --funder, --match, --lens/--tier. */
  filteredOut: number;
  /**
   * Projects of the European Commission (funder EC): not imported, because CORDIS is the source of
   * record for them and the same grant would be counted twice under two ids.
   */
  skippedEuropeanCommission: number;
  funders: number;
  programmes: number;
  organisations: number;
  participations: number;
  /** OpenAIRE funders linked (SAME_AS) to a curated funder, with the evidence. */
  funderMatches: { funder: string; curated: string; evidence: string }[];
  rejected: InputProblem[];
  warnings: InputProblem[];
  counts: ChangeCounts;
  changes: RecordChange[];
  /** Write transactions committed (project batches plus the set-up and closing ones). */
  transactions: number;
  run: ImportRunRecord | undefined;
}

/** A stage file of kept records (JSON lines): what the write pass reads, so memory never holds the dump. */
class StageFile {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), "permed-openaire-"));
  readonly file = path.join(this.dir, "projects.jsonl");
  private readonly out = createWriteStream(this.file);
  async write(project: OpenAireProject): Promise<void> {
    if (!this.out.write(`${JSON.stringify(project)}\n`)) await once(this.out, "drain");
  }
  async close(): Promise<void> {
    this.out.end();
    await once(this.out, "finish");
  }
  async *read(): AsyncGenerator<OpenAireProject> {
    for await (const line of createInterface({ input: createReadStream(this.file) }))
      if (line) yield JSON.parse(line) as OpenAireProject;
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const EC = "EC";

/**
 * With --funder, a test on the raw line that every record of those funders passes: a record of another
 * funder is then counted as filtered out without being parsed (most of the dump, so this is what makes
 * a filtered import fast). It is a superset test: the record is parsed and filtered exactly afterwards.
 * It relies on the dump writing short names as plain JSON text (not \u escapes), as it does.
 */
export function funderPrefilter(funders: string[] | undefined): RegExp | null {
  if (!funders?.length) return null;
  const names = funders.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  return new RegExp(`"shortName"\\s*:\\s*"(?:${names})"`, "i");
}

/** What pass 1 gathers: the report's counts so far, the problems, and the kept records' links. */
interface StagingState {
  report: Pick<
    OpenAireImportReport,
    "files" | "rowsRead" | "layouts" | "projects" | "filteredOut" | "skippedEuropeanCommission"
  >;
  rejected: InputProblem[];
  warnings: InputProblem[];
  /** Kept project openaire id -> where it was read (for duplicates and relation warnings). */
  kept: Map<string, { file: string; line: number }>;
  /** Funder short name -> fundings seen (distinct stream ids), for funders and programmes. */
  fundings: Map<string, OpenAireFunding[]>;
  /** Kept project openaire id -> organisation openaire ids taking part. */
  participants: Map<string, Set<string>>;
  /** Organisation openaire id -> organisation, every one the dump describes. */
  organisations: Map<string, OpenAireOrganisation>;
}

/** Records a rejected record of the file being read: line (1-based), field and reason. */
type Reject = (line: number, field: string, reason: string) => void;

/**
 * One project record (`parsed`, JSON of line `line` of `file`): rejected when invalid or listed twice;
 * skipped when of the European Commission (CORDIS is its source of record); counted filtered out when
 * `keep` refuses it; else its warnings and fundings are noted and it is written to `stage`.
 */
async function stageProject(
  state: StagingState,
  file: DumpFile,
  line: number,
  parsed: unknown,
  keep: (project: OpenAireProject) => boolean,
  stage: StageFile,
  reject: Reject,
): Promise<void> {
  const { report, kept, fundings } = state;
  const result = readProjectRecord(parsed);
  if (!result.ok) {
    reject(line, result.problem.field, result.problem.reason);
    return;
  }
  const project = result.value;
  report.layouts[project.layout] = (report.layouts[project.layout] ?? 0) + 1;
  if (project.fundings.some((f) => f.shortName === EC)) {
    report.skippedEuropeanCommission++;
    return;
  }
  if (!keep(project)) {
    report.filteredOut++;
    return;
  }
  const earlier = kept.get(project.openaireId);
  if (earlier) {
    reject(
      line,
      "id",
      `project ${project.openaireId} is listed twice (first at ${earlier.file}:${earlier.line})`,
    );
    return;
  }
  kept.set(project.openaireId, { file: file.displayName, line });
  for (const warning of result.warnings)
    state.warnings.push({ file: file.displayName, line, field: warning.field, reason: warning.reason });
  for (const funding of project.fundings) {
    const list = fundings.get(funding.shortName) ?? [];
    if (!list.some((f) => f.streamId === funding.streamId)) list.push(funding);
    fundings.set(funding.shortName, list);
  }
  report.projects++;
  await stage.write(project);
}

/** One relation record: rejected when invalid; a participation of a kept project is noted, others ignored. */
function stageRelation(state: StagingState, line: number, parsed: unknown, reject: Reject): void {
  const result = readRelationRecord(parsed);
  if (!result.ok) {
    reject(line, result.problem.field, result.problem.reason);
    return;
  }
  if (!result.value || !state.kept.has(result.value.project)) return;
  const set = state.participants.get(result.value.project) ?? new Set<string>();
  set.add(result.value.organisation);
  state.participants.set(result.value.project, set);
}

/** One organisation record of `file`: rejected when invalid, else kept with its warnings. */
function stageOrganisation(
  state: StagingState,
  file: DumpFile,
  line: number,
  parsed: unknown,
  reject: Reject,
): void {
  const result = readOrganisationRecord(parsed);
  if (!result.ok) {
    reject(line, result.problem.field, result.problem.reason);
    return;
  }
  state.organisations.set(result.value.openaireId, result.value);
  for (const warning of result.warnings)
    state.warnings.push({ file: file.displayName, line, field: warning.field, reason: warning.reason });
}

/**
 * Reads one dump file line by line into `state` (a line that is not JSON is rejected as field "(json)"),
 * reporting progress (bytes of the file, rows read) every 1,000 rows and at the end, and adds the file
 * (rows, sha256 of its bytes) to the report.
 */
async function stageDumpFile(
  state: StagingState,
  file: DumpFile,
  options: RunOpenAireImportOptions,
  stage: StageFile,
  keep: (project: OpenAireProject) => boolean,
  quick: RegExp | null,
): Promise<void> {
  const { report } = state;
  let rows = 0;
  const { lines, digest } = readDumpLines(file, (bytes) => {
    if (rows % 1000 === 0)
      options.onProgress?.({
        file: file.displayName,
        bytes,
        totalBytes: file.size,
        rows,
        phase: "validate",
      });
  });
  const reject: Reject = (line, field, reason) =>
    state.rejected.push({ file: file.displayName, line, field, reason });
  for await (const { line, text } of lines) {
    rows++;
    if (quick && file.part === "project" && !quick.test(text)) {
      report.filteredOut++;
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      reject(line, "(json)", (error as Error).message);
      continue;
    }
    if (file.part === "project") await stageProject(state, file, line, parsed, keep, stage, reject);
    else if (file.part === "relation") stageRelation(state, line, parsed, reject);
    else stageOrganisation(state, file, line, parsed, reject);
  }
  const sha256 = digest();
  report.files.push({ file: file.displayName, rows, sha256 });
  report.rowsRead += rows;
  options.onProgress?.({
    file: file.displayName,
    bytes: file.size,
    totalBytes: file.size,
    rows,
    phase: "validate",
  });
}

/**
 * The organisations that take part in a kept project and that the organisation files describe. A
 * participant that they do not describe has no name, so its participation is removed from
 * `state.participants` and a warning (at the project's file and line) says so.
 */
function participatingOrganisations(state: StagingState): Map<string, OpenAireOrganisation> {
  const needed = new Map<string, OpenAireOrganisation>();
  for (const [project, orgs] of state.participants) {
    for (const org of orgs) {
      const organisation = state.organisations.get(org);
      if (organisation) needed.set(org, organisation);
      else {
        orgs.delete(org);
        state.warnings.push({
          file: state.kept.get(project)!.file,
          line: state.kept.get(project)!.line,
          field: "relation",
          reason: `participant ${org} of project ${project} is in no organisation file: participation left out`,
        });
      }
    }
  }
  return needed;
}

/**
 * Pass 1 (nothing written): reads every file once (projects, then relations, then organisations),
 * validates each record (file, line, field named), filters, and stages the kept projects in a
 * temporary file; relations and organisations of kept projects are kept in memory (they are few once
 * filtered). Invalid records are collected in `rejected`, never thrown; read errors are thrown.
 */
async function validateAndStage(files: DumpFile[], options: RunOpenAireImportOptions, stage: StageFile) {
  const keep = projectFilter(options);
  const quick = funderPrefilter(options.funders);
  const state: StagingState = {
    report: {
      files: [],
      rowsRead: 0,
      layouts: {},
      projects: 0,
      filteredOut: 0,
      skippedEuropeanCommission: 0,
    },
    rejected: [],
    warnings: [],
    kept: new Map(),
    fundings: new Map(),
    participants: new Map(),
    organisations: new Map(),
  };
  const order: Record<DumpFile["part"], number> = { project: 0, relation: 1, organization: 2 };
  for (const file of [...files].sort((a, b) => order[a.part] - order[b.part]))
    await stageDumpFile(state, file, options, stage, keep, quick);
  const needed = participatingOrganisations(state);
  const { report, rejected, warnings, fundings, participants } = state;
  const hasRelations = files.some((f) => f.part === "relation");
  return { report, rejected, warnings, fundings, participants, organisations: needed, hasRelations };
}

type Stage = Awaited<ReturnType<typeof validateAndStage>>;

/**
 * Curated funders (not from OpenAIRE) that are the same body as an OpenAIRE funder, on evidence only:
 * the curated acronym equals the OpenAIRE short name AND the curated funder is based in the OpenAIRE
 * jurisdiction (or both are the European Commission with jurisdiction EU). Two curated candidates
 * are ambiguous and link neither (a warning). Names alone are never enough.
 */
async function matchCuratedFunders(
  tx: WriteTransaction,
  funders: { shortName: string; jurisdiction: string | null; name: string }[],
) {
  const result = await tx.run(
    `UNWIND $funders AS f
     MATCH (c:Funder) WHERE c.acronym = f.shortName AND NOT c.id STARTS WITH 'funder:openaire:'
       AND ((f.country IS NOT NULL AND EXISTS { (c)-[:BASED_IN]->(:Country {code: f.country}) })
         OR (f.jurisdiction = 'EU' AND c.kind = 'EUROPEAN_COMMISSION'))
     RETURN f.shortName AS shortName, collect(c.id) AS curated, collect(c.name) AS names`,
    {
      funders: funders.map((f) => ({
        shortName: f.shortName,
        jurisdiction: f.jurisdiction,
        country: countryCode(f.jurisdiction),
      })),
    },
  );
  return result.records.map((r) => ({
    shortName: r.get("shortName") as string,
    curated: r.get("curated") as string[],
  }));
}

/**
 * Runs `work` in one write transaction of `session` (time-out 30 min, metadata naming `job`), committed
 * when it resolves and rolled back when it throws (the error is rethrown). `count` is the number of
 * transactions committed so far.
 */
function transactionRunner(session: Session) {
  let transactions = 0;
  const inTransaction = async <T>(job: string, work: (tx: WriteTransaction) => Promise<T>): Promise<T> => {
    const tx = session.beginTransaction({
      timeout: 30 * 60 * 1000,
      metadata: { app: "permed-atlas", job: `import openaire: ${job}`, pid: process.pid },
    });
    try {
      const result = await work(tx);
      await tx.commit();
      transactions++;
      return result;
    } catch (error) {
      if (tx.isOpen()) await tx.rollback();
      throw error;
    }
  };
  return { inTransaction, count: () => transactions };
}

type InTransaction = ReturnType<typeof transactionRunner>["inTransaction"];

/** Merges the OpenAIRE Source node, with the dump's version (when given) in its title and `version`. */
async function writeSource(tx: WriteTransaction, dumpVersion: string | undefined): Promise<void> {
  await mergeNodes(
    tx,
    ["Source"],
    [
      {
        id: OPENAIRE_SOURCE,
        properties: {
          title: `OpenAIRE Graph dump: projects${dumpVersion ? `, version ${dumpVersion}` : ""}`,
          url: `https://doi.org/${OPENAIRE_DOI}`,
          publisher: "OpenAIRE (CC BY 4.0)",
          kind: "DATASET",
          doi: OPENAIRE_DOI,
          license: "CC BY 4.0",
          version: dumpVersion ?? null,
        },
      },
    ],
  );
}

/**
 * Merges the funders (the first funding seen of each short name), their programmes, BASED_IN (to a
 * country of the reference only), FUNDED_BY and PART_OF. Returns the funders by short name and the
 * SOURCED_FROM rows of funders and programmes (written later, with the organisations').
 */
async function writeFundersAndProgrammes(
  tx: WriteTransaction,
  stage: Stage,
  countries: CountryReference,
  countryIds: ReadonlySet<string>,
) {
  const fundings = [...stage.fundings.values()].flat();
  const firstOf = new Map(fundings.map((f) => [f.shortName, f]));
  await mergeNodes(tx, ["Funder"], [...firstOf.values()].map(funderRow));
  const programmes = new Map(fundings.flatMap(programmeRows).map((row) => [row.id, row]));
  await mergeNodes(tx, ["Programme"], [...programmes.values()]);
  const sourced: RelationshipRow[] = [
    ...[...firstOf.keys()].map((shortName) => ({ from: funderId(shortName), to: OPENAIRE_SOURCE })),
    ...[...programmes.keys()].map((id) => ({ from: id, to: OPENAIRE_SOURCE })),
  ];
  const basedIn = [...firstOf.values()]
    .map((f) => ({ from: funderId(f.shortName), to: `country:${countryCode(f.jurisdiction)}` }))
    .filter((r) => countryIds.has(r.to));
  await ensureCountries(tx, countries, [...basedIn.map((r) => r.to)]);
  await mergeRelationships(tx, "BASED_IN", basedIn);
  await mergeRelationships(
    tx,
    "FUNDED_BY",
    [...programmes.values()].map((p) => ({ from: p.id, to: p.funder })),
  );
  await mergeRelationships(
    tx,
    "PART_OF",
    [...programmes.values()].filter((p) => p.parent).map((p) => ({ from: p.id, to: p.parent! })),
  );
  return { firstOf, sourced };
}

/**
 * Merges the participating organisations and LOCATED_IN (to a country of the reference only).
 * Returns their SOURCED_FROM rows.
 */
async function writeOrganisations(
  tx: WriteTransaction,
  stage: Stage,
  countries: CountryReference,
  countryIds: ReadonlySet<string>,
): Promise<RelationshipRow[]> {
  const orgs = [...stage.organisations.values()];
  await mergeNodes(tx, ["Organisation"], orgs.map(organisationRow));
  const sourced = orgs.map((o) => ({ from: organisationId(o.openaireId), to: OPENAIRE_SOURCE }));
  const located = orgs
    .map((o) => ({ from: organisationId(o.openaireId), to: `country:${o.countryCode}` }))
    .filter((r) => countryIds.has(r.to));
  await ensureCountries(
    tx,
    countries,
    located.map((r) => r.to),
  );
  await mergeRelationships(tx, "LOCATED_IN", located);
  return sourced;
}

/**
 * Links each OpenAIRE funder (`firstOf`, by short name) to the one curated funder that is the same
 * body (SAME_AS, with the evidence); a funder matching several is linked to none and a warning is
 * added to `stage.warnings`. Returns the links made.
 */
async function linkCuratedFunders(
  tx: WriteTransaction,
  firstOf: Map<string, OpenAireFunding>,
  stage: Stage,
): Promise<OpenAireImportReport["funderMatches"]> {
  const matches = await matchCuratedFunders(tx, [...firstOf.values()]);
  const links: OpenAireImportReport["funderMatches"] = [];
  for (const match of matches) {
    const funding = firstOf.get(match.shortName)!;
    if (match.curated.length !== 1) {
      stage.warnings.push({
        file: "(funders)",
        line: undefined,
        field: "shortName",
        reason: `OpenAIRE funder ${match.shortName} matches ${match.curated.length} curated funders (${match.curated.join(", ")}): linked to none`,
      });
      continue;
    }
    const evidence =
      funding.jurisdiction === "EU"
        ? `OpenAIRE shortName ${match.shortName} = curated acronym; jurisdiction EU and curated kind EUROPEAN_COMMISSION`
        : `OpenAIRE shortName ${match.shortName} = curated acronym; OpenAIRE jurisdiction ${funding.jurisdiction} = curated BASED_IN country`;
    links.push({ funder: funderId(match.shortName), curated: match.curated[0]!, evidence });
  }
  await mergeRelationships(
    tx,
    "SAME_AS",
    links.map((l) => ({
      from: l.funder,
      to: l.curated,
      properties: { evidence: l.evidence, method: "ACRONYM_AND_COUNTRY" },
    })),
  );
  return links;
}

/**
 * The set-up transaction's work: the Source, funders, programmes, organisations, their SOURCED_FROM,
 * and the evidence of same-body links. Returns the funder matches.
 */
async function writeSetUp(
  tx: WriteTransaction,
  stage: Stage,
  options: RunOpenAireImportOptions,
): Promise<OpenAireImportReport["funderMatches"]> {
  await writeSource(tx, options.dumpVersion);
  const countryIds = new Set(options.countries.nodes.map((n) => n.id));
  const { firstOf, sourced } = await writeFundersAndProgrammes(tx, stage, options.countries, countryIds);
  sourced.push(...(await writeOrganisations(tx, stage, options.countries, countryIds)));
  await mergeRelationships(tx, "SOURCED_FROM", sourced);
  return linkCuratedFunders(tx, firstOf, stage);
}

/**
 * Writes the staged projects in batches of `options.batchSize` (default 5,000) projects, one
 * transaction each, bumping the data version in a batch that changed a project; reports progress
 * (projects written) after each full batch and calls `options.onBatchCommitted`. Returns the change
 * counts and changes measured with the CORDIS importer's snapshots.
 */
async function writeProjectBatches(
  stageFile: StageFile,
  stage: Stage,
  options: RunOpenAireImportOptions,
  inTransaction: InTransaction,
  log: Logger,
): Promise<{ counts: ChangeCounts; changes: RecordChange[] }> {
  const counts = noChanges();
  const changes: RecordChange[] = [];
  const batchSize = options.batchSize ?? 5000;
  let batch: OpenAireProject[] = [];
  let index = 0;
  const writeBatch = async (projects: OpenAireProject[]) => {
    const ids = projects.map(projectId);
    const changed = await inTransaction(`batch ${index + 1}`, async (tx) => {
      const before = await snapshotProjects(tx, ids);
      await writeProjects(tx, projects, stage);
      const after = await snapshotProjects(tx, ids);
      const diff = diffSnapshots(before, after);
      for (const key of Object.keys(counts) as (keyof ChangeCounts)[]) counts[key] += diff.counts[key];
      changes.push(...diff.changes);
      if (diff.changes.length) await bumpDataVersion(tx);
      return diff.changes.length;
    });
    index++;
    log.debug({ batch: index, projects: projects.length, changed }, "openaire batch committed");
    await options.onBatchCommitted?.({ index, projects: projects.length });
  };
  let written = 0;
  for await (const project of stageFile.read()) {
    batch.push(project);
    if (batch.length >= batchSize) {
      await writeBatch(batch);
      written += batch.length;
      options.onProgress?.({
        file: "(staged projects)",
        bytes: written,
        totalBytes: stage.report.projects,
        rows: written,
        phase: "write",
      });
      batch = [];
    }
  }
  if (batch.length) await writeBatch(batch);
  return { counts, changes };
}

/**
 * The closing transaction's work: the lenses re-applied (issue 18), the ImportRun (SUCCEEDED, with
 * the files, rows and change counts) written, the data version bumped. Returns the run.
 */
async function writeClosing(
  tx: WriteTransaction,
  stage: Stage,
  location: string,
  startedAt: Date,
  counts: ChangeCounts,
): Promise<ImportRunRecord> {
  await applyLenses(tx, await storedLenses(tx));
  const record: ImportRunRecord = {
    id: newImportRunId(startedAt),
    source: OPENAIRE_SOURCE,
    location: displayLocation(location),
    startedAt,
    finishedAt: new Date(),
    status: "SUCCEEDED",
    files: stage.report.files,
    rowsRead: stage.report.rowsRead,
    rowsRejected: stage.rejected.length,
    ...counts,
    projectsUnlisted: 0,
  };
  await writeImportRun(tx, record);
  await bumpDataVersion(tx);
  return record;
}

/**
 * The report's counts known after pass 1: files and rows, kept projects, distinct funders, programmes
 * and organisations, participations, problems.
 */
function stagedCounts(stage: Stage) {
  return {
    ...stage.report,
    funders: stage.fundings.size,
    programmes: new Set([...stage.fundings.values()].flat().flatMap((f) => programmeRows(f).map((p) => p.id)))
      .size,
    organisations: stage.organisations.size,
    participations: [...stage.participants.values()].reduce((sum, set) => sum + set.size, 0),
    rejected: stage.rejected,
    warnings: stage.warnings,
  };
}

/**
 * Imports an OpenAIRE Graph dump (issue 21): a project file or a folder with project, organization and
 * relation files (gzip'd JSON lines or plain), of any dump generation.
 *
 * Reads the dump once to validate and filter it (nothing written; with --strict a rejected record stops
 * the run here), staging the kept projects in a temporary file; then writes them in batches of
 * `batchSize` projects, ONE TRANSACTION PER BATCH, so that no transaction holds the dump. What a reader
 * sees (README "OpenAIRE import"): during the write pass the batches committed so far; after a crash
 * the batches committed before it (no ImportRun: a run is written only by the closing transaction);
 * importing the same dump again completes it and changes nothing that is already there. Each batch
 * that changed a project bumps the data version, so caches never serve an answer older than the graph.
 */
export async function runOpenAireImport(
  driver: Driver,
  database: string,
  location: string,
  options: RunOpenAireImportOptions,
  log: Logger,
): Promise<OpenAireImportReport> {
  const startedAt = new Date();
  const files = listDumpFiles(location, options.displayRoot);
  const stageFile = new StageFile();
  try {
    let stage: Stage;
    try {
      stage = await validateAndStage(files, options, stageFile);
    } finally {
      await stageFile.close();
    }
    if (options.strict && stage.rejected.length) throw new InputValidationError(stage.rejected);
    const base = stagedCounts(stage);
    if (options.dryRun)
      return {
        ...base,
        dryRun: true,
        funderMatches: [],
        counts: noChanges(),
        changes: [],
        transactions: 0,
        run: undefined,
      };

    const session = driver.session({ database });
    const { inTransaction, count } = transactionRunner(session);
    try {
      const funderMatches = await inTransaction("funders and programmes", (tx) =>
        writeSetUp(tx, stage, options),
      );
      const { counts, changes } = await writeProjectBatches(stageFile, stage, options, inTransaction, log);
      const run = await inTransaction("closing", (tx) =>
        writeClosing(tx, stage, location, startedAt, counts),
      );
      return { ...base, dryRun: false, funderMatches, counts, changes, transactions: count(), run };
    } finally {
      await session.close();
    }
  } finally {
    stageFile.remove();
  }
}

async function ensureCountries(tx: WriteTransaction, countries: CountryReference, ids: string[]) {
  const wanted = new Set(ids);
  if (!wanted.size) return;
  // An import into a store without the seed still has its countries (code and name), as CORDIS's does.
  const rows = countries.nodes
    .filter((n) => wanted.has(n.id))
    .map((n) => ({ id: n.id, properties: { code: n.properties.code, name: n.properties.name } }));
  await tx.run(
    "UNWIND $rows AS row MERGE (c:Entity {id: row.id}) ON CREATE SET c:Country, c += row.properties",
    { rows },
  );
}

/**
 * Writes one batch of projects with mirror semantics: afterwards each project is FUNDED_UNDER exactly
 * the programmes (of the OpenAIRE Source) its record names and, when the dump has relation files,
 * has exactly the OpenAIRE participations they list. Curated links are never touched. The removals
 * seek each row's project first and expand from it before testing the far node, as the CORDIS
 * importer's UNLISTED_REMOVALS do (a single pattern let the planner scan or seek the far nodes per row).
 */
async function writeProjects(tx: WriteTransaction, projects: OpenAireProject[], stage: Stage): Promise<void> {
  await mergeNodes(tx, ["Project"], projects.map(projectRow));
  const ids = projects.map(projectId);
  await mergeRelationships(
    tx,
    "SOURCED_FROM",
    ids.map((id) => ({ from: id, to: OPENAIRE_SOURCE })),
  );
  const under = projects.map((p) => ({
    id: projectId(p),
    programmes: [...new Set(p.fundings.map(fundedUnder))],
  }));
  await mergeRelationships(
    tx,
    "FUNDED_UNDER",
    under.flatMap((p) => p.programmes.map((to) => ({ from: p.id, to }))),
  );
  await tx.run(
    `UNWIND $rows AS row
     MATCH (n:Entity {id: row.id})
     CALL (n, row) {
       MATCH (n)-[r:FUNDED_UNDER]->(g)
       WHERE 'Programme' IN labels(g) AND NOT g.id IN row.programmes AND EXISTS { (g)-[:SOURCED_FROM]->(:Source {id: $source}) }
       DELETE r
     }`,
    { rows: under, source: OPENAIRE_SOURCE },
  );
  if (!stage.hasRelations) return;
  const participations = projects.map((p) => ({
    id: projectId(p),
    orgs: [...(stage.participants.get(p.openaireId) ?? [])].map(organisationId),
  }));
  await mergeRelationships(
    tx,
    "PARTICIPATES_IN",
    participations.flatMap((p) =>
      p.orgs.map((org) => ({ from: org, to: p.id, properties: { role: "participant" } })),
    ),
  );
  await tx.run(
    `UNWIND $rows AS row
     MATCH (n:Entity {id: row.id})
     CALL (n, row) {
       MATCH (o)-[r:PARTICIPATES_IN]->(n)
       WHERE 'Organisation' IN labels(o) AND o.id STARTS WITH 'openaire-org:' AND NOT o.id IN row.orgs
       DELETE r
     }`,
    { rows: participations },
  );
}
