import type { BodyMatch } from "./match-bodies.js";

/**
 * Bodies that are one organisation because their APPLIED matches name the same ROR record: ROR id ->
 * body ids (sorted), only for records matched by two bodies or more. PROPOSED matches never link: a weak
 * match would merge two organisations in the graph, which is far costlier to undo than a missing link.
 */
export function linkBodies(matches: readonly BodyMatch[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const match of matches) {
    if (match.decision !== "APPLIED") continue;
    groups.set(match.rorId, [...(groups.get(match.rorId) ?? []), match.bodyId]);
  }
  return new Map(
    [...groups]
      .filter(([, bodyIds]) => bodyIds.length > 1)
      .map(([rorId, bodyIds]) => [rorId, [...new Set(bodyIds)].sort()] as const),
  );
}
