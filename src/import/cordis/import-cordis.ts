import { createHash } from "node:crypto";
import { FunderKind, SourceKind } from "../../generated/graphql.js";
import { neo4jDate } from "../../util/neo4j-date.js";
import { readCsvRecords } from "../csv-records.js";
import {
  addCounts,
  BATCH_SIZE,
  emptyCounts,
  mergeNodes,
  mergeRelationships,
  type NodeRow,
  type RelationshipRow,
  setNodeProperties,
  type WriteCounts,
  type WriteTransaction,
} from "../graph-writer.js";
import type { InputProblem } from "../problems.js";
import type { CountryReference } from "../seed/countries.js";
import { EUROPEAN_COMMISSION, participationRows, projectRows } from "./cordis-rows.js";
import type { CordisFile, CordisFileName, CordisSource } from "./cordis-source.js";

export interface CordisImportOptions {
  /** Keep only projects whose title, objective or keywords match. */
  match?: RegExp | undefined;
  /** Keep only projects with a topic code that starts with one of these. */
  topicPrefixes?: string[] | undefined;
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
 * Buffers rows and writes them in batches through one transaction; without a transaction (a dry run)
 * it only counts. Nodes are flushed before relationships so that every relationship finds its ends.
 */
class BatchWriter {
  private counts = emptyCounts();
  private written = { nodes: 0, relationships: 0 };
  private nodeBuffers = new Map<string, NodeRow[]>();
  private relationshipBuffers = new Map<string, { keyNames: string[]; rows: RelationshipRow[] }>();

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

  async relationship(type: string, row: RelationshipRow, keyNames: string[] = []): Promise<void> {
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
 * Streams a CORDIS export into the graph through the given transaction (or validates it only, when
 * tx is undefined). Memory holds the ids of projects and organisations, never the rows.
 */
export async function importCordis(
  source: CordisSource,
  tx: WriteTransaction | undefined,
  options: CordisImportOptions,
): Promise<CordisImportReport> {
  const writer = new BatchWriter(tx, options.onBatchWritten);
  const rejected: InputProblem[] = [];
  const warnings: InputProblem[] = [];
  const files: CordisImportReport["files"] = [];
  const exported = new Map<string, ExportedProject>();
  const rejectedProjects = new Map<string, number>(); // project id -> its line in project.csv
  const seenParticipations = new Map<string, { line: number; amounts: string }>();
  const keptProjects = new Map<string, string>(); // project id -> its source id
  const allProjectIds = new Set<string>();
  const organisations = new Set<string>();
  const topics = new Set<string>();
  const programmes = new Set<string>();
  const sources = new Map<string, string | null>(); // source id -> newest content update date
  const countries = new Set<string>();
  const countryNodes = new Map(options.countries.nodes.map((node) => [node.id, node]));
  let coordinationActions = 0;

  const reject = (file: CordisFile, line: number, column: string, reason: string) =>
    rejected.push({ file: file.displayName, line, field: column, reason });

  async function* rowsOf(name: CordisFileName) {
    const file = source.files.get(name);
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
      delimiter: ";",
      onSkip: (skip) => reject(file, skip.line, "(csv)", skip.reason),
    })) {
      rows++;
      if (rows % 500 === 0)
        options.onProgress?.({ file: file.displayName, bytes, totalBytes: file.size, rows });
      yield { file, ...row };
    }
    options.onProgress?.({ file: file.displayName, bytes: file.size, totalBytes: file.size, rows });
    files.push({ file: file.displayName, rows, sha256: hash.digest("hex") });
  }

  const ensureTopic = async (id: string, properties: NodeRow["properties"], sourceId: string) => {
    if (!topics.has(id)) {
      topics.add(id);
      await writer.relationship("SOURCED_FROM", { from: id, to: sourceId });
    }
    await writer.node(["Topic"], { id, properties });
  };

  for await (const { file, line, record } of rowsOf("project.csv")) {
    if (record.id) allProjectIds.add(`cordis:${record.id.trim()}`);
    const result = projectRows(record);
    if (!result.ok) {
      reject(file, line, result.column, result.reason);
      if (record.id) rejectedProjects.set(`cordis:${record.id.trim()}`, line);
      continue;
    }
    const rows = result.value;
    if (options.match && !options.match.test(rows.searchText)) continue;
    if (
      options.topicPrefixes?.length &&
      !rows.topicCodes.some((c) => options.topicPrefixes!.some((p) => c.startsWith(p)))
    ) {
      continue;
    }
    const sourceMeta = SOURCE_BY_FRAMEWORK[rows.framework.id]!;
    if (!sources.has(sourceMeta.id)) {
      sources.set(sourceMeta.id, null);
      await writer.node(["Source"], {
        id: sourceMeta.id,
        properties: {
          title: sourceMeta.title,
          url: sourceMeta.url,
          kind: SourceKind.DataExport,
          publisher: "European Commission, CORDIS",
        },
      });
      if (sources.size === 1) {
        await writer.node(["Funder"], {
          id: EUROPEAN_COMMISSION,
          properties: { name: "European Commission", acronym: "EC", kind: FunderKind.EuropeanCommission },
        });
      }
      await writer.relationship("SOURCED_FROM", { from: EUROPEAN_COMMISSION, to: sourceMeta.id });
    }
    const newest = sources.get(sourceMeta.id);
    if (rows.contentUpdateDate && (!newest || rows.contentUpdateDate > newest))
      sources.set(sourceMeta.id, rows.contentUpdateDate);
    keptProjects.set(rows.projectId, sourceMeta.id);
    // Warned only for projects kept: a filtered-out project's text is not stored.
    for (const warning of rows.warnings)
      warnings.push({ file: file.displayName, line, field: warning.column, reason: warning.reason });
    exported.set(rows.projectId, {
      source: sourceMeta.id,
      participations: new Set(),
      topics: new Set(rows.topicCodes.map((code) => `topic:${code}`)),
      programme: rows.call?.id ?? rows.framework.id,
    });
    if (rows.isCoordinationAction) coordinationActions++;
    await writer.node(
      rows.isCoordinationAction ? ["Project", "CoordinationAction"] : ["Project"],
      rows.project,
    );
    await writer.relationship("SOURCED_FROM", { from: rows.projectId, to: sourceMeta.id });
    for (const programme of [rows.framework, rows.call]) {
      if (!programme) continue;
      if (!programmes.has(programme.id)) {
        programmes.add(programme.id);
        await writer.node(["Programme"], programme);
        await writer.relationship("FUNDED_BY", { from: programme.id, to: EUROPEAN_COMMISSION });
        await writer.relationship("SOURCED_FROM", { from: programme.id, to: sourceMeta.id });
        if (programme !== rows.framework)
          await writer.relationship("PART_OF", { from: programme.id, to: rows.framework.id });
      }
    }
    await writer.relationship("FUNDED_UNDER", {
      from: rows.projectId,
      to: rows.call?.id ?? rows.framework.id,
    });
    for (const code of rows.topicCodes) {
      await ensureTopic(`topic:${code}`, { code, scheme: "CORDIS_TOPIC" }, sourceMeta.id);
      await writer.relationship("ADDRESSES", { from: rows.projectId, to: `topic:${code}` });
    }
  }
  // Programmes, topics and the funder must exist before organisations point at projects.
  await writer.flush();

  // A row of a project that project.csv lists but was rejected is rejected too, and said so: it would
  // otherwise vanish without a word (issue 16.6). Rows of projects filtered out are skipped quietly.
  const keptSource = (file: CordisFile, line: number, column: string, projectId: string) => {
    const sourceId = keptProjects.get(projectId);
    const number = projectId.slice("cordis:".length);
    const rejectedAt = rejectedProjects.get(projectId);
    if (rejectedAt !== undefined) {
      reject(file, line, column, `project ${number} was rejected (project.csv line ${rejectedAt})`);
    } else if (!sourceId && !allProjectIds.has(projectId)) {
      reject(file, line, column, `no project ${number} in project.csv`);
    }
    return sourceId;
  };

  for await (const { file, line, record } of rowsOf("organization.csv")) {
    const result = participationRows(record, options.countries.cordisToIso);
    if (!result.ok) {
      reject(file, line, result.column, result.reason);
      continue;
    }
    const rows = result.value;
    const sourceId = keptSource(file, line, "projectID", rows.participation.to);
    if (!sourceId) continue;
    for (const warning of rows.warnings)
      warnings.push({ file: file.displayName, line, field: warning.column, reason: warning.reason });
    if (!organisations.has(rows.organisation.id)) {
      organisations.add(rows.organisation.id);
      await writer.node(["Organisation"], rows.organisation);
      await writer.relationship("SOURCED_FROM", { from: rows.organisation.id, to: sourceId });
      if (rows.countryId) {
        if (!countries.has(rows.countryId)) {
          // An import into a store without the seed still has its countries (with code and name).
          countries.add(rows.countryId);
          const reference = countryNodes.get(rows.countryId)!;
          await writer.node(["Country"], {
            id: rows.countryId,
            properties: { code: reference.properties.code, name: reference.properties.name },
          });
          // Buffered like the rest: a flush writes nodes before relationships.
          await writer.relationship("SOURCED_FROM", { from: rows.countryId, to: sourceId });
        }
        await writer.relationship("LOCATED_IN", { from: rows.organisation.id, to: rows.countryId });
      } else {
        warnings.push({
          file: file.displayName,
          line,
          field: "country",
          reason: `"${record.country ?? ""}" is no known country: organisation ${record.organisationID} has no LOCATED_IN`,
        });
      }
    }
    // An exact duplicate row is one participation (MERGE stores it once), and is counted once; the same
    // participation with other amounts cannot both be true, and the second is refused.
    const key = `${rows.organisation.id}|${rows.participation.key!.role}|${rows.participation.key!.order}`;
    const participations = exported.get(rows.participation.to)!.participations;
    const amounts = JSON.stringify(rows.participation.properties);
    const earlier = seenParticipations.get(`${rows.participation.to}|${key}`);
    if (earlier) {
      if (earlier.amounts === amounts) {
        warnings.push({
          file: file.displayName,
          line,
          field: "(row)",
          reason: `repeats line ${earlier.line} exactly: one participation, counted once`,
        });
      } else {
        reject(file, line, "ecContribution", `same participation as line ${earlier.line} with other amounts`);
      }
      continue;
    }
    seenParticipations.set(`${rows.participation.to}|${key}`, { line, amounts });
    participations.add(key);
    await writer.relationship("PARTICIPATES_IN", rows.participation, ["role", "order"]);
  }

  // The three vocabularies a project ADDRESSES: each file names a code column, a check and the Topic.
  const vocabularies: {
    file: CordisFileName;
    column: string;
    valid: (code: string) => string | undefined;
    topic: (
      code: string,
      record: Record<string, string>,
    ) => { id: string; properties: NodeRow["properties"] };
  }[] = [
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
  for (const vocabulary of vocabularies) {
    for await (const { file, line, record } of rowsOf(vocabulary.file)) {
      const projectId = `cordis:${(record.projectID ?? "").trim()}`;
      const code = (record[vocabulary.column] ?? "").trim();
      const problem = vocabulary.valid(code);
      if (problem) {
        reject(file, line, vocabulary.column, problem);
        continue;
      }
      const sourceId = keptSource(file, line, "projectID", projectId);
      if (!sourceId) continue;
      const topic = vocabulary.topic(code, record);
      exported.get(projectId)!.topics.add(topic.id);
      await ensureTopic(topic.id, topic.properties, sourceId);
      await writer.relationship("ADDRESSES", { from: projectId, to: topic.id });
    }
  }

  await writer.flush();
  // The date of an export is the newest content update it contains, known only at the end.
  for (const [id, date] of sources) {
    if (date) await writer.updateNode(["Source"], id, { date: neo4jDate(date) });
  }

  const counts = writer.result();
  const distinctNodes =
    (sources.size ? 1 : 0) +
    countries.size +
    sources.size +
    keptProjects.size +
    programmes.size +
    organisations.size +
    topics.size;
  return {
    dryRun: !tx,
    files,
    rowsRead: files.reduce((sum, f) => sum + f.rows, 0),
    projects: keptProjects.size,
    coordinationActions,
    organisations: organisations.size,
    participations: [...exported.values()].reduce((sum, p) => sum + p.participations.size, 0),
    topics: topics.size,
    rejected,
    warnings,
    nodesCreated: counts.nodesCreated,
    nodesUpdated: tx ? distinctNodes - counts.nodesCreated : 0,
    relationshipsCreated: counts.relationshipsCreated,
    relationshipsUpdated: tx ? counts.relationshipsWritten - counts.relationshipsCreated : 0,
    projectIds: new Set(keptProjects.keys()),
    listedProjectIds: allProjectIds,
    sourceIds: new Set(sources.keys()),
    exported,
  };
}
