import { appendFileSync, createReadStream, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import type { RelationshipType } from "../../model/relationships.js";
import {
  addCounts,
  checkedCypherName,
  emptyCounts,
  mergeRelationships,
  type NodeRow,
  nodeProperties,
  type PropertyValue,
  type RelationshipRow,
  relationshipPayload,
  setMissingNodeProperties,
  setNodeProperties,
  type WriteCounts,
  type WriteTransaction,
} from "../graph-writer.js";
import {
  beatImportLock,
  claimImportLock,
  type LockHolder,
  removeStaging,
  type StagingArea,
} from "../openaire/openaire-staging.js";

/**
 * The staging area of the CORDIS import: its write pass stages, in transactions of STAGE_BATCH nodes,
 * and ONE publish transaction makes everything visible, as the OpenAIRE import does
 * (openaire/openaire-staging.ts, whose lock and clean-up this shares).
 *
 * A staged node is labelled only `CordisStaged`: not `Entity`, no `id`, NO RELATIONSHIP, so that no
 * reader's query can reach it (generated GraphQL and analyses match labels, and traverse from visible
 * nodes). It holds the node's properties (the heavy part of an export: titles, objectives, names) with
 * `stagedId`, `stagedLabels` ("Project:CoordinationAction"), `stagedNulls` (properties the row empties),
 * `seq` (write order) and `runId`. The publish relabels a staged node in place when no live node has
 * its id (Neo4j then holds a label change in the transaction, not the properties), or copies its
 * properties onto the live node. Relationships are kept in a file of the importer (one JSON line each)
 * and merged by the publish: they cannot be staged in the graph without linking staged nodes to
 * visible ones. The publish transaction therefore holds the relationships and the label changes, not
 * the properties of the nodes: about a third of what one transaction of the whole import held.
 */
export const CORDIS_STAGED_LABEL = "CordisStaged";

export const CORDIS_STAGING: StagingArea = {
  stagedLabels: [CORDIS_STAGED_LABEL],
  lockLabel: "CordisImportLock",
  lockId: "cordis-import",
  claimProperty: "cordisImportClaim",
  name: "CORDIS",
};

/** Properties of a staged node that are not the node's own. */
const STAGING_PROPERTIES = ["stagedId", "stagedLabels", "stagedNulls", "seq", "runId"] as const;

/** Nodes staged per transaction. */
export const STAGE_BATCH = 10_000;
/** Relationship rows staged between staged nodes per transaction (stageLinks). */
const LINK_BATCH = 20_000;
/** Staged nodes and relationship rows published per query of the publish transaction. */
const PUBLISH_CHUNK = 10_000;

/**
 * Labels whose nodes an export names again and again (a topic per project that addresses it, a
 * programme, a country): merged in the importer's memory (their number is that of a vocabulary, not
 * of the rows) and staged once, at the end.
 */
const VOCABULARY_LABELS = new Set(["Topic", "Programme", "Source", "Funder", "Country"]);

type InTransaction = <T>(job: string, work: (tx: WriteTransaction) => Promise<T>) => Promise<T>;

/**
 * A relationship row as the link file keeps it: its type, key names, the row, and whether the same
 * relationship (type, ends and key) was written before in the run (then it is MERGEd onto the first;
 * a first one is CREATEd between staged ends, which no relationship joined before).
 */
type Link = [RelationshipType, string[], RelationshipRow, boolean];

/** The relationship rows of a run, one JSON line each, in a temporary folder of the importer. */
class LinkFile {
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), "permed-cordis-"));
  readonly file = path.join(this.dir, "links.ndjson");

  /** Appends rows read from another link file. */
  addRaw(link: Link): void {
    this.pending.push(JSON.stringify(link));
    this.rows++;
  }
  private pending: string[] = [];
  rows = 0;

  get pendingRows(): number {
    return this.pending.length;
  }

  add(type: RelationshipType, row: RelationshipRow, keyNames: string[], repeated: boolean): void {
    // JSON keeps what a CORDIS relationship row holds (strings, numbers, null) exactly; the schema's
    // Int properties become Neo4j integers when merged (mergeRelationships).
    this.pending.push(JSON.stringify([type, keyNames, row, repeated]));
    this.rows++;
  }

  flush(): void {
    if (!this.pending.length) return;
    appendFileSync(this.file, `${this.pending.join("\n")}\n`);
    this.pending = [];
  }

  async *read(): AsyncGenerator<Link> {
    this.flush();
    if (!this.rows) return;
    const lines = createInterface({ input: createReadStream(this.file), crlfDelay: Infinity });
    for await (const line of lines) if (line) yield JSON.parse(line) as Link;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The writer of importCordis's staged write pass (see import-cordis.ts CordisWriter): nodes into the
 * staging area in transactions of STAGE_BATCH through `inTransaction` (each beating the import lock of
 * `runId`), relationships into a file, Source descriptions kept for the publish. `publish` then makes
 * it all visible in the caller's transaction; `remove` deletes the file (the staged nodes are removed
 * by the caller, see openaire-staging.ts removeStaging).
 */
export class StagingWriter {
  private nodes: { labels: string[]; row: NodeRow }[] = [];
  private readonly vocabulary = new Map<string, { labels: string[]; row: NodeRow }>();
  private links = new LinkFile();
  /** The relationships that stageLinks leaves for the publish. */
  private rest: LinkFile | undefined;
  private readonly fills: { labels: string[]; id: string; properties: NodeRow["properties"] }[] = [];
  private readonly updates: { labels: string[]; id: string; properties: NodeRow["properties"] }[] = [];
  private seq = 0;
  /** The relationships written so far (type, ends, key), to tell a first row from a repeated one. */
  private readonly linkKeys = new Set<string>();
  /**
   * Staged id -> the element id of the first node staged with it (as CREATE returned it): stageLinks
   * finds both ends of a relationship by it, without an index or a look-up by property.
   */
  private readonly staged = new Map<string, string>();
  /** The staging transaction in flight, if any: the export is read on while Neo4j writes a batch. */
  private inFlight: Promise<void> | undefined;
  private claimed = false;
  /** The holder of the lock taken over as abandoned (its process gone), if any. */
  abandoned: LockHolder | null = null;
  /** Staged nodes of earlier, unfinished runs removed. */
  leftoverRemoved = 0;
  private written = { nodes: 0, relationships: 0 };
  /** Milliseconds spent in staging transactions (for the benchmark's profile). */
  stageMs = 0;
  private counts = emptyCounts();

  constructor(
    private readonly inTransaction: InTransaction,
    private readonly runId: string,
    private readonly onBatchWritten?: (written: { nodes: number; relationships: number }) => void,
  ) {}

  async node(labels: string[], row: NodeRow): Promise<void> {
    this.written.nodes++;
    if (labels.some((label) => VOCABULARY_LABELS.has(label))) {
      const earlier = this.vocabulary.get(row.id);
      // As MERGE with SET += would: later values win, undefined leaves a value alone.
      if (earlier) {
        for (const [key, value] of Object.entries(row.properties))
          if (value !== undefined) earlier.row.properties[key] = value;
      } else this.vocabulary.set(row.id, { labels, row: { id: row.id, properties: { ...row.properties } } });
      return;
    }
    this.nodes.push({ labels, row });
    if (this.nodes.length >= STAGE_BATCH) await this.flush();
  }

  async relationship(type: RelationshipType, row: RelationshipRow, keyNames: string[] = []): Promise<void> {
    this.written.relationships++;
    const key = `${type}|${row.from}|${row.to}|${keyNames.map((name) => JSON.stringify(row.key?.[name])).join("|")}`;
    const repeated = this.linkKeys.has(key);
    if (!repeated) this.linkKeys.add(key);
    this.links.add(type, row, keyNames, repeated);
    if (this.links.pendingRows >= STAGE_BATCH) await this.flush();
  }

  /**
   * One batch: the nodes buffered staged and the relationship rows buffered written to the file, in
   * one staging transaction that also beats the lock. `onBatchWritten` is called inside it, before its
   * commit (as in a transaction of the whole import: written, not committed).
   */
  async flush(): Promise<void> {
    if (!this.nodes.length && !this.links.pendingRows) return;
    const batch = this.nodes;
    this.nodes = [];
    this.links.flush();
    // One staging transaction at a time: the previous one is committed (or has failed: thrown here)
    // before the next begins, and the caller reads on while this one is written.
    await this.settled();
    const staging = this.stage(batch, true);
    // Observed by the next flush, finish or settled; kept from being an unhandled rejection meanwhile.
    staging.catch(() => {});
    this.inFlight = staging;
  }

  /** Waits for the staging transaction in flight, if any (rethrowing its failure). */
  async settled(): Promise<void> {
    const inFlight = this.inFlight;
    this.inFlight = undefined;
    await inFlight;
  }

  /** The end of the write pass: everything flushed, then the vocabulary nodes staged. */
  async finish(): Promise<void> {
    await this.flush();
    await this.settled();
    const vocabulary = [...this.vocabulary.values()];
    for (let i = 0; i < vocabulary.length; i += STAGE_BATCH)
      await this.stage(vocabulary.slice(i, i + STAGE_BATCH), false);
  }

  /**
   * After finish: the relationships between two staged nodes that no live node shares an id with are
   * MERGEd between the staged nodes, found by the element ids their CREATE returned, in transactions
   * of LINK_BATCH rows (still out of readers' sight: staged nodes are reachable from staged nodes only,
   * and become visible together at the publish). The others (an end that is live: a country of the
   * seed, a project imported before) wait in a second file for the publish. On a first import that
   * leaves the publish little but label changes.
   */
  async stageLinks(): Promise<void> {
    const started = performance.now();
    const live = await this.liveIds();
    const rest = new LinkFile();
    this.rest = rest;
    let chunk: StagedLink[] = [];
    for await (const link of this.links.read()) {
      const row = link[2];
      const from = this.staged.get(row.from);
      const to = this.staged.get(row.to);
      if (from && to && !live.has(row.from) && !live.has(row.to)) {
        chunk.push({ link, from, to });
        if (chunk.length >= LINK_BATCH) {
          await this.stageLinkChunk(chunk, rest);
          chunk = [];
        }
      } else {
        rest.addRaw(link);
        if (rest.pendingRows >= LINK_BATCH) rest.flush();
      }
    }
    if (chunk.length) await this.stageLinkChunk(chunk, rest);
    rest.flush();
    this.links.remove();
    this.links = rest;
    this.stageMs += performance.now() - started;
  }

  /** The staged ids that a live node has (their relationships wait for the publish). */
  private async liveIds(): Promise<Set<string>> {
    const ids = [...this.staged.keys()];
    const live = new Set<string>();
    await this.inTransaction("stage links", async (tx) => {
      for (let i = 0; i < ids.length; i += LINK_BATCH) {
        const result = await tx.run("UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN id", {
          ids: ids.slice(i, i + LINK_BATCH),
        });
        for (const record of result.records) live.add(record.get("id") as string);
      }
    });
    return live;
  }

  /**
   * One transaction of stageLinks: the rows written between their staged ends, by type. A first row is
   * CREATEd (one statement per group, which returns only a count); a row whose end is no longer staged
   * (removed by someone else) waits in `rest` for the publish, which fails loudly on it, as on any
   * relationship without its ends. Repeated rows are MERGEd, row by row accounted for.
   */
  private async stageLinkChunk(chunk: StagedLink[], rest: LinkFile): Promise<void> {
    // First rows CREATEd, then repeated ones MERGEd onto them.
    const groups = groupByType(chunk.map(({ link }) => link));
    const staged = await this.inTransaction("stage links", async (tx) => {
      await beatImportLock(tx, this.runId, CORDIS_STAGING);
      const done = new Set<number>();
      for (const group of groups) {
        const rows = stagedLinkRows(group, chunk);
        const result = await tx.run(stagedLinkCypher(group, rows), { rows, run: this.runId });
        const created = result.summary.counters.updates().relationshipsCreated;
        this.counts.relationshipsCreated += created;
        if (group.repeated) for (const record of result.records) done.add(Number(record.get("i")));
        // Every row found its ends (the usual case): all done. Otherwise the run fails at the publish.
        else if (created === rows.length) for (const row of rows) done.add(row.i);
      }
      return done;
    });
    chunk.forEach(({ link }, i) => {
      if (!staged.has(i)) rest.addRaw(link);
    });
  }

  private async stage(batch: { labels: string[]; row: NodeRow }[], report: boolean): Promise<void> {
    const rows = batch.map(({ labels, row }) => stagedNode(labels, row, this.seq++, this.runId));
    const started = performance.now();
    const claimed = this.claimed;
    const { claim, created } = await this.inTransaction("stage", async (tx) => {
      const claim = claimed ? undefined : await claimImportLock(tx, this.runId, CORDIS_STAGING);
      if (claimed) await beatImportLock(tx, this.runId, CORDIS_STAGING);
      // `SET s = row` on a node just created: Neo4j plans no Eager (SET s += ... then more SETs did,
      // buffering every row of the batch between operators).
      const created = await tx.run(
        `UNWIND $rows AS row
         CREATE (s:${CORDIS_STAGED_LABEL})
         SET s = row
         RETURN row.stagedId AS id, elementId(s) AS eid`,
        { rows },
      );
      if (report) this.onBatchWritten?.({ ...this.written });
      return { claim, created: created.records };
    });
    // Known once committed; the first node staged with an id is the one its relationships join.
    for (const record of created) {
      const id = record.get("id") as string;
      if (!this.staged.has(id)) this.staged.set(id, record.get("eid") as string);
    }
    if (claim) await this.claimed_(claim);
    this.stageMs += performance.now() - started;
  }

  /**
   * Takes the import lock in the run's first staging transaction, so that a run killed before that
   * commits leaves nothing behind; after that commit, the staging that earlier, unfinished runs left is
   * removed (the lock makes sure that no live run owns it).
   */
  private async claimed_(claim: { abandoned: LockHolder | null; leftover: number }): Promise<void> {
    this.claimed = true;
    this.abandoned = claim.abandoned;
    if (claim.leftover)
      this.leftoverRemoved = await removeStaging(
        this.inTransaction,
        { exceptRun: this.runId },
        CORDIS_STAGING,
      );
  }

  /** Takes the lock when no batch has (an export that staged nothing): the publish must hold it. */
  async claim(): Promise<void> {
    if (this.claimed) return;
    const claim = await this.inTransaction("claim", (tx) => claimImportLock(tx, this.runId, CORDIS_STAGING));
    await this.claimed_(claim);
  }

  /** Sets properties of a node only where it has none yet, at the publish (setMissingNodeProperties). */
  async fillNode(labels: string[], id: string, properties: NodeRow["properties"]): Promise<void> {
    this.fills.push({ labels, id, properties });
  }

  /** Sets properties of a node, at the publish, without counting it as written again. */
  async updateNode(labels: string[], id: string, properties: NodeRow["properties"]): Promise<void> {
    this.updates.push({ labels, id, properties });
  }

  /** Rows written so far and, after `publish`, what Neo4j created. */
  result(): WriteCounts & { nodesWritten: number; relationshipsWritten: number } {
    return {
      ...this.counts,
      nodesWritten: this.written.nodes,
      relationshipsWritten: this.written.relationships,
    };
  }

  /**
   * Makes the run's staging visible in `tx` (the publish transaction): the staged nodes (publishNodes),
   * then the relationships from the file, then the Source descriptions. Returns what Neo4j created.
   */
  async publish(tx: WriteTransaction): Promise<WriteCounts & { fresh: ReadonlySet<string> }> {
    const { fresh, ...nodeCounts } = await publishNodes(tx, this.runId);
    let counts: WriteCounts = nodeCounts;
    let chunk: Link[] = [];
    const mergeChunk = async () => {
      // Every node is published before the first relationship.
      for (const { type, keyNames, rows } of groupByType(chunk))
        counts = addCounts(
          counts,
          await mergeRelationships(
            tx,
            type,
            rows.map(([, row]) => row),
            keyNames,
          ),
        );
      chunk = [];
    };
    for await (const link of this.links.read()) {
      chunk.push(link);
      if (chunk.length >= PUBLISH_CHUNK) await mergeChunk();
    }
    await mergeChunk();
    for (const fill of this.fills) await setMissingNodeProperties(tx, fill.labels, fill.id, fill.properties);
    for (const update of this.updates)
      await setNodeProperties(tx, update.labels, update.id, update.properties);
    // Relationships staged between staged nodes were created by stageLinks.
    counts.relationshipsCreated += this.counts.relationshipsCreated;
    this.counts = counts;
    return { ...counts, fresh };
  }

  /** Deletes the relationship files. */
  remove(): void {
    this.links.remove();
    this.rest?.remove();
  }
}

/**
 * The property map of a staged node: the row's properties as mergeNodes would send them (those it
 * empties named in `stagedNulls` instead, as a staged node cannot hold a null) and the staging
 * properties (STAGING_PROPERTIES).
 */
function stagedNode(
  labels: string[],
  row: NodeRow,
  seq: number,
  runId: string,
): Record<string, PropertyValue> {
  const properties: Record<string, PropertyValue> = {};
  const nulls: string[] = [];
  for (const [key, value] of Object.entries(nodeProperties(labels, row))) {
    if (value === null) nulls.push(key);
    else properties[key] = value;
  }
  return { ...properties, stagedId: row.id, stagedLabels: labels.join(":"), seq, stagedNulls: nulls, runId };
}

/** A relationship row of the link file with the element ids of its two staged ends. */
interface StagedLink {
  link: Link;
  from: string;
  to: string;
}

type LinkGroup = ReturnType<typeof groupByType>[number];

/**
 * The statement of one group of stageLinks: both staged ends found by element id (and checked to be
 * this run's), then a first row's relationship CREATEd with its key and properties written into the
 * pattern (`SET r += ...` after the CREATE made Neo4j buffer every row twice behind Eager operators;
 * a null in the pattern sets nothing, as `SET r += {k: null}` on a new relationship), returning the
 * count; a repeated row MERGEd on its key, its properties set, returning the rows written.
 */
function stagedLinkCypher(
  { type, keyNames, repeated }: LinkGroup,
  rows: { p: Record<string, unknown> }[],
): string {
  const ends = `UNWIND $rows AS row
    MATCH (a:${CORDIS_STAGED_LABEL}) WHERE elementId(a) = row.a AND a.runId = $run
    MATCH (b:${CORDIS_STAGED_LABEL}) WHERE elementId(b) = row.b AND b.runId = $run`;
  const typeName = checkedCypherName(type);
  if (repeated) {
    const keyPattern = keyNames.length
      ? ` {${keyNames.map((k) => `${checkedCypherName(k)}: row.p.${checkedCypherName(k)}`).join(", ")}}`
      : "";
    return `${ends}
    MERGE (a)-[r:${typeName}${keyPattern}]->(b)
    SET r += row.p
    RETURN row.i AS i`;
  }
  const names = [...new Set(rows.flatMap((row) => Object.keys(row.p)))].map(checkedCypherName);
  const pattern = names.length ? ` {${names.map((k) => `${k}: row.p.${k}`).join(", ")}}` : "";
  return `${ends}
    CREATE (a)-[r:${typeName}${pattern}]->(b)
    RETURN count(*) AS n`;
}

/**
 * The parameter rows of a group of stageLinks: its key and properties as mergeRelationships sends
 * them, in one map `p` (a property of the row wins over a key of the same name, as `SET r += key, r
 * += properties` had it), the ends' element ids, and the row's index in the chunk.
 */
function stagedLinkRows({ type, rows }: LinkGroup, chunk: StagedLink[]) {
  return relationshipPayload(
    type,
    rows.map(([, row]) => row),
  ).map((row, i) => {
    const at = rows[i]![0];
    return { p: { ...row.key, ...row.properties }, i: at, a: chunk[at]!.from, b: chunk[at]!.to };
  });
}

/**
 * The rows of a chunk grouped by relationship type (and key names, and whether the row repeats one
 * written before), each with its index in the chunk, in chunk order within a group, first rows before
 * repeated ones: a later row of the same relationship wins, as MERGE's would. Types are independent of
 * each other.
 */
function groupByType(
  chunk: Link[],
): { type: RelationshipType; keyNames: string[]; repeated: boolean; rows: [number, RelationshipRow][] }[] {
  const byType = new Map<
    string,
    { type: RelationshipType; keyNames: string[]; repeated: boolean; rows: [number, RelationshipRow][] }
  >();
  chunk.forEach(([type, keyNames, row, repeated], i) => {
    const key = `${type}|${keyNames.join()}|${repeated}`;
    const group = byType.get(key) ?? { type, keyNames, repeated: Boolean(repeated), rows: [] };
    group.rows.push([i, row]);
    byType.set(key, group);
  });
  // A repeated row comes after its first one: groups of first rows go first.
  return [...byType.values()].sort((x, y) => Number(x.repeated) - Number(y.repeated));
}

const LABELS = /^[A-Za-z][A-Za-z0-9_]*(:[A-Za-z][A-Za-z0-9_]*)*$/;

function checkedLabels(labels: string): string {
  // Labels cannot be parameters in Cypher: only simple names (the importer's own) are interpolated.
  if (!LABELS.test(labels)) throw new Error(`not a valid label list: ${labels}`);
  return labels;
}

/**
 * Publishes the staged nodes of `runId` in `tx`, PUBLISH_CHUNK at a time in staging order: a node whose
 * id no live node has is relabelled in place (`Entity` and its labels, `id` set, staging properties
 * removed); otherwise its properties are copied onto the live node (those it empties removed) and its
 * labels added, as mergeNodes would, and the staged node is left for the clean-up after the commit
 * (deleting it here would add to the transaction). Returns the nodes created (relabelled).
 */
export async function publishNodes(
  tx: WriteTransaction,
  runId: string,
): Promise<WriteCounts & { fresh: Set<string> }> {
  const counts = emptyCounts();
  // Ids that no node had before this publish, staged once: relabelled in place and not updated after.
  const freshIds = new Set<string>();
  // Element ids first, in staging order, then chunk by chunk by element id: a label scan per chunk
  // would pass over the nodes already published in this transaction again each time.
  const all = await tx.run(
    `MATCH (s:${CORDIS_STAGED_LABEL} {runId: $run}) RETURN elementId(s) AS eid ORDER BY s.seq`,
    { run: runId },
  );
  const elementIds = all.records.map((r) => r.get("eid") as string);
  for (let start = 0; start < elementIds.length; start += PUBLISH_CHUNK) {
    const result = await tx.run(
      `UNWIND $ids AS eid
       MATCH (s:${CORDIS_STAGED_LABEL}) WHERE elementId(s) = eid
       OPTIONAL MATCH (live:Entity {id: s.stagedId})
       RETURN eid, s.stagedId AS id, s.stagedLabels AS labels, live IS NOT NULL AS live`,
      { ids: elementIds.slice(start, start + PUBLISH_CHUNK) },
    );
    const fresh = new Map<string, string[]>();
    const updated: { eid: string; id: string; labels: string }[] = [];
    const madeLive = new Set<string>();
    for (const record of result.records) {
      const id = record.get("id") as string;
      const labels = checkedLabels(record.get("labels") as string);
      const eid = record.get("eid") as string;
      // The same id staged twice (a row repeated in the export): the first becomes the node, the
      // later ones are applied onto it in order.
      if (!record.get("live") && !madeLive.has(id)) {
        madeLive.add(id);
        freshIds.add(id);
        const group = fresh.get(labels) ?? [];
        group.push(eid);
        fresh.set(labels, group);
      } else {
        updated.push({ eid, id, labels });
        freshIds.delete(id);
      }
    }
    for (const [labels, ids] of fresh) {
      await tx.run(
        `UNWIND $ids AS eid
         MATCH (s:${CORDIS_STAGED_LABEL}) WHERE elementId(s) = eid
         SET s:Entity:${labels}, s.id = s.stagedId
         REMOVE s:${CORDIS_STAGED_LABEL}, ${STAGING_PROPERTIES.map((p) => `s.${p}`).join(", ")}`,
        { ids },
      );
      counts.nodesCreated += ids.length;
    }
    if (updated.length) await copyOntoLive(tx, updated);
  }
  return { ...counts, fresh: freshIds };
}

/**
 * Copies staged nodes' properties onto their live twins, in order, inside Neo4j: the staged node's
 * own properties set on the live one, those it names in `stagedNulls` removed, its labels added.
 * (Read into the importer and sent back, every text of a re-import crossed the wire twice and was held
 * in the importer's memory, 10,000 nodes at a time.)
 */
async function copyOntoLive(
  tx: WriteTransaction,
  staged: { eid: string; id: string; labels: string }[],
): Promise<void> {
  // Its relationships were staged because no live node had its id; one has appeared since (a write
  // beside the import). Publishing would lose them: refused, and the import can simply run again.
  const linked = await tx.run(
    `UNWIND $ids AS eid MATCH (s:${CORDIS_STAGED_LABEL}) WHERE elementId(s) = eid AND COUNT { (s)--() } > 0
     RETURN s.stagedId AS id LIMIT 1`,
    { ids: staged.map((s) => s.eid) },
  );
  if (linked.records.length)
    throw new Error(
      `the graph changed during the import: ${String(linked.records[0]!.get("id"))} was written by someone else after it was staged; nothing was published, run the import again`,
    );
  // One query per label set, in staging order within it (a repeated id keeps its labels); the
  // subquery runs row by row, so that a later row of the same id wins, property by property.
  const byLabels = new Map<string, { eid: string; id: string }[]>();
  for (const s of staged) {
    const rows = byLabels.get(s.labels) ?? [];
    rows.push({ eid: s.eid, id: s.id });
    byLabels.set(s.labels, rows);
  }
  const own = `s {.*, ${STAGING_PROPERTIES.map((p) => `${p}: null`).join(", ")}}`;
  for (const [labels, rows] of byLabels)
    await tx.run(
      `UNWIND $rows AS row
       MATCH (s:${CORDIS_STAGED_LABEL}) WHERE elementId(s) = row.eid
       MATCH (live:Entity {id: row.id})
       CALL (live, s) {
         SET live:${labels}
         SET live += ${own}
         WITH live, s UNWIND coalesce(s.stagedNulls, []) AS k
         SET live[k] = null
       }`,
      { rows },
    );
}
