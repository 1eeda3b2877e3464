import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Driver, Session } from "neo4j-driver";
import { applyLenses, storedLenses } from "../../classify/apply-lenses.js";
import { bumpDataVersion } from "../../db/data-version.js";
import { REL } from "../../model/relationships.js";
import {
  ImportInterruptedError,
  type InputProblem,
  InputValidationError,
  NoValidRowsError,
} from "../../util/input-problems.js";
import type { Logger } from "../../util/logger.js";
import { type ChangeCounts, noChanges, type RecordChange, unlistedProjects } from "../cordis/mirror.js";
import { displayLocation } from "../cordis/run-cordis-import.js";
import {
  mergeNodes,
  mergeRelationships,
  type RelationshipRow,
  type WriteTransaction,
} from "../graph-writer.js";
import { type ImportRunRecord, newImportRunId, writeImportRun } from "../import-run.js";
import type { ImportPhase } from "../progress.js";
import type { CountryReference } from "../seed/countries.js";
import {
  EUROPEAN_COMMISSION,
  type OpenAireFilterOptions,
  projectFilter,
  projectLinePrefilter,
} from "./openaire-filters.js";
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
  projectRow,
} from "./openaire-graph-rows.js";
import { pruneUnlistedOpenAire, publishStaged } from "./openaire-publish.js";
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
import {
  beatImportLock,
  claimImportLock,
  releaseImportLock,
  removeStaging,
  type StagedProject,
  stageBatch,
} from "./openaire-staging.js";

export interface RunOpenAireImportOptions extends OpenAireFilterOptions {
  countries: CountryReference;
  dryRun: boolean;
  /** Any rejected record fails the whole run before anything is written. */
  strict: boolean;
  /**
   * Remove the OpenAIRE projects that this unfiltered dump no longer lists (`unlistedProjects`),
   * with the links the importer owns; one that curated data refers to is kept and reported.
   */
  prune?: boolean | undefined;
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
  /**
   * Called after each staging batch committed (tests use it to look at the graph, or to fail the run,
   * between batches).
   */
  onBatchCommitted?: (batch: { index: number; projects: number }) => void | Promise<void>;
  /**
   * Aborting it interrupts the run: a transaction in progress is rolled back, the run's staging is
   * removed, and the run rejects with ImportInterruptedError; the graph is as before. The CLI aborts it
   * on SIGINT/SIGTERM. Installs no signal handlers itself.
   */
  signal?: AbortSignal | undefined;
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
  /**
   * OpenAIRE projects in the graph that this dump no longer lists (only for an unfiltered dump: a
   * filtered one lists only what it keeps, so it never calls other projects unlisted).
   */
  unlistedProjects: string[];
  /** Of those, removed by --prune, and kept by --prune because curated data refers to them. */
  prunedProjects: string[];
  keptCuratedProjects: string[];
  /**
   * Projects staged by the write pass (new or changed) and made live by the publish; a project whose
   * live twin already held the same was dropped while staging.
   */
  staged: number;
  /** Staged projects that earlier, unfinished imports had left and that this run removed first. */
  leftoverStagingRemoved: number;
  /** Wall time of the publish transaction, commit included, in milliseconds (0 for a dry run). */
  publishMs: number;
  /**
   * Write transactions committed: the lock claim, the removal of earlier staging (one per 10,000),
   * one per staging batch, and the publish.
   */
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
  /**
   * Project ids the dump lists but that are not kept: rejected records (their id as written) and
   * records filtered out. A project the dump lists is never called unlisted, even when its record is
   * refused.
   */
  listedNotKept: Set<string>;
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
    const rawId = typeof parsed === "object" && parsed !== null ? (parsed as { id?: unknown }).id : undefined;
    if (typeof rawId === "string") state.listedNotKept.add(`openaire:${rawId.replace(/^40\|/, "")}`);
    return;
  }
  const project = result.value;
  report.layouts[project.layout] = (report.layouts[project.layout] ?? 0) + 1;
  if (project.fundings.some((f) => f.shortName === EUROPEAN_COMMISSION)) {
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
  quick: ((line: string) => boolean) | null,
): Promise<void> {
  const { report } = state;
  let rows = 0;
  const { batches, digest } = readDumpLines(file, (bytes) => {
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
  for await (const batch of batches) {
    if (options.signal?.aborted) throw new ImportInterruptedError();
    for (const { line, text } of batch) {
      rows++;
      if (quick && file.part === "project" && !quick(text)) {
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
  const quick = projectLinePrefilter(options);
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
    listedNotKept: new Set(),
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
  const listed = new Set([...[...state.kept.keys()].map((id) => `openaire:${id}`), ...state.listedNotKept]);
  const filtered = Boolean(options.funders?.length || options.match || options.lens);
  return {
    report,
    rejected,
    warnings,
    fundings,
    participants,
    organisations: needed,
    hasRelations,
    /** Every project id the dump lists; null when filters make the listing partial. */
    listed: filtered ? null : listed,
  };
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
       AND ((f.country IS NOT NULL AND EXISTS { (c)-[:${REL.BASED_IN}]->(:Country {code: f.country}) })
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
 * Runs `work` in one write transaction of `session` (time-out 60 min, metadata naming `job`), committed
 * when it resolves and rolled back when it throws (the error is rethrown). `count` is the number of
 * transactions committed so far. When `signal` aborts, the open transaction is rolled back at once and
 * no further one is begun (ImportInterruptedError); `stop` detaches the listener.
 */
function transactionRunner(session: Session, signal: AbortSignal | undefined) {
  let transactions = 0;
  let current: ReturnType<Session["beginTransaction"]> | undefined;
  const onAbort = () => {
    // Cuts a long query short; the work then fails and its caller cleans up.
    if (current?.isOpen()) void current.rollback().catch(() => {});
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  const inTransaction = async <T>(job: string, work: (tx: WriteTransaction) => Promise<T>): Promise<T> => {
    if (signal?.aborted) throw new ImportInterruptedError();
    const tx = session.beginTransaction({
      timeout: 60 * 60 * 1000,
      metadata: { app: "permed-atlas", job: `import openaire: ${job}`, pid: process.pid },
    });
    current = tx;
    try {
      const result = await work(tx);
      if (signal?.aborted) throw new ImportInterruptedError();
      await tx.commit();
      transactions++;
      return result;
    } catch (error) {
      if (tx.isOpen()) await tx.rollback();
      throw signal?.aborted ? new ImportInterruptedError() : error;
    } finally {
      current = undefined;
    }
  };
  return {
    inTransaction,
    count: () => transactions,
    stop: () => signal?.removeEventListener("abort", onAbort),
  };
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
  await mergeRelationships(tx, REL.BASED_IN, basedIn);
  await mergeRelationships(
    tx,
    REL.FUNDED_BY,
    [...programmes.values()].map((p) => ({ from: p.id, to: p.funder })),
  );
  await mergeRelationships(
    tx,
    REL.PART_OF,
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
  await mergeRelationships(tx, REL.LOCATED_IN, located);
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
        : `OpenAIRE shortName ${match.shortName} = curated acronym; OpenAIRE jurisdiction ${funding.jurisdiction} = curated ${REL.BASED_IN} country`;
    links.push({ funder: funderId(match.shortName), curated: match.curated[0]!, evidence });
  }
  await mergeRelationships(
    tx,
    REL.SAME_AS,
    links.map((l) => ({
      from: l.funder,
      to: l.curated,
      properties: { evidence: l.evidence, method: "ACRONYM_AND_COUNTRY" },
    })),
  );
  return links;
}

/**
 * The first work of the publish transaction: the Source, funders, programmes, organisations, their
 * SOURCED_FROM, and the evidence of same-body links (all of the kept projects', MERGEd: few once
 * filtered, and so never visible before the projects that need them). Returns the funder matches.
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
  await mergeRelationships(tx, REL.SOURCED_FROM, sourced);
  return linkCuratedFunders(tx, firstOf, stage);
}

/**
 * The write pass: the kept projects (read back from `stageFile`) in batches of `options.batchSize`
 * (default 5,000), one transaction each, into the staging area (openaire-staging.ts), which no reader
 * sees; a project whose live twin already holds the same is dropped there. Each batch beats the import
 * lock; after each commit `options.onBatchCommitted` is called and progress (projects done) reported.
 * Stops with ImportInterruptedError when `options.signal` has aborted. Returns the number staged.
 */
async function stageProjectBatches(
  stageFile: StageFile,
  stage: Stage,
  runId: string,
  options: RunOpenAireImportOptions,
  inTransaction: InTransaction,
  log: Logger,
): Promise<number> {
  const batchSize = options.batchSize ?? 5000;
  let batch: OpenAireProject[] = [];
  let index = 0;
  let staged = 0;
  const writeBatch = async (projects: OpenAireProject[]) => {
    const rows: StagedProject[] = projects.map((p) => ({
      row: projectRow(p),
      programmes: [...new Set(p.fundings.map(fundedUnder))],
      participants: stage.hasRelations
        ? [...(stage.participants.get(p.openaireId) ?? [])].map(organisationId)
        : null,
    }));
    const written = await inTransaction(`stage batch ${index + 1}`, async (tx) => {
      await beatImportLock(tx, runId);
      return stageBatch(tx, runId, OPENAIRE_SOURCE, rows);
    });
    staged += written;
    index++;
    log.debug({ batch: index, projects: projects.length, staged: written }, "openaire batch committed");
    await options.onBatchCommitted?.({ index, projects: projects.length });
  };
  let done = 0;
  for await (const project of stageFile.read()) {
    batch.push(project);
    if (batch.length >= batchSize) {
      await writeBatch(batch);
      done += batch.length;
      options.onProgress?.({
        file: "(staged projects)",
        bytes: done,
        totalBytes: stage.report.projects,
        rows: done,
        phase: "write",
      });
      batch = [];
    }
  }
  if (batch.length) await writeBatch(batch);
  return staged;
}

/**
 * The end of the publish transaction: the lenses re-applied (issue 18), the ImportRun `runId`
 * (SUCCEEDED, with the files, rows and change counts) written, the data version bumped. Returns the run.
 */
async function writeClosing(
  tx: WriteTransaction,
  stage: Stage,
  runId: string,
  location: string,
  startedAt: Date,
  counts: ChangeCounts,
  projectsUnlisted: number,
): Promise<ImportRunRecord> {
  await applyLenses(tx, await storedLenses(tx));
  const record: ImportRunRecord = {
    id: runId,
    source: OPENAIRE_SOURCE,
    location: displayLocation(location),
    startedAt,
    finishedAt: new Date(),
    status: "SUCCEEDED",
    files: stage.report.files,
    rowsRead: stage.report.rowsRead,
    rowsRejected: stage.rejected.length,
    ...counts,
    projectsUnlisted,
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
 * The publish transaction's work, after the set-up (Source, funders, programmes, organisations): the
 * staged projects of `runId` made visible (publishStaged), the lenses re-applied, the ImportRun
 * written, the lock released, the data version bumped once.
 */
async function publishRun(
  tx: WriteTransaction,
  stage: Stage,
  runId: string,
  location: string,
  startedAt: Date,
  prune: boolean,
) {
  const published = await publishStaged(tx, runId, stage.hasRelations);
  const pruned = stage.listed
    ? await pruneUnlistedOpenAire(tx, stage.listed, prune)
    : { unlisted: [], removed: [], kept: [], counts: noChanges(), changes: [] };
  const counts = { ...published.counts };
  for (const key of Object.keys(counts) as (keyof ChangeCounts)[]) counts[key] += pruned.counts[key];
  const run = await writeClosing(tx, stage, runId, location, startedAt, counts, pruned.unlisted.length);
  await releaseImportLock(tx, runId);
  return {
    ...published,
    counts,
    changes: [...published.changes, ...pruned.changes],
    unlistedProjects: pruned.unlisted,
    prunedProjects: pruned.removed,
    keptCuratedProjects: pruned.kept,
    run,
  };
}

/** The OpenAIRE projects in the graph that an unfiltered dump (`listed`, null when filtered) does not list. */
async function listedButUnlisted(
  driver: Driver,
  database: string,
  listed: Set<string> | null,
): Promise<string[]> {
  if (!listed) return [];
  const session = driver.session({ database });
  try {
    return await session.executeRead((tx) => unlistedProjects(tx, [OPENAIRE_SOURCE], listed));
  } finally {
    await session.close();
  }
}

/** The report of a dry run: what pass 1 found, and the projects it would call unlisted; nothing written. */
function dryRunReport(base: ReturnType<typeof stagedCounts>, unlisted: string[]): OpenAireImportReport {
  return {
    ...base,
    dryRun: true,
    funderMatches: [],
    counts: noChanges(),
    changes: [],
    unlistedProjects: unlisted,
    prunedProjects: [],
    keptCuratedProjects: [],
    staged: 0,
    leftoverStagingRemoved: 0,
    publishMs: 0,
    transactions: 0,
    run: undefined,
  };
}

/**
 * Imports an OpenAIRE Graph dump (issue 21): a project file or a folder with project, organization and
 * relation files (gzip'd JSON lines or plain), of any dump generation. All or nothing for a reader, at
 * any size (README "Size: what a reader sees"):
 *
 * 1. pass 1 reads the dump once to validate and filter it (nothing written; with --strict a rejected
 *    record stops the run here), staging the kept projects in a temporary file;
 * 2. the run takes the import lock (ImportBusyError while another live import holds it) and removes
 *    the staging that crashed runs left (`leftoverStagingRemoved`), in transactions of 10,000;
 * 3. the write pass stages the projects in batches of `batchSize`, one transaction each, as nodes no
 *    reader sees (openaire-staging.ts); projects whose live twin already holds the same are dropped;
 * 4. ONE publish transaction writes the Source, funders, programmes, organisations and SAME_AS links,
 *    makes the staged projects live (openaire-publish.ts), re-applies the lenses, writes the ImportRun,
 *    releases the lock and bumps the data version once.
 *
 * A failure or an abort of `options.signal` (ImportInterruptedError) before the publish commits removes
 * this run's staging and releases the lock (best effort: a kill -9 leaves both, and the next import
 * removes them), so readers never see any of it. Errors: InputValidationError (--strict),
 * ImportBusyError, ImportInterruptedError, driver errors.
 */
export async function runOpenAireImport(
  driver: Driver,
  database: string,
  location: string,
  options: RunOpenAireImportOptions,
  log: Logger,
): Promise<OpenAireImportReport> {
  const startedAt = new Date();
  if (options.signal?.aborted) throw new ImportInterruptedError();
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
    // Nothing valid to import (every project record rejected, or none at all): refused, so that no
    // ImportRun and no new data version say that something was imported.
    if (
      stage.report.projects === 0 &&
      stage.report.filteredOut === 0 &&
      stage.report.skippedEuropeanCommission === 0
    ) {
      throw new NoValidRowsError(location, stage.report.rowsRead, stage.rejected);
    }
    const base = stagedCounts(stage);
    if (options.dryRun) return dryRunReport(base, await listedButUnlisted(driver, database, stage.listed));
    const session = driver.session({ database });
    const runner = transactionRunner(session, options.signal);
    const { inTransaction, count } = runner;
    const runId = newImportRunId(startedAt);
    let claimed = false;
    try {
      const { abandoned, leftover } = await inTransaction("claim", (tx) => claimImportLock(tx, runId));
      claimed = true;
      if (abandoned) log.warn({ abandoned }, "openaire import lock of an abandoned run taken over");
      let leftoverStagingRemoved = 0;
      if (leftover) {
        log.warn({ staged: leftover }, "removing the staging that earlier, unfinished openaire imports left");
        leftoverStagingRemoved = await removeStaging(inTransaction, { exceptRun: runId });
      }
      const staged = await stageProjectBatches(stageFile, stage, runId, options, inTransaction, log);
      const publishStart = performance.now();
      const publish = await inTransaction("publish", async (tx) => {
        // Still ours: a run whose lock was taken over as abandoned must not publish beside the new one.
        await beatImportLock(tx, runId);
        const matches = await writeSetUp(tx, stage, options);
        const published = await publishRun(tx, stage, runId, location, startedAt, Boolean(options.prune));
        return { funderMatches: matches, ...published };
      });
      const { funderMatches, counts, changes, run, published } = publish;
      const publishMs = Math.round(performance.now() - publishStart);
      log.debug({ published, staged, publishMs }, "openaire import published");
      return {
        ...base,
        dryRun: false,
        funderMatches,
        counts,
        changes,
        unlistedProjects: publish.unlistedProjects,
        prunedProjects: publish.prunedProjects,
        keptCuratedProjects: publish.keptCuratedProjects,
        staged,
        leftoverStagingRemoved,
        publishMs,
        transactions: count(),
        run,
      };
    } catch (error) {
      if (claimed) await abandonRun(driver, database, runId, log);
      throw error;
    } finally {
      runner.stop();
      await session.close();
    }
  } finally {
    stageFile.remove();
  }
}

/**
 * After a failed or interrupted run: removes its staging and releases its lock, in a session of its
 * own (the run's may be broken). Failures are logged, not thrown: the next import removes what is left.
 */
async function abandonRun(driver: Driver, database: string, runId: string, log: Logger): Promise<void> {
  const session = driver.session({ database });
  const { inTransaction, stop } = transactionRunner(session, undefined);
  try {
    const removed = await removeStaging(inTransaction, { onlyRun: runId });
    await inTransaction("release lock", (tx) => releaseImportLock(tx, runId));
    log.warn({ removed }, "openaire import not published: its staging removed, the graph is as before");
  } catch (error) {
    log.error(
      { err: error },
      "openaire import not published; its staging is left for the next import to remove",
    );
  } finally {
    stop();
    await session.close();
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
