import type { Lens, LensRule, TextField } from "./lens-file.js";
import { occurrences, termsQuickRegExp, termsRegExp } from "./term-pattern.js";

/** What the rules of a lens read of a project. */
export interface ProjectText {
  id: string;
  title: string;
  objective: string;
  keywords: string;
  /** EuroSciVoc classifications: code (/21/35/161) and path (/medical and health sciences/...). */
  euroSciVoc: { code: string; path: string }[];
  /** CORDIS call-topic codes, e.g. HORIZON-HLTH-2023-CARE-08-01. */
  callTopics: string[];
}

/** One rule that matched, with what it matched: words of the text, EuroSciVoc paths, call-topic codes. */
export interface RuleMatch {
  rule: string;
  matched: string[];
}

export interface TopicMatch extends RuleMatch {
  topicId: string;
}

interface CompiledRule {
  id: string;
  fields: TextField[];
  terms: RegExp | null;
  /** Passed by every text that `terms` (and `requireAlso`) can match: a cheap first refusal. */
  quick: RegExp[];
  minCount: number;
  minDistinct: number;
  requireAlso: RegExp | null;
  unless: RegExp | null;
  euroSciVoc: string[];
  callTopics: string[];
}

export interface CompiledLens {
  lens: Lens;
  topics: { id: string; rules: CompiledRule[]; exclude: CompiledRule[] }[];
  tiers: { tier: string; rules: CompiledRule[] }[];
}

function compileRule(rule: LensRule): CompiledRule {
  return {
    id: rule.id,
    fields: rule.fields,
    terms: termsRegExp(rule.terms),
    quick: [termsQuickRegExp(rule.terms), termsQuickRegExp(rule.requireAlso)].filter((r) => r !== null),
    minCount: rule.minCount,
    minDistinct: rule.minDistinct,
    requireAlso: termsRegExp(rule.requireAlso),
    unless: termsRegExp(rule.unless),
    euroSciVoc: rule.euroSciVoc.map((prefix) => prefix.toLowerCase().replace(/\/+$/, "")),
    callTopics: rule.callTopics.map((prefix) => prefix.toUpperCase()),
  };
}

/** The lens with its terms turned into regular expressions once (see term-pattern.ts). */
export function compileLens(lens: Lens): CompiledLens {
  return {
    lens,
    topics: lens.topics.map((topic) => ({
      id: topic.id,
      rules: topic.rules.map(compileRule),
      exclude: topic.exclude.map(compileRule),
    })),
    tiers: (lens.relevance?.tiers ?? []).map((tier) => ({
      tier: tier.tier,
      rules: tier.rules.map(compileRule),
    })),
  };
}

/** A path or code prefix matches whole segments: /21/35 matches /21/35/161, not /21/350. */
const segmentPrefix = (value: string, prefix: string) => value === prefix || value.startsWith(`${prefix}/`);

/**
 * Whether `rule` matches `project`: every kind of condition it has must hold (terms at least minCount
 * times in its fields, at least minDistinct different words among them, one of requireAlso, none of
 * unless, a EuroSciVoc code or path under one of its prefixes, a call topic starting with one of its
 * prefixes). Returns the evidence, or null.
 */
export function matchRule(rule: CompiledRule, project: ProjectText): RuleMatch | null {
  const matched: string[] = [];
  const text = rule.fields.map((field) => project[field] ?? "").join("\n");
  // Most texts match no rule; the quick patterns refuse them without the slow look-around scan.
  if (rule.quick.some((quick) => !quick.test(text))) return null;
  if (rule.terms) {
    const found = occurrences(rule.terms, text);
    if (found.length < rule.minCount || new Set(found).size < rule.minDistinct) return null;
    matched.push(...found);
  }
  if (rule.requireAlso) {
    const found = occurrences(rule.requireAlso, text);
    if (!found.length) return null;
    matched.push(...found);
  }
  if (rule.unless && occurrences(rule.unless, text).length) return null;
  if (rule.euroSciVoc.length) {
    const found = project.euroSciVoc
      .flatMap((entry) => [entry.code.toLowerCase(), entry.path.toLowerCase()])
      .filter((value) => rule.euroSciVoc.some((prefix) => segmentPrefix(value, prefix)));
    if (!found.length) return null;
    matched.push(...found);
  }
  if (rule.callTopics.length) {
    const found = project.callTopics.filter((code) =>
      rule.callTopics.some((prefix) => code.toUpperCase().startsWith(prefix)),
    );
    if (!found.length) return null;
    matched.push(...found);
  }
  return { rule: rule.id, matched: [...new Set(matched)].sort() };
}

/**
 * The lens topics a project addresses: for each topic the first of its rules (in file order) that
 * matches, unless one of its exclusions matches. Topics in lens order. None when the lens's relevance
 * section has `topicsFor` and the project's tier is not among them (a topic of PM is not read into an
 * engineering project that names cancer as a market). `tier`: the project's tier when the caller has
 * it (relevanceTier's), else it is found here.
 */
export function matchTopics(lens: CompiledLens, project: ProjectText, tier?: string | null): TopicMatch[] {
  const topicsFor = lens.lens.relevance?.topicsFor;
  // A caller that has the tier already (the classifier sets it too) passes it: it is not found twice.
  const projectTier = tier === undefined ? relevanceTier(lens, project)?.tier : tier;
  if (topicsFor && !topicsFor.includes(projectTier ?? "")) return [];
  const matches: TopicMatch[] = [];
  for (const topic of lens.topics) {
    if (topic.exclude.some((rule) => matchRule(rule, project))) continue;
    for (const rule of topic.rules) {
      const match = matchRule(rule, project);
      if (match) {
        matches.push({ topicId: topic.id, ...match });
        break;
      }
    }
  }
  return matches;
}

/** The relevance tier of a project: the first tier with a matching rule, else the lens's `otherwise`. */
export function relevanceTier(
  lens: CompiledLens,
  project: ProjectText,
): { tier: string; match: RuleMatch | null } | null {
  const relevance = lens.lens.relevance;
  if (!relevance) return null;
  for (const tier of lens.tiers) {
    for (const rule of tier.rules) {
      const match = matchRule(rule, project);
      if (match) return { tier: tier.tier, match };
    }
  }
  return { tier: relevance.otherwise, match: null };
}

/**
 * Whether the relevance tier of `project` is one of `wanted` (tier names of the lens or its
 * `otherwise`): the same answer as `relevanceTier`, but the tiers after the last wanted one are not
 * tried, since a project that matches none of the tiers up to it cannot end in a wanted one (unless
 * `otherwise` is wanted). False when the lens has no relevance tiers.
 */
export function inRelevanceTiers(
  lens: CompiledLens,
  project: ProjectText,
  wanted: ReadonlySet<string>,
): boolean {
  const relevance = lens.lens.relevance;
  if (!relevance) return false;
  if (wanted.has(relevance.otherwise)) return wanted.has(relevanceTier(lens, project)?.tier ?? "");
  let last = -1;
  lens.tiers.forEach((tier, index) => {
    if (wanted.has(tier.tier)) last = index;
  });
  for (const tier of lens.tiers.slice(0, last + 1))
    if (tier.rules.some((rule) => matchRule(rule, project))) return wanted.has(tier.tier);
  return false;
}
