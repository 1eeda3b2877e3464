import { createHash } from "node:crypto";
import { BATCH_SIZE, type WriteTransaction } from "../db/write-transaction.js";
import { DERIVED_LINK_METHODS } from "../model/derived-links.js";
import { REL } from "../model/relationships.js";
import { type InputProblem, InputValidationError } from "../util/input-problems.js";
import { classifyProject } from "./classify-project.js";
import { duplicates, type Lens, parseStoredLens } from "./lens-file.js";
import { compileLens, type ProjectText } from "./match-lens.js";

/** The vocabularies that sources fill (CORDIS): a lens cannot take over their scheme. */
const SOURCE_SCHEMES = new Set(["CORDIS_TOPIC", "EUROSCIVOC", "LEGAL_BASIS"]);

/** What one lens did: links per topic (derived, RULE) and projects per relevance tier. */
export interface LensReport {
  lens: string;
  scheme: string;
  file: string;
  projects: number;
  links: number;
  linksByTopic: Record<string, number>;
  /** Curated links (from sources) to the lens's topics, left as they are. */
  curatedLinks: number;
  tiers: Record<string, number> | null;
}

/**
 * The lenses stored in the graph (one `Lens` node each, written when a lens was applied): what a
 * CORDIS import re-applies to the projects it brings.
 */
export async function storedLenses(tx: WriteTransaction): Promise<Lens[]> {
  const result = await tx.run(
    "MATCH (l:Lens) RETURN l.definition AS definition, l.file AS file ORDER BY l.id",
  );
  return result.records.map((record) =>
    parseStoredLens(record.get("definition") as string, record.get("file") as string),
  );
}

/**
 * Applies `lenses` to every project of the graph, inside the caller's transaction (the same one as
 * the data they classify, so the graph is never seen half classified):
 * - each lens is stored as a `Lens` node (id `lens:<lens>`, its definition as JSON), so that later
 *   imports re-apply it;
 * - its topics are created when new (scheme = the lens's scheme); an existing topic keeps its
 *   curated name and description;
 * - its derived links are replaced: `(:Project)-[:ADDRESSES {method, lens, rule, matched}]->(:Topic)`
 *   with method RULE (a rule's id and the words it matched) or MODEL (the lens's linear model:
 *   `model-<topic>` and the features that weighed most), none where a link without `method` (stated by
 *   a source) already joins the two;
 * - with a `relevance` section, `Project.pmRelevance` is set on every project.
 * Idempotent: the same lenses on the same data give the same graph. Throws InputValidationError
 * (before writing) when a lens topic is a topic of another scheme or two lenses collide.
 */
export async function applyLenses(tx: WriteTransaction, lenses: readonly Lens[]): Promise<LensReport[]> {
  if (!lenses.length) return [];
  await checkAgainstGraph(tx, lenses);
  const projects = await readProjects(tx);
  const reports: LensReport[] = [];
  for (const lens of lenses) reports.push(await applyLens(tx, lens, projects));
  return reports;
}

/**
 * Removes every derived (RULE or MODEL) link, at the start of a load's transaction: a source's link written
 * later in it (MERGE) must not fall on a derived one and vanish with it when the lenses are applied
 * again at the end of the same transaction.
 */
export async function removeRuleLinks(tx: WriteTransaction): Promise<void> {
  await tx.run(`MATCH (:Project)-[r:${REL.ADDRESSES}]->(:Topic) WHERE r.method IN $derivedMethods DELETE r`, {
    derivedMethods: DERIVED_LINK_METHODS,
  });
}

/**
 * The lenses to apply after a load: `given` (e.g. the files of seed/lenses) and the lenses stored in
 * the graph that are not among them (applied before with `classify --lens`).
 */
export async function lensesWithStored(tx: WriteTransaction, given: readonly Lens[]): Promise<Lens[]> {
  const ids = new Set(given.map((lens) => lens.lens));
  return [...given, ...(await storedLenses(tx)).filter((lens) => !ids.has(lens.lens))];
}

async function checkAgainstGraph(tx: WriteTransaction, lenses: readonly Lens[]): Promise<void> {
  const problems: InputProblem[] = duplicates(lenses);
  for (const lens of lenses) {
    if (SOURCE_SCHEMES.has(lens.scheme)) {
      problems.push({
        file: lens.file,
        line: undefined,
        field: "scheme",
        reason: `${lens.scheme} is filled by CORDIS imports; choose another scheme for a lens`,
      });
    }
    const result = await tx.run(
      "MATCH (t:Topic) WHERE t.id IN $ids AND t.scheme <> $scheme RETURN t.id AS id, t.scheme AS scheme",
      { ids: lens.topics.map((topic) => topic.id), scheme: lens.scheme },
    );
    for (const record of result.records) {
      const index = lens.topics.findIndex((topic) => topic.id === record.get("id"));
      problems.push({
        file: lens.file,
        line: undefined,
        field: `topics[${index}] (${record.get("id")})`,
        reason: `is already a topic of scheme ${record.get("scheme")}, not ${lens.scheme}`,
      });
    }
    const owner = await tx.run("MATCH (l:Lens {scheme: $scheme}) WHERE l.id <> $id RETURN l.id AS id", {
      scheme: lens.scheme,
      id: `lens:${lens.lens}`,
    });
    for (const record of owner.records) {
      problems.push({
        file: lens.file,
        line: undefined,
        field: "scheme",
        reason: `${lens.scheme} is already the scheme of ${record.get("id")}`,
      });
    }
  }
  if (problems.length) throw new InputValidationError(problems);
}

type StoredProject = ProjectText & { curated: string[] };

async function readProjects(tx: WriteTransaction): Promise<StoredProject[]> {
  const result = await tx.run(
    `MATCH (p:Project)
     RETURN p.id AS id, coalesce(p.title, '') AS title, coalesce(p.objective, '') AS objective,
            coalesce(p.keywords, '') AS keywords,
            [(p)-[:${REL.ADDRESSES}]->(t:Topic {scheme: 'EUROSCIVOC'}) | {code: coalesce(t.code, ''), path: coalesce(t.description, '')}] AS euroSciVoc,
            [(p)-[:${REL.ADDRESSES}]->(t:Topic {scheme: 'CORDIS_TOPIC'}) | coalesce(t.code, '')] AS callTopics,
            [(p)-[r:${REL.ADDRESSES}]->(t:Topic) WHERE r.method IS NULL | t.id] AS curated
     ORDER BY id`,
  );
  return result.records.map((record) => record.toObject() as StoredProject);
}

/**
 * Applies one lens in `tx`: stores it (its Lens node and its topics), replaces its RULE links and sets
 * the projects' relevance tiers; returns the counts of its report.
 */
async function applyLens(tx: WriteTransaction, lens: Lens, projects: StoredProject[]): Promise<LensReport> {
  const { file } = lens;
  await storeLens(tx, lens);
  await tx.run(
    `MATCH (:Project)-[r:${REL.ADDRESSES} {lens: $lens}]->(:Topic) WHERE r.method IN $derivedMethods DELETE r`,
    { lens: lens.lens, derivedMethods: DERIVED_LINK_METHODS },
  );
  const { links, linksByTopic, tiers, tierRows, curatedLinks } = classify(lens, projects);
  for (let start = 0; start < links.length; start += BATCH_SIZE) {
    await tx.run(
      `UNWIND $rows AS row
       MATCH (p:Project {id: row.from}) MATCH (t:Topic {id: row.to})
       CREATE (p)-[:${REL.ADDRESSES} {method: row.method, lens: $lens, rule: row.rule, matched: row.matched}]->(t)`,
      { rows: links.slice(start, start + BATCH_SIZE), lens: lens.lens },
    );
  }
  for (let start = 0; start < tierRows.length; start += BATCH_SIZE) {
    await tx.run("UNWIND $rows AS row MATCH (p:Project {id: row.id}) SET p.pmRelevance = row.tier", {
      rows: tierRows.slice(start, start + BATCH_SIZE),
    });
  }
  return {
    lens: lens.lens,
    scheme: lens.scheme,
    file,
    projects: projects.length,
    links: links.length,
    linksByTopic,
    curatedLinks,
    tiers,
  };
}

/** Stores the lens as a Lens node (its definition as JSON, with its sha256) and creates its topics. */
async function storeLens(tx: WriteTransaction, lens: Lens): Promise<void> {
  const { file, ...definition } = lens;
  const json = JSON.stringify(definition);
  await tx.run(
    `MERGE (l:Lens {id: $id})
     SET l.lens = $lens, l.scheme = $scheme, l.name = $name, l.description = $description,
         l.file = $file, l.definition = $definition, l.sha256 = $sha256, l.tiers = $tiers`,
    {
      id: `lens:${lens.lens}`,
      lens: lens.lens,
      scheme: lens.scheme,
      name: lens.name,
      description: lens.description,
      file,
      definition: json,
      sha256: createHash("sha256").update(json).digest("hex"),
      tiers: lens.relevance
        ? [...lens.relevance.tiers.map((tier) => tier.tier), lens.relevance.otherwise]
        : [],
    },
  );
  await tx.run(
    `UNWIND $topics AS topic
     MERGE (t:Entity {id: topic.id})
     ON CREATE SET t:Topic, t.name = topic.name, t.scheme = $scheme, t.description = topic.description`,
    {
      scheme: lens.scheme,
      topics: lens.topics.map((topic) => ({
        id: topic.id,
        name: topic.name,
        description: topic.description ?? null,
      })),
    },
  );
}

/**
 * The derived (RULE and MODEL) links and relevance tiers the lens derives for `projects` (a curated link between the same
 * project and topic wins: no RULE link), with the counts per topic and per tier. Pure.
 */
function classify(lens: Lens, projects: StoredProject[]) {
  const compiled = compileLens(lens);
  const links: { from: string; to: string; method: string; rule: string; matched: string[] }[] = [];
  const linksByTopic: Record<string, number> = Object.fromEntries(lens.topics.map((topic) => [topic.id, 0]));
  const tiers: Record<string, number> | null = lens.relevance
    ? Object.fromEntries(
        [...lens.relevance.tiers.map((tier) => tier.tier), lens.relevance.otherwise].map((tier) => [tier, 0]),
      )
    : null;
  const tierRows: { id: string; tier: string }[] = [];
  let curatedLinks = 0;
  const lensTopics = new Set(lens.topics.map((topic) => topic.id));
  for (const project of projects) {
    const curated = new Set(project.curated);
    curatedLinks += project.curated.filter((id) => lensTopics.has(id)).length;
    const { tier, topics } = classifyProject(compiled, project);
    for (const match of topics) {
      if (curated.has(match.topicId)) continue;
      links.push({
        from: project.id,
        to: match.topicId,
        method: match.method,
        rule: match.rule,
        matched: match.matched,
      });
      linksByTopic[match.topicId] = (linksByTopic[match.topicId] ?? 0) + 1;
    }
    if (tier && tiers) {
      tierRows.push({ id: project.id, tier: tier.tier });
      tiers[tier.tier] = (tiers[tier.tier] ?? 0) + 1;
    }
  }
  return { links, linksByTopic, tiers, tierRows, curatedLinks };
}
