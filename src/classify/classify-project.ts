import type { DerivedLinkMethod } from "../model/derived-links.js";
import { decide, type ModelDecision } from "./lens-model.js";
import {
  type CompiledLens,
  matchTopics,
  type ProjectText,
  type RuleMatch,
  relevanceTier,
  type TopicMatch,
} from "./match-lens.js";
import { modelFeatures, ruleMatches } from "./model-features.js";

/** How a link or tier was derived: by a rule of the lens, or by the lens's linear model. */
export type DerivationMethod = DerivedLinkMethod;

export interface DerivedTopic extends TopicMatch {
  method: DerivationMethod;
}

export interface DerivedTier extends RuleMatch {
  tier: string;
  method: DerivationMethod | null;
}

/** The rule id a model decision is stored under: `model-cancer` for topic:cancer, `model-core` for CORE. */
export const modelRuleId = (decision: string) =>
  `model-${decision
    .replace(/^topic:/, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")}`;

/**
 * The relevance tier and topics a lens gives one project, with their evidence.
 *
 * Without a model (lens.model absent) this is exactly the rules: relevanceTier and matchTopics.
 * With a model, each decision the model file names is made as it says (`combine`): by the model alone
 * (its score reaches its threshold), or by the rules OR the model (a matching rule keeps its own
 * evidence, method RULE). Decisions the model file does not name stay the rules' alone.
 * - tier: the first tier, in lens order, that is decided positive; a project the rules called CORE but
 *   a model-alone CORE decision does not goes on to the next tiers (at least BIOMEDICAL when their
 *   rules match), else the lens's `otherwise`;
 * - topics (only for the tiers of `topicsFor`): a model-decided topic is linked unless an exclusion of
 *   the topic matches (a curator's exclusion still wins); its evidence is the features that weighed
 *   most.
 * Returns tier null when the lens has no relevance section.
 */
export function classifyProject(
  lens: CompiledLens,
  project: ProjectText,
): { tier: DerivedTier | null; topics: DerivedTopic[] } {
  const model = lens.lens.model;
  if (!model) {
    const tier = relevanceTier(lens, project);
    const derivedTier = tier
      ? {
          tier: tier.tier,
          method: tier.match ? ("RULE" as const) : null,
          rule: tier.match?.rule ?? "",
          matched: tier.match?.matched ?? [],
        }
      : null;
    const topics = matchTopics(lens, project, tier?.tier ?? null).map((m) => ({
      ...m,
      method: "RULE" as const,
    }));
    return { tier: derivedTier, topics };
  }
  // Every rule is tried once: its match is both a model feature and the rules' own decision.
  const matches = ruleMatches(lens, project);
  const match = (rule: { id: string }) => matches.get(rule.id) ?? null;
  const decisions = decide(model, modelFeatures(lens, project, matches));
  const tier = modelTier(lens, match, decisions);
  const topicsFor = lens.lens.relevance?.topicsFor;
  if (topicsFor && !topicsFor.includes(tier?.tier ?? "")) return { tier, topics: [] };
  const topics: DerivedTopic[] = [];
  for (const topic of lens.topics) {
    // As matchTopics: an exclusion keeps the project off the topic, else the first rule that matches.
    if (topic.exclude.some((rule) => match(rule))) continue;
    const byRule = topic.rules.map((rule) => match(rule)).find((found) => found !== null);
    const decision = decisions.get(topic.id);
    if (byRule && (!decision || decision.combine === "or-rules")) {
      topics.push({ topicId: topic.id, ...byRule, method: "RULE" });
      continue;
    }
    if (decision?.positive)
      topics.push({ topicId: topic.id, rule: modelRuleId(topic.id), matched: decision.top, method: "MODEL" });
  }
  return { tier, topics };
}

function modelTier(
  lens: CompiledLens,
  match: (rule: { id: string }) => RuleMatch | null,
  decisions: Map<string, ModelDecision>,
): DerivedTier | null {
  const relevance = lens.lens.relevance;
  if (!relevance) return null;
  for (const tier of lens.tiers) {
    const decision = decisions.get(tier.tier);
    if (decision?.combine === "model") {
      if (decision.positive)
        return { tier: tier.tier, method: "MODEL", rule: modelRuleId(tier.tier), matched: decision.top };
      continue;
    }
    for (const rule of tier.rules) {
      const found = match(rule);
      if (found) return { tier: tier.tier, method: "RULE", ...found };
    }
    if (decision?.positive)
      return { tier: tier.tier, method: "MODEL", rule: modelRuleId(tier.tier), matched: decision.top };
  }
  return { tier: relevance.otherwise, method: null, rule: "", matched: [] };
}
