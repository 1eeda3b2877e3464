import type { Body } from "./body.js";
import { nameTokens, normaliseName } from "./normalise.js";
import { isMatchable, type RorRecord } from "./ror-record.js";

/**
 * The generic, untuned candidate generator: ROR records in the body's country (every country when the
 * body has none) that share a word with one of its names, ranked by the best token Jaccard similarity
 * between a body name and a record name. It is deliberately plain, because the hand-labelled pairs
 * (test/identity/) were drawn from it before any match rule existed: the sample must not depend on the rules
 * it measures. The matcher uses it to find what to compare, and the ROR subset keeps its top candidates.
 */
export interface RorIndex {
  records: RorRecord[];
  /** Per record, the token sets of its names (same order as `record.names`). */
  nameTokens: string[][][];
  /** country ("" for any) -> token -> indexes into records. */
  postings: Map<string, Map<string, number[]>>;
}

export interface Candidate {
  record: RorRecord;
  /** Best token Jaccard similarity in [0, 1] over body names x record names. */
  similarity: number;
  bodyName: string;
  rorName: string;
}

/** An index of the matchable records (withdrawn and successor-less inactive records left out). */
export function buildRorIndex(records: readonly RorRecord[]): RorIndex {
  const kept = records.filter(isMatchable);
  const index: RorIndex = { records: kept, nameTokens: [], postings: new Map() };
  kept.forEach((record, position) => {
    const sets = record.names.map((name) => nameTokens(normaliseName(name.value)));
    index.nameTokens.push(sets);
    for (const country of [record.country ?? "", ""]) {
      let byToken = index.postings.get(country);
      if (!byToken) {
        byToken = new Map();
        index.postings.set(country, byToken);
      }
      for (const token of new Set(sets.flat())) {
        const list = byToken.get(token);
        if (!list) byToken.set(token, [position]);
        else if (list[list.length - 1] !== position) list.push(position);
      }
      if (!record.country) break;
    }
  });
  return index;
}

/** |a ∩ b| / |a ∪ b| of two token lists without repeats; 0 when both are empty. */
export function jaccard(a: readonly string[], b: readonly string[]): number {
  if (!a.length && !b.length) return 0;
  const set = new Set(a);
  const shared = b.filter((token) => set.has(token)).length;
  return shared / (a.length + b.length - shared);
}

/**
 * The `limit` best candidates of a body, similarity descending, ties by ROR id (so a draw repeats).
 * Bodies without a usable name get none.
 */
export function candidatesFor(body: Body, index: RorIndex, limit = 5): Candidate[] {
  const bodyNames = body.names
    .map((name) => ({ name, tokens: nameTokens(normaliseName(name)) }))
    .filter((entry) => entry.tokens.length);
  const byToken = index.postings.get(body.country ?? "");
  if (!byToken || !bodyNames.length) return [];
  const seen = new Set<number>();
  for (const { tokens } of bodyNames)
    for (const token of tokens) for (const position of byToken.get(token) ?? []) seen.add(position);
  const scored: Candidate[] = [];
  for (const position of seen) {
    const record = index.records[position]!;
    let best: Candidate = { record, similarity: 0, bodyName: "", rorName: "" };
    index.nameTokens[position]!.forEach((tokens, nameIndex) => {
      for (const bodyName of bodyNames) {
        const similarity = jaccard(bodyName.tokens, tokens);
        if (similarity > best.similarity)
          best = { record, similarity, bodyName: bodyName.name, rorName: record.names[nameIndex]!.value };
      }
    });
    if (best.similarity > 0) scored.push(best);
  }
  return scored
    .sort((a, b) => b.similarity - a.similarity || (a.record.rorId < b.record.rorId ? -1 : 1))
    .slice(0, limit);
}
