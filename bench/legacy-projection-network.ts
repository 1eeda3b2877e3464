import { type AnalysisProjection, projectionSourceCount } from "../src/analysis/analysis-projection.js";
import { eurFromCents } from "../src/analysis/money.js";
import { addParticipations, compareIds, marks, ProjectScratch } from "../src/analysis/projection-analyses.js";

// The projection network as it was before issue 19a (commit f750006), kept only so that
// bench/org-network.ts can time the old and the new code side by side on one store in one run.
// Not used by the product.

/** Each index's rank when the ids are sorted in code-unit order. */
function ranks(ids: readonly string[]): Int32Array {
  const order = ids.map((_, i) => i).sort((a, b) => compareIds(ids[a]!, ids[b]!));
  const rank = new Int32Array(ids.length);
  order.forEach((index, r) => {
    rank[index] = r;
  });
  return rank;
}

export interface LegacyProjectionNetwork {
  members: { id: string; label: string; weight: number }[];
  edges: { source: string; target: string; weight: number; projects: number; amountEur: number }[];
  /** sourceCount of the projects of the listed nodes (entity ids). */
  sourceCountOf: (nodeKeys: ReadonlySet<string>) => number;
}

/**
 * The COUNTRY or ORGANISATION network of the filtered projects (`mask`), as the Cypher path of
 * wholeNetwork computes it: an edge per pair with at least `minWeight` shared projects, amounts the
 * sum of both ends' contributions in them (whole cents), edges heaviest first then by ids.
 */
export function legacyProjectionNetwork(
  projection: AnalysisProjection,
  level: "COUNTRY" | "ORGANISATION",
  mask: Uint8Array,
  minWeight: number,
): LegacyProjectionNetwork {
  const entities = level === "COUNTRY" ? projection.countries : projection.organisations;
  const size = entities.ids.length;
  const rank = ranks(entities.ids);
  const weight = new Int32Array(size);
  const scratch = new ProjectScratch(size);
  const slotOf = new Map<number, number>();
  const pairKey: number[] = [];
  const pairProjects: number[] = [];
  const pairCents: number[] = [];
  const projectCount = projection.projects.ids.length;
  for (let p = 0; p < projectCount; p++) {
    if (!mask[p]) continue;
    addParticipations(projection, level, p, scratch);
    const present = scratch.present;
    for (let x = 0; x < present.length; x++) {
      const a = present[x]!;
      weight[a]! += 1;
      for (let y = x + 1; y < present.length; y++) {
        const b = present[y]!;
        // Keyed by rank so that the pair's source is the smaller id.
        const key = rank[a]! < rank[b]! ? rank[a]! * size + rank[b]! : rank[b]! * size + rank[a]!;
        const both = scratch.cents[a]! + scratch.cents[b]!;
        const slot = slotOf.get(key);
        if (slot === undefined) {
          slotOf.set(key, pairKey.length);
          pairKey.push(key);
          pairProjects.push(1);
          pairCents.push(both);
        } else {
          pairProjects[slot]! += 1;
          pairCents[slot]! += both;
        }
      }
    }
  }
  const byRank = new Int32Array(size);
  rank.forEach((r, index) => {
    byRank[r] = index;
  });
  const edges: LegacyProjectionNetwork["edges"] = [];
  for (let slot = 0; slot < pairKey.length; slot++) {
    if (pairProjects[slot]! < minWeight) continue;
    const key = pairKey[slot]!;
    edges.push({
      source: entities.ids[byRank[Math.floor(key / size)]!]!,
      target: entities.ids[byRank[key % size]!]!,
      weight: pairProjects[slot]!,
      projects: pairProjects[slot]!,
      amountEur: eurFromCents(pairCents[slot]!),
    });
  }
  edges.sort(
    (a, b) => b.weight - a.weight || compareIds(a.source, b.source) || compareIds(a.target, b.target),
  );
  const members: LegacyProjectionNetwork["members"] = [];
  for (let e = 0; e < size; e++) {
    if (!weight[e]) continue;
    const name = level === "COUNTRY" ? projection.countries.name[e] : projection.organisations.name[e];
    members.push({ id: entities.ids[e]!, label: name ?? entities.ids[e]!, weight: weight[e]! });
  }
  const sourceCountOf = (nodeKeys: ReadonlySet<string>) => {
    const listed = marks(size, entities.index, [...nodeKeys]);
    const counted: string[] = [];
    // Its own scratch: the pass above left its marks (by project index) in the shared one.
    const scratch = new ProjectScratch(size);
    for (let p = 0; p < projectCount; p++) {
      if (!mask[p]) continue;
      addParticipations(projection, level, p, scratch);
      if (scratch.present.some((e) => listed[e])) counted.push(projection.projects.ids[p]!);
    }
    return projectionSourceCount(projection, counted);
  };
  return { members, edges, sourceCountOf };
}

/**
 * The old cut of the old whole network (collaboration-network.ts before issue 19a): nodes with a kept
 * edge sorted, the heaviest `limit` edges, the nodes they touch, and the sourceCount of those nodes.
 */
export function legacyCut(network: LegacyProjectionNetwork, kind: string, limit: number) {
  const used = new Set(network.edges.flatMap((edge) => [edge.source, edge.target]));
  const wholeNodes = network.members
    .map((member) => ({ key: member.id, label: member.label, kind, weight: member.weight, records: [] }))
    .filter((node) => used.has(node.key))
    .sort((a, b) => b.weight - a.weight || compareIds(a.key, b.key));
  const edges = network.edges.slice(0, limit);
  const cutUsed = new Set(edges.flatMap((edge) => [edge.source, edge.target]));
  const nodes = wholeNodes.filter((node) => cutUsed.has(node.key)).map(({ records: _, ...node }) => node);
  return {
    nodes,
    edges,
    totalEdges: network.edges.length,
    sourceCount: network.sourceCountOf(new Set(nodes.map((node) => node.key))),
  };
}
