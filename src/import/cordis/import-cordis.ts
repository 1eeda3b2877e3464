import { createHash } from "node:crypto";
import { FunderKind, SourceKind } from "../../generated/graphql.js";
import { REL, type RelationshipType } from "../../model/relationships.js";
import { FileRefusedError, type InputProblem, InputValidationError } from "../../util/input-problems.js";
import { neo4jDate } from "../../util/neo4j-date.js";
import { type CsvLimits, DEFAULT_CSV_LIMITS, readCsvRecords } from "../csv-records.js";
import {
  addCounts,
  BATCH_SIZE,
  emptyCounts,
  mergeNodes,
  mergeRelationships,
  type NodeRow,
  type RelationshipRow,
  setMissingNodeProperties,
  setNodeProperties,
  type WriteCounts,
  type WriteTransaction,
} from "../graph-writer.js";
import type { CountryReference } from "../seed/countries.js";
import { checkHeader } from "./cordis-layout.js";
import {
  EUROPEAN_COMMISSION,
  type ParticipationRows,
  type ProjectRows,
  participationRows,
  projectRows,
} from "./cordis-rows.js";
import type { CordisFile, CordisFileName, CordisSource } from "./cordis-source.js";

export interface CordisImportOptions {
  /** Keep only projects whose title, objective or keywords match. */
  match?: RegExp | undefined;
  /** Keep only projects with a topic code that starts with one of these. */
  topicPrefixes?: string[] | undefined;
  /** Limits on files, rows and fields (csv-records.ts DEFAULT_CSV_LIMITS where not given). */
  limits?: Partial<CsvLimits> | undefined;
  /** The Country reference: CORDIS country codes and the countries participants are located in. */
  countries: CountryReference;
  onProgress?: (progress: { file: string; bytes: number; totalBytes: number; rows: number }) => void;
  /**
   * Called after each batch has been sent to the transaction (not committed): the running totals of
   * node and relationship rows written. Lets a caller log progress of the writes themselves.
   */
  onBatchWritten?: (written: { nodes: number; relationships: number }) => void;
}

/**
 * What the export says about each project it contains, for mirroring (see mirror.ts): the keys
 * `org|role|order` of its participations, the ids of the topics it ADDRESSES, the programme it is
 * FUNDED_UNDER, and the Source it comes from.
 */
export interface ExportedProject {
  source: string;
  participations: Set<string>;
  topics: Set<string>;
  programme: string;
}

export interface CordisImportReport {
  dryRun: boolean;
  /** Each file read: its name as shown in messages, its records, and the sha256 of its bytes. */
  files: { file: string; rows: number; sha256: string }[];
  rowsRead: number;
  /** Rows of project.csv that were valid (kept or filtered out); 0 means there was nothing to import. */
  validProjectRows: number;
  projects: number;
  coordinationActions: number;
  organisations: number;
  participations: number;
  topics: number;
  /** Rows of the files that were skipped because they are bad, with file:line: column: reason. */
  rejected: InputProblem[];
  /** Rows taken with a caveat (e.g. a participant without a known country). */
  warnings: InputProblem[];
  nodesCreated: number;
  nodesUpdated: number;
  relationshipsCreated: number;
  relationshipsUpdated: number;
  /** Nodes the export writes, each counted once (created + updated). */
  distinctNodes: number;
  /** Relationship rows written (MERGEd), repeats included (created + updated). */
  relationshipsWritten: number;
  /** The ids of the projects kept, so that curated data can refer to them. */
  projectIds: Set<string>;
  /** Every project id that project.csv lists (kept, filtered out or rejected). */
  listedProjectIds: Set<string>;
  /** The Sources (one per framework programme) of the projects kept. */
  sourceIds: Set<string>;
  /** What the export says about each kept project. */
  exported: Map<string, ExportedProject>;
}

const SOURCE_BY_FRAMEWORK: Record<string, { id: string; title: string; url: string }> = {
  "programme:horizon": {
    id: "source:cordis-horizon-projects",
    title: "CORDIS Horizon Europe projects",
    url: "https://cordis.europa.eu/data/cordis-HORIZONprojects-xml.zip",
  },
  "programme:h2020": {
    id: "source:cordis-h2020-projects",
    title: "CORDIS Horizon 2020 projects",
    url: "https://cordis.europa.eu/data/cordis-h2020projects-csv.zip",
  },
  "programme:fp7": {
    id: "source:cordis-fp7-projects",
    title: "CORDIS FP7 projects",
    url: "https://cordis.europa.eu/data/cordis-fp7projects-csv.zip",
  },
};

/**
 * Where importCordis writes: through one transaction (BatchWriter, the seed), or into the staging area
 * that a publish transaction makes visible later (cordis-staging.ts StagingWriter, `import cordis`).
 */
export interface CordisWriter {
  node(labels: string[], row: NodeRow): Promise<void>;
  relationship(type: RelationshipType, row: RelationshipRow, keyNames?: string[]): Promise<void>;
  /** Writes what is buffered; nodes before relationships, so that every relationship finds its ends. */
  flush(): Promise<void>;
  /** The end of the write pass: everything written that is still buffered. */
  finish(): Promise<void>;
  fillNode(labels: string[], id: string, properties: NodeRow["properties"]): Promise<void>;
  updateNode(labels: string[], id: string, properties: NodeRow["properties"]): Promise<void>;
  result(): WriteCounts & { nodesWritten: number; relationshipsWritten: number };
}

/**
 * Buffers rows and writes them in batches through one transaction; without a transaction (a dry run)
 * it only counts. Nodes are flushed before relationships so that every relationship finds its ends.
 */
class BatchWriter implements CordisWriter {
  private counts = emptyCounts();
  private written = { nodes: 0, relationships: 0 };
  private nodeBuffers = new Map<string, NodeRow[]>();
  private relationshipBuffers = new Map<RelationshipType, { keyNames: string[]; rows: RelationshipRow[] }>();

  constructor(
    private readonly tx: WriteTransaction | undefined,
    private readonly onBatchWritten?: CordisImportOptions["onBatchWritten"],
  ) {}

  async node(labels: string[], row: NodeRow): Promise<void> {
    const key = labels.join(":");
    const buffer = this.nodeBuffers.get(key) ?? [];
    buffer.push(row);
    this.nodeBuffers.set(key, buffer);
    if (buffer.length >= BATCH_SIZE) await this.flush();
  }

  async relationship(type: RelationshipType, row: RelationshipRow, keyNames: string[] = []): Promise<void> {
    const buffer = this.relationshipBuffers.get(type) ?? { keyNames, rows: [] };
    buffer.rows.push(row);
    this.relationshipBuffers.set(type, buffer);
    if (buffer.rows.length >= BATCH_SIZE) await this.flush();
  }

  async flush(): Promise<void> {
    for (const [key, rows] of this.nodeBuffers) {
      this.written.nodes += rows.length;
      if (this.tx) this.counts = addCounts(this.counts, await mergeNodes(this.tx, key.split(":"), rows));
    }
    this.nodeBuffers.clear();
    for (const [type, { keyNames, rows }] of this.relationshipBuffers) {
      this.written.relationships += rows.length;
      if (this.tx)
        this.counts = addCounts(this.counts, await mergeRelationships(this.tx, type, rows, keyNames));
    }
    this.relationshipBuffers.clear();
    if (this.tx) this.onBatchWritten?.({ ...this.written });
  }

  finish(): Promise<void> {
    return this.flush();
  }

  /** Sets the properties a node written earlier does not have yet (see setMissingNodeProperties). */
  async fillNode(labels: string[], id: string, properties: NodeRow["properties"]): Promise<void> {
    if (this.tx) await setMissingNodeProperties(this.tx, labels, id, properties);
  }

  /** Sets properties of a node written earlier, without counting it as another node. */
  async updateNode(labels: string[], id: string, properties: NodeRow["properties"]): Promise<void> {
    if (this.tx) await setNodeProperties(this.tx, labels, id, properties);
  }

  result(): WriteCounts & { nodesWritten: number; relationshipsWritten: number } {
    return {
      ...this.counts,
      nodesWritten: this.written.nodes,
      relationshipsWritten: this.written.relationships,
    };
  }
}

/**
 * Streams a CORDIS export into the graph through the given transaction, or into the staging area
 * through a StagingWriter (cordis-staging.ts; the caller publishes it), or validates it only when
 * `target` is undefined. Memory holds the ids of projects and organisations, never the rows. Files are read
 * in order: project.csv (projects, programmes, sources), organization.csv (organisations, countries,
 * participations), then topics.csv, euroSciVoc.csv and legalBasis.csv. Bad rows are reported in
 * `rejected` (file, line, column, reason), never thrown; driver errors of the writes are thrown.
 */
export async function importCordis(
  source: CordisSource,
  target: WriteTransaction | CordisWriter | undefined,
  options: CordisImportOptions,
): Promise<CordisImportReport> {
  const limits = { ...DEFAULT_CSV_LIMITS, ...options.limits };
  const layoutWarnings = await checkExport(source, limits);
  const writer = target && "node" in target ? target : new BatchWriter(target, options.onBatchWritten);
  const run = new CordisImportRun(source, writer, Boolean(target), options, limits, layoutWarnings);
  await run.readProjects();
  // Programmes, topics and the funder must exist before organisations point at projects.
  await run.writer.flush();
  await run.readParticipations();
  for (const vocabulary of VOCABULARIES) await run.readVocabulary(vocabulary);
  await run.writer.flush();
  // The Source nodes exist by now in a transaction; a staging writer applies these at its publish.
  await run.describeSources();
  await run.writer.finish();
  return run.report();
}

/**
 * Every file of the export before any row is read: its declared size, its encoding, its delimiter and
 * its header against the layout (cordis-layout.ts). Throws one InputValidationError (a FileRefusedError
 * when there is one problem) naming every file's problems; returns the warnings (unknown columns).
 */
async function checkExport(source: CordisSource, limits: CsvLimits): Promise<InputProblem[]> {
  const errors: InputProblem[] = [];
  const warnings: InputProblem[] = [];
  for (const file of source.files.values()) {
    const at = (field: string, reason: string) => ({
      file: file.displayName,
      line: undefined,
      field,
      reason,
    });
    if (file.size > limits.maxFileBytes) {
      errors.push(
        at(
          "(file)",
          `is ${file.size.toLocaleString("en")} bytes${file.compressedSize === undefined ? "" : " as the zip declares"}, over the limit of ${limits.maxFileBytes.toLocaleString("en")} (--max-file-mb raises it)`,
        ),
      );
      continue;
    }
    if (
      file.compressedSize !== undefined &&
      file.size > limits.inflationRatioFloorBytes &&
      file.size > file.compressedSize * limits.maxInflationRatio
    ) {
      errors.push(
        at(
          "(zip)",
          `declares ${file.size.toLocaleString("en")} bytes from ${file.compressedSize.toLocaleString("en")} compressed, more than ${limits.maxInflationRatio} times: a compression bomb, not a CORDIS export`,
        ),
      );
      continue;
    }
    try {
      const header = readCsvRecords(await file.open(), {
        file: file.displayName,
        delimiter: ";",
        limits,
        compressedSize: file.compressedSize,
        headerOnly: true,
        onHeader: (columns) => {
          const checked = checkHeader(file.name, file.displayName, columns);
          errors.push(...checked.errors);
          warnings.push(...checked.warnings);
        },
        onSkip: () => {},
      });
      for await (const _ of header);
    } catch (error) {
      if (!(error instanceof FileRefusedError)) throw error;
      errors.push(error.problem);
    }
  }
  if (errors.length === 1) throw new FileRefusedError(errors[0]!);
  if (errors.length) throw new InputValidationError(errors);
  return warnings;
}

/** A vocabulary file whose rows say which topics a project ADDRESSES: its code column, a check and the Topic. */
interface Vocabulary {
  file: CordisFileName;
  column: string;
  /** Why the code is refused, or undefined when it is good. */
  valid: (code: string) => string | undefined;
  topic: (code: string, record: Record<string, string>) => { id: string; properties: NodeRow["properties"] };
}

/** The three vocabularies a project ADDRESSES. */
const VOCABULARIES: Vocabulary[] = [
  {
    file: "topics.csv",
    column: "topic",
    valid: (code) => (code ? undefined : "is empty"),
    topic: (code, record) => ({
      id: `topic:${code}`,
      properties: { code, name: record.title?.trim() || code, scheme: "CORDIS_TOPIC" },
    }),
  },
  {
    file: "euroSciVoc.csv",
    column: "euroSciVocCode",
    valid: (code) =>
      /^(\/\d+)+$/.test(code) ? undefined : `must be a path of numbers such as /21/35/161, got "${code}"`,
    topic: (code, record) => ({
      id: `topic:euroscivoc:${code.slice(1).replaceAll("/", "-")}`,
      properties: {
        code,
        name: record.euroSciVocTitle?.trim() || code,
        description: record.euroSciVocPath?.trim() || null,
        scheme: "EUROSCIVOC",
      },
    }),
  },
  {
    file: "legalBasis.csv",
    column: "legalBasis",
    valid: (code) => (code ? undefined : "is empty"),
    topic: (code, record) => ({
      id: `topic:legal-basis:${code}`,
      properties: { code, name: record.title?.trim() || code, scheme: "LEGAL_BASIS" },
    }),
  },
];

/** The state of one importCordis call: what was read, kept, refused and written so far. */
class CordisImportRun {
  private readonly rejected: InputProblem[] = [];
  private readonly files: CordisImportReport["files"] = [];
  private readonly exported = new Map<string, ExportedProject>();
  /** Project id -> its line in project.csv. */
  private readonly rejectedProjects = new Map<string, number>();
  private readonly seenParticipations = new Map<string, { line: number; amounts: string }>();
  /** Project id -> its source id. */
  private readonly keptProjects = new Map<string, string>();
  private readonly allProjectIds = new Set<string>();
  private readonly organisations = new Set<string>();
  private readonly topics = new Set<string>();
  private readonly programmes = new Set<string>();
  /** Source id -> newest content update date. */
  private readonly sources = new Map<string, string | null>();
  private readonly countries = new Set<string>();
  private readonly countryNodes: Map<string, NodeRow>;
  private coordinationActions = 0;
  private validProjectRows = 0;
  private readonly warnings: InputProblem[];

  constructor(
    private readonly source: CordisSource,
    readonly writer: CordisWriter,
    private readonly writes: boolean,
    private readonly options: CordisImportOptions,
    private readonly limits: CsvLimits,
    layoutWarnings: InputProblem[],
  ) {
    this.warnings = [...layoutWarnings];
    this.countryNodes = new Map(options.countries.nodes.map((node) => [node.id, node]));
  }

  private reject(file: CordisFile, line: number, column: string, reason: string): void {
    this.rejected.push({ file: file.displayName, line, field: column, reason });
  }

  private warn(file: CordisFile, line: number, column: string, reason: string): void {
    this.warnings.push({ file: file.displayName, line, field: column, reason });
  }

  /** The records of one file with their lines; reports progress and, at the end, its rows and sha256. */
  private async *rowsOf(name: CordisFileName) {
    const file = this.source.files.get(name);
    if (!file) return;
    const stream = await file.open();
    let bytes = 0;
    let rows = 0;
    const hash = createHash("sha256");
    stream.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
    });
    for await (const row of readCsvRecords(stream, {
      file: file.displayName,
      delimiter: ";",
      limits: this.limits,
      compressedSize: file.compressedSize,
      // Checked before any file was read (checkExport); a file that changed since is refused all the same.
      onHeader: (columns) => {
        const { errors } = checkHeader(name, file.displayName, columns);
        if (errors.length) throw new InputValidationError(errors);
      },
      onSkip: (skip) => this.reject(file, skip.line, "(csv)", skip.reason),
    })) {
      rows++;
      if (rows % 500 === 0)
        this.options.onProgress?.({ file: file.displayName, bytes, totalBytes: file.size, rows });
      yield { file, ...row };
    }
    this.options.onProgress?.({ file: file.displayName, bytes: file.size, totalBytes: file.size, rows });
    this.files.push({ file: file.displayName, rows, sha256: hash.digest("hex") });
  }

  private async ensureTopic(id: string, properties: NodeRow["properties"], sourceId: string): Promise<void> {
    if (!this.topics.has(id)) {
      this.topics.add(id);
      await this.writer.relationship(REL.SOURCED_FROM, { from: id, to: sourceId });
    }
    await this.writer.node(["Topic"], { id, properties });
  }

  /** Whether the options' --match and --topics filters keep the project. */
  private kept(rows: ProjectRows): boolean {
    const { match, topicPrefixes } = this.options;
    if (match && !match.test(rows.searchText)) return false;
    return (
      !topicPrefixes?.length || rows.topicCodes.some((code) => topicPrefixes.some((p) => code.startsWith(p)))
    );
  }

  /** project.csv: the kept projects with their programmes, topics, Source and the European Commission. */
  async readProjects(): Promise<void> {
    for await (const { file, line, record } of this.rowsOf("project.csv")) {
      if (record.id) this.allProjectIds.add(`cordis:${record.id.trim()}`);
      const result = projectRows(record);
      if (!result.ok) {
        this.reject(file, line, result.column, result.reason);
        if (record.id) this.rejectedProjects.set(`cordis:${record.id.trim()}`, line);
        continue;
      }
      const rows = result.value;
      this.validProjectRows++;
      if (!this.kept(rows)) continue;
      const sourceId = await this.ensureSource(rows);
      this.keptProjects.set(rows.projectId, sourceId);
      // Warned only for projects kept: a filtered-out project's text is not stored.
      for (const warning of rows.warnings) this.warn(file, line, warning.column, warning.reason);
      await this.writeProject(rows, sourceId);
    }
  }

  /** The Source of the project's framework programme (and, first, the European Commission), kept dated. */
  private async ensureSource(rows: ProjectRows): Promise<string> {
    const sourceMeta = SOURCE_BY_FRAMEWORK[rows.framework.id]!;
    if (!this.sources.has(sourceMeta.id)) {
      this.sources.set(sourceMeta.id, null);
      // Its words are filled in at the end, only where a curator wrote none (describeSources).
      await this.writer.node(["Source"], { id: sourceMeta.id, properties: {} });
      if (this.sources.size === 1) {
        await this.writer.node(["Funder"], {
          id: EUROPEAN_COMMISSION,
          properties: { name: "European Commission", acronym: "EC", kind: FunderKind.EuropeanCommission },
        });
      }
      await this.writer.relationship(REL.SOURCED_FROM, { from: EUROPEAN_COMMISSION, to: sourceMeta.id });
    }
    const newest = this.sources.get(sourceMeta.id);
    if (rows.contentUpdateDate && (!newest || rows.contentUpdateDate > newest))
      this.sources.set(sourceMeta.id, rows.contentUpdateDate);
    return sourceMeta.id;
  }

  /** A kept project: its node, its programmes (once each), FUNDED_UNDER and its call topics. */
  private async writeProject(rows: ProjectRows, sourceId: string): Promise<void> {
    const { writer } = this;
    this.exported.set(rows.projectId, {
      source: sourceId,
      participations: new Set(),
      topics: new Set(rows.topicCodes.map((code) => `topic:${code}`)),
      programme: rows.call?.id ?? rows.framework.id,
    });
    if (rows.isCoordinationAction) this.coordinationActions++;
    await writer.node(
      rows.isCoordinationAction ? ["Project", "CoordinationAction"] : ["Project"],
      rows.project,
    );
    await writer.relationship(REL.SOURCED_FROM, { from: rows.projectId, to: sourceId });
    for (const programme of [rows.framework, rows.call]) {
      if (!programme || this.programmes.has(programme.id)) continue;
      this.programmes.add(programme.id);
      await writer.node(["Programme"], programme);
      await writer.relationship(REL.FUNDED_BY, { from: programme.id, to: EUROPEAN_COMMISSION });
      await writer.relationship(REL.SOURCED_FROM, { from: programme.id, to: sourceId });
      if (programme !== rows.framework)
        await writer.relationship(REL.PART_OF, { from: programme.id, to: rows.framework.id });
    }
    await writer.relationship(REL.FUNDED_UNDER, {
      from: rows.projectId,
      to: rows.call?.id ?? rows.framework.id,
    });
    for (const code of rows.topicCodes) {
      await this.ensureTopic(`topic:${code}`, { code, scheme: "CORDIS_TOPIC" }, sourceId);
      await writer.relationship(REL.ADDRESSES, { from: rows.projectId, to: `topic:${code}` });
    }
  }

  /**
   * The Source of a kept project, or undefined. A row of a project that project.csv lists but was
   * rejected is rejected too, and said so: it would otherwise vanish without a word (issue 16.6). Rows
   * of projects filtered out are skipped quietly.
   */
  private keptSource(file: CordisFile, line: number, column: string, projectId: string): string | undefined {
    const sourceId = this.keptProjects.get(projectId);
    const number = projectId.slice("cordis:".length);
    const rejectedAt = this.rejectedProjects.get(projectId);
    if (rejectedAt !== undefined) {
      this.reject(file, line, column, `project ${number} was rejected (project.csv line ${rejectedAt})`);
    } else if (!sourceId && !this.allProjectIds.has(projectId)) {
      this.reject(file, line, column, `no project ${number} in project.csv`);
    }
    return sourceId;
  }

  /** organization.csv: organisations (once each) with their countries, and the participations. */
  async readParticipations(): Promise<void> {
    for await (const { file, line, record } of this.rowsOf("organization.csv")) {
      const result = participationRows(record, this.options.countries.cordisToIso);
      if (!result.ok) {
        this.reject(file, line, result.column, result.reason);
        continue;
      }
      const rows = result.value;
      const sourceId = this.keptSource(file, line, "projectID", rows.participation.to);
      if (!sourceId) continue;
      for (const warning of rows.warnings) this.warn(file, line, warning.column, warning.reason);
      if (!this.organisations.has(rows.organisation.id)) {
        this.organisations.add(rows.organisation.id);
        await this.writeOrganisation(rows, sourceId, file, line, record);
      }
      await this.addParticipation(rows, file, line);
    }
  }

  /** A new organisation, its Source and LOCATED_IN its country (the country node too, once). */
  private async writeOrganisation(
    rows: ParticipationRows,
    sourceId: string,
    file: CordisFile,
    line: number,
    record: Record<string, string>,
  ): Promise<void> {
    const { writer } = this;
    await writer.node(["Organisation"], rows.organisation);
    await writer.relationship(REL.SOURCED_FROM, { from: rows.organisation.id, to: sourceId });
    if (!rows.countryId) {
      this.warn(
        file,
        line,
        "country",
        `"${record.country ?? ""}" is no known country: organisation ${record.organisationID} has no ${REL.LOCATED_IN}`,
      );
      return;
    }
    if (!this.countries.has(rows.countryId)) {
      // An import into a store without the seed still has its countries (with code and name).
      this.countries.add(rows.countryId);
      const reference = this.countryNodes.get(rows.countryId)!;
      await writer.node(["Country"], {
        id: rows.countryId,
        properties: { code: reference.properties.code, name: reference.properties.name },
      });
      // Buffered like the rest: a flush writes nodes before relationships.
      await writer.relationship(REL.SOURCED_FROM, { from: rows.countryId, to: sourceId });
    }
    await writer.relationship(REL.LOCATED_IN, { from: rows.organisation.id, to: rows.countryId });
  }

  /**
   * The participation, once: an exact duplicate row is one participation (MERGE stores it once) and is
   * counted once; the same participation with other amounts cannot both be true, and the second is refused.
   */
  private async addParticipation(rows: ParticipationRows, file: CordisFile, line: number): Promise<void> {
    const key = `${rows.organisation.id}|${rows.participation.key!.role}|${rows.participation.key!.order}`;
    const participations = this.exported.get(rows.participation.to)!.participations;
    const amounts = JSON.stringify(rows.participation.properties);
    const earlier = this.seenParticipations.get(`${rows.participation.to}|${key}`);
    if (earlier) {
      if (earlier.amounts === amounts) {
        this.warn(
          file,
          line,
          "(row)",
          `repeats line ${earlier.line} exactly: one participation, counted once`,
        );
      } else {
        this.reject(
          file,
          line,
          "ecContribution",
          `same participation as line ${earlier.line} with other amounts`,
        );
      }
      return;
    }
    this.seenParticipations.set(`${rows.participation.to}|${key}`, { line, amounts });
    participations.add(key);
    await this.writer.relationship(REL.PARTICIPATES_IN, rows.participation, ["role", "order"]);
  }

  /** One vocabulary file: the topics (once each) the kept projects ADDRESS. */
  async readVocabulary(vocabulary: Vocabulary): Promise<void> {
    for await (const { file, line, record } of this.rowsOf(vocabulary.file)) {
      const projectId = `cordis:${(record.projectID ?? "").trim()}`;
      const code = (record[vocabulary.column] ?? "").trim();
      const problem = vocabulary.valid(code);
      if (problem) {
        this.reject(file, line, vocabulary.column, problem);
        continue;
      }
      const sourceId = this.keptSource(file, line, "projectID", projectId);
      if (!sourceId) continue;
      const topic = vocabulary.topic(code, record);
      this.exported.get(projectId)!.topics.add(topic.id);
      await this.ensureTopic(topic.id, topic.properties, sourceId);
      await this.writer.relationship(REL.ADDRESSES, { from: projectId, to: topic.id });
    }
  }

  /**
   * The Sources of the export: the title, URL, kind, publisher and date that CORDIS gives, only where
   * the Source has none (a curated Source keeps what its curator wrote: "reconstructed CSV, PM subset"
   * and its own date), and always the import's own fact beside them, the newest content update in the
   * export (`newestContentUpdate`), known only at the end.
   */
  async describeSources(): Promise<void> {
    for (const [id, date] of this.sources) {
      const meta = Object.values(SOURCE_BY_FRAMEWORK).find((entry) => entry.id === id)!;
      await this.writer.fillNode(["Source"], id, {
        title: meta.title,
        url: meta.url,
        kind: SourceKind.DataExport,
        publisher: "European Commission, CORDIS",
        date: date ? neo4jDate(date) : undefined,
      });
      if (date) await this.writer.updateNode(["Source"], id, { newestContentUpdate: neo4jDate(date) });
    }
  }

  /** The report: counts of what was read, kept and written (nodes updated = distinct nodes written - created). */
  report(): CordisImportReport {
    const counts = this.writer.result();
    const distinctNodes =
      (this.sources.size ? 1 : 0) +
      this.countries.size +
      this.sources.size +
      this.keptProjects.size +
      this.programmes.size +
      this.organisations.size +
      this.topics.size;
    const tx = this.writes;
    return {
      dryRun: !tx,
      files: this.files,
      rowsRead: this.files.reduce((sum, f) => sum + f.rows, 0),
      validProjectRows: this.validProjectRows,
      projects: this.keptProjects.size,
      coordinationActions: this.coordinationActions,
      organisations: this.organisations.size,
      participations: [...this.exported.values()].reduce((sum, p) => sum + p.participations.size, 0),
      topics: this.topics.size,
      rejected: this.rejected,
      warnings: this.warnings,
      nodesCreated: counts.nodesCreated,
      nodesUpdated: tx ? distinctNodes - counts.nodesCreated : 0,
      relationshipsCreated: counts.relationshipsCreated,
      relationshipsUpdated: tx ? counts.relationshipsWritten - counts.relationshipsCreated : 0,
      distinctNodes,
      relationshipsWritten: counts.relationshipsWritten,
      projectIds: new Set(this.keptProjects.keys()),
      listedProjectIds: this.allProjectIds,
      sourceIds: new Set(this.sources.keys()),
      exported: this.exported,
    };
  }
}
