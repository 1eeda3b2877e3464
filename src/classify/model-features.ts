import type { ModelFeatures } from "./lens-model.js";
import type { CompiledLens, ProjectText, RuleMatch } from "./match-lens.js";
import { matchRule } from "./match-lens.js";
import { sentenceFeatures } from "./sentence-features.js";

/** English function words: they carry no topic, and dropping them keeps the vocabulary small. */
const STOP_WORDS = new Set(
  (
    "a an the and or of in on at to for from by with without as is are was were be been being this that " +
    "these those it its their our we will which who whom whose what when where how than then also into " +
    "over under between through during about such can may not no nor but if so very more most other " +
    "each both all any some new well based use used using within while has have had do does did would " +
    "should could per via up out"
  ).split(" "),
);

/** The words of a text: lower-cased runs of letters and digits, without stop words and bare numbers. */
export function words(text: string): string[] {
  const found = text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];
  return found
    .map((word) => word.replace(/['’]/g, ""))
    .filter((word) => word.length > 1 && !STOP_WORDS.has(word) && !/^\d+$/.test(word));
}

const add = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

/**
 * What every rule of the lens (topic rules, exclusions, tier rules) matches in `project`, by rule id (ids
 * are unique within a lens file): computed once per project, for the features and for the decisions.
 */
export function ruleMatches(lens: CompiledLens, project: ProjectText): Map<string, RuleMatch | null> {
  const rules = [
    ...lens.topics.flatMap((topic) => [...topic.rules, ...topic.exclude]),
    ...lens.tiers.flatMap((tier) => tier.rules),
  ];
  return new Map(rules.map((rule) => [rule.id, matchRule(rule, project)]));
}

/**
 * The model's features of `project` (see the module comment); `lens` gives the rules whose matches are
 * features (`matches`: ruleMatches of the same project, when the caller has them). Pure; the same
 * project always gives the same features.
 */
export function modelFeatures(
  lens: CompiledLens,
  project: ProjectText,
  matches: Map<string, RuleMatch | null> = ruleMatches(lens, project),
): ModelFeatures {
  const text = new Map<string, number>();
  for (const field of [project.title, project.keywords, project.objective]) {
    const list = words(field ?? "");
    list.forEach((word, index) => {
      add(text, word);
      if (index > 0) add(text, `${list[index - 1]} ${word}`);
    });
  }
  for (const word of [...words(project.title ?? ""), ...words(project.keywords ?? "")])
    add(text, `t:${word}`);
  const meta = new Set<string>();
  for (const { path } of project.euroSciVoc) {
    const segments = path.toLowerCase().split("/").filter(Boolean);
    for (let end = 1; end <= segments.length; end++) meta.add(`esv:/${segments.slice(0, end).join("/")}`);
  }
  for (const raw of project.callTopics) {
    const code = raw.toUpperCase();
    const parts = code.split("-");
    meta.add(`call:${code}`);
    if (parts.length >= 2) meta.add(`call:${parts.slice(0, 2).join("-")}`);
    const area = parts.filter((part) => !/\d/.test(part));
    if (area.length > 2) meta.add(`call:${area.join("-")}`);
  }
  for (const [id, match] of matches) if (match) meta.add(`rule:${id}`);
  const { values: sentence, phrases } = sentenceFeatures(project);
  return { text, meta, sentence, phrases };
}
