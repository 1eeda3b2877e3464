import type { Lens } from "../../classify/lens-file.js";
import { type CompiledLens, compileLens, inRelevanceTiers, matchTopics } from "../../classify/match-lens.js";
import { escapeRegExp, termWordSources } from "../../classify/term-pattern.js";
import type { OpenAireProject } from "./openaire-record.js";

/**
 * The filters of an OpenAIRE import (issue 21.2), applied to each record before it is kept, cheapest
 * first: funder, then text, then lens. A record passes when it passes every filter given.
 */
export interface OpenAireFilterOptions {
  /** OpenAIRE funder short names (NIH, ANR, ...), compared exactly but case-insensitively. */
  funders?: string[] | undefined;
  /** Title, acronym, keywords, subjects or summary must match (case-insensitive regular expression). */
  match?: RegExp | undefined;
  /** Keep projects that the lens links to at least one of its topics (its rules read title, summary, keywords). */
  lens?: Lens | undefined;
  /** With a lens that has relevance tiers: keep projects in one of these tiers instead (e.g. CORE). */
  tiers?: string[] | undefined;
}

export type ProjectFilter = (project: OpenAireProject) => boolean;

/** The lens's view of a project: summary as objective; keywords and subjects as keywords. */
export function lensText(project: OpenAireProject) {
  return {
    id: project.openaireId,
    title: [project.acronym, project.title].filter(Boolean).join(" "),
    objective: project.summary ?? "",
    keywords: [project.keywords, ...project.subjects].filter(Boolean).join("; "),
    euroSciVoc: [],
    callTopics: [],
  };
}

/**
 * One predicate for the given filters. Throws when `tiers` is given without a lens, or names a tier the
 * lens does not have.
 */
export function projectFilter(options: OpenAireFilterOptions): ProjectFilter {
  const funders = options.funders?.length ? new Set(options.funders.map((f) => f.toUpperCase())) : null;
  const match = options.match;
  let compiled: CompiledLens | null = null;
  let tiers: Set<string> | null = null;
  if (options.tiers?.length) {
    if (!options.lens) throw new Error("--tier needs --lens");
    const relevance = options.lens.relevance;
    const known = relevance ? [...relevance.tiers.map((t) => t.tier), relevance.otherwise] : [];
    const unknown = options.tiers.filter((t) => !known.includes(t));
    if (unknown.length)
      throw new Error(
        `--tier ${unknown.join(", ")}: lens ${options.lens.lens} has ${known.length ? `tiers ${known.join(", ")}` : "no tiers"}`,
      );
    tiers = new Set(options.tiers);
  }
  if (options.lens) compiled = compileLens(options.lens);
  return (project) => {
    if (funders && !project.fundings.some((f) => funders.has(f.shortName.toUpperCase()))) return false;
    if (
      match &&
      ![project.title, project.acronym, project.keywords, project.summary, ...project.subjects].some(
        (value) => value !== null && match.test(value),
      )
    )
      return false;
    if (compiled) {
      const view = lensText(project);
      if (tiers) return inRelevanceTiers(compiled, view, tiers);
      return matchTopics(compiled, view).length > 0;
    }
    return true;
  };
}

/** The OpenAIRE short name of the European Commission, whose grants come from CORDIS instead. */
export const EUROPEAN_COMMISSION = "EC";

/**
 * With --funder, a test on the raw line that every record of those funders passes. It relies on the
 * dump writing short names as plain JSON text (not \u escapes), as it does.
 */
function funderLineTest(funders: string[] | undefined): RegExp | null {
  if (!funders?.length) return null;
  return new RegExp(`"shortName"\\s*:\\s*"(?:${funders.map(escapeRegExp).join("|")})"`, "i");
}

/**
 * With --lens, a test on the raw line that every record the lens keeps passes: the longest word of
 * one of the terms of a rule that could keep it (a rule of a wanted tier, or of any topic) is written
 * in the line (the longest, since a short one, "in" of "in vitro diagnostic", is in most lines). Each word of a decoded text is also written out letter by letter in the raw line, unless the
 * line holds a \u escape or a C1 control character (removed on reading, which can join two halves of
 * a word): such a line always passes, as does a record of the European Commission, so that it is still
 * counted as skipped rather than filtered out. Rules without terms read only EuroSciVoc and call
 * topics, which OpenAIRE records do not have (`lensText`), so they can keep none. Null when every
 * record may pass (no lens, or `otherwise` wanted).
 */
function lensLineTest(
  lens: Lens | undefined,
  tiers: string[] | undefined,
): ((line: string) => boolean) | null {
  if (!lens) return null;
  let rules: Lens["topics"][number]["rules"];
  if (tiers?.length) {
    if (!lens.relevance || tiers.includes(lens.relevance.otherwise)) return null;
    rules = lens.relevance.tiers.filter((tier) => tiers.includes(tier.tier)).flatMap((tier) => tier.rules);
  } else rules = lens.topics.flatMap((topic) => topic.rules);
  const keyWords = [...new Set(rules.flatMap((rule) => rule.terms.map((term) => termWordSources(term)[0]!)))];
  if (!keyWords.length) return () => false;
  const anyKeyWord = new RegExp(keyWords.map((word) => `(?:${word})`).join("|"), "iu");
  const alwaysParsed = new RegExp(
    `\\\\u|[\\u007f-\\u009f]|${funderLineTest([EUROPEAN_COMMISSION])!.source}`,
    "i",
  );
  return (line) => anyKeyWord.test(line) || alwaysParsed.test(line);
}

/**
 * A test on a raw project line, before it is parsed, that every record `projectFilter(options)`
 * keeps passes (a superset: a passing record is then parsed and filtered exactly). A record of the
 * European Commission may fail it; it is then counted as filtered out rather than skipped. Most of a
 * large dump fails it, which is what makes a filtered import fast: JSON parsing and the lens are the
 * bulk of the import's CPU time. Null when no filter can be tested on the raw line.
 */
export function projectLinePrefilter(options: OpenAireFilterOptions): ((line: string) => boolean) | null {
  const funder = funderLineTest(options.funders);
  const lens = lensLineTest(options.lens, options.tiers);
  if (funder && lens) return (line) => funder.test(line) && lens(line);
  if (funder) return (line) => funder.test(line);
  return lens;
}
