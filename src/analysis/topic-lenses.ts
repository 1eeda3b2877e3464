import { DERIVED_LINK_METHODS } from "../model/derived-links.js";
import { REL } from "../model/relationships.js";
import { type AnalysisContext, readQuery, toNumber } from "./analysis-context.js";

export interface TopicLensSummary {
  key: string;
  name: string;
  scheme: string;
  description: string;
  file: string;
  topicIds: string[];
  ruleLinks: number;
  topicsWithoutLinkedProjects: string[];
  relevanceTiers: { tier: string; description: string; projects: number }[];
}

/**
 * The topic lenses applied to the graph (Lens nodes, written by src/classify/apply-lenses.ts), by key:
 * their topics, derived links, topics no project is linked to, and projects per relevance tier.
 */
export async function topicLenses(context: AnalysisContext): Promise<TopicLensSummary[]> {
  const rows = await readQuery<{
    key: string;
    name: string;
    scheme: string;
    description: string;
    file: string;
    definition: string;
    ruleLinks: unknown;
    linked: { id: string; projects: unknown }[];
    tierCounts: { tier: string; projects: unknown }[];
  }>(
    context,
    `MATCH (l:Lens)
     RETURN l.lens AS key, l.name AS name, l.scheme AS scheme, l.description AS description, l.file AS file,
            l.definition AS definition,
            COUNT { ()-[r:${REL.ADDRESSES}]->() WHERE r.lens = l.lens AND r.method IN $derivedMethods } AS ruleLinks,
            COLLECT { MATCH (t:Topic {scheme: l.scheme}) RETURN {id: t.id, projects: COUNT { (:Project)-[:${REL.ADDRESSES}]->(t) }} } AS linked,
            COLLECT { UNWIND coalesce(l.tiers, []) AS tier
                      RETURN {tier: tier, projects: COUNT { (p:Project) WHERE p.pmRelevance = tier }} } AS tierCounts
     ORDER BY key`,
    { derivedMethods: DERIVED_LINK_METHODS },
  );
  return rows.map((row) => {
    const definition = JSON.parse(row.definition) as {
      topics: { id: string }[];
      relevance?: { tiers: { tier: string; description: string }[]; otherwise: string; description: string };
    };
    const topicIds = definition.topics.map((topic) => topic.id);
    const linked = new Map(row.linked.map((entry) => [entry.id, toNumber(entry.projects)]));
    const descriptions = new Map(definition.relevance?.tiers.map((tier) => [tier.tier, tier.description]));
    return {
      key: row.key,
      name: row.name,
      scheme: row.scheme,
      description: row.description,
      file: row.file,
      topicIds,
      ruleLinks: toNumber(row.ruleLinks),
      topicsWithoutLinkedProjects: topicIds.filter((id) => !linked.get(id)),
      relevanceTiers: row.tierCounts.map((entry) => ({
        tier: entry.tier,
        description: descriptions.get(entry.tier) ?? "None of the tiers above.",
        projects: toNumber(entry.projects),
      })),
    };
  });
}
