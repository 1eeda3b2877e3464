import type { Lens } from "../../classify/lens-file.js";
import { type CompiledLens, compileLens, matchTopics, relevanceTier } from "../../classify/match-lens.js";
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
      if (tiers) return tiers.has(relevanceTier(compiled, view)?.tier ?? "");
      return matchTopics(compiled, view).length > 0;
    }
    return true;
  };
}
