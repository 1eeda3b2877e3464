import { describe, expect, it } from "vitest";
import type { AnalysisProjection } from "../../src/analysis/analysis-projection.js";
import { participationProjection } from "../../src/analysis/participation-projection.js";
import { projectionNetwork, projectionNetworkSliced } from "../../src/analysis/projection-network.js";
import { seededRandom } from "../../src/util/seeded-random.js";

// Issue 19a: the organisation network counts pairs row by row in typed arrays and cuts to `limit`
// before making objects. Its answers must be the ones the plain definition gives; the reference
// below is that definition written out the simplest way (every pair of every project in a Map, every
// edge sorted), independently of the code under test.

interface Fixture {
  /** Organisations: id, name (null: labelled by id), countries (indices, one per LOCATED_IN). */
  organisations: { id: string; name: string | null; countries: number[] }[];
  countries: { id: string; name: string }[];
  /** Projects: their participations as [organisation index, whole cents] and their sources. */
  projects: { id: string; parts: [number, number][]; sources?: string[] }[];
}

/** An AnalysisProjection with just what the networks read (participations, names, countries, sources). */
function projectionOf(fixture: Fixture): AnalysisProjection {
  return participationProjection({
    projects: fixture.projects.map((p) => ({ ...p, startYear: 2020 })),
    organisations: fixture.organisations,
    countries: fixture.countries,
  });
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The definition, plainly: per project its distinct entities with summed cents; every pair in a Map. */
function reference(fixture: Fixture, level: "COUNTRY" | "ORGANISATION", mask: boolean[], minWeight: number) {
  const entity = (o: number) =>
    level === "ORGANISATION"
      ? [fixture.organisations[o]!.id]
      : fixture.organisations[o]!.countries.map((c) => fixture.countries[c]!.id);
  const label = (id: string) =>
    level === "ORGANISATION"
      ? (fixture.organisations.find((o) => o.id === id)!.name ?? id)
      : fixture.countries.find((c) => c.id === id)!.name;
  const pairs = new Map<string, { source: string; target: string; projects: number; cents: number }>();
  const projectsOf = new Map<string, Set<string>>();
  fixture.projects.forEach((project, p) => {
    if (!mask[p]) return;
    const cents = new Map<string, number>();
    for (const [o, c] of project.parts) for (const e of entity(o)) cents.set(e, (cents.get(e) ?? 0) + c);
    const ids = [...cents.keys()].sort(byCodeUnits);
    for (const id of ids) projectsOf.set(id, (projectsOf.get(id) ?? new Set()).add(project.id));
    for (let x = 0; x < ids.length; x++)
      for (let y = x + 1; y < ids.length; y++) {
        const key = `${ids[x]}|${ids[y]}`;
        const pair = pairs.get(key) ?? { source: ids[x]!, target: ids[y]!, projects: 0, cents: 0 };
        pair.projects += 1;
        pair.cents += cents.get(ids[x]!)! + cents.get(ids[y]!)!;
        pairs.set(key, pair);
      }
  });
  const edges = [...pairs.values()]
    .filter((pair) => pair.projects >= minWeight)
    .map((pair) => ({
      source: pair.source,
      target: pair.target,
      weight: pair.projects,
      projects: pair.projects,
      amountEur: pair.cents / 100,
    }))
    .sort(
      (a, b) => b.weight - a.weight || byCodeUnits(a.source, b.source) || byCodeUnits(a.target, b.target),
    );
  const nodesOf = (of: typeof edges) => {
    const used = new Set(of.flatMap((e) => [e.source, e.target]));
    return [...used]
      .map((key) => ({
        key,
        label: label(key),
        kind: level === "COUNTRY" ? "Country" : "Organisation",
        weight: projectsOf.get(key)!.size,
      }))
      .sort((a, b) => b.weight - a.weight || byCodeUnits(a.key, b.key));
  };
  const sourceCount = (of: typeof edges) => {
    const keys = new Set(nodesOf(of).map((n) => n.key));
    const sources = new Set<string>();
    fixture.projects.forEach((project, p) => {
      if (mask[p] && project.parts.some(([o]) => entity(o).some((e) => keys.has(e))))
        for (const s of project.sources ?? []) sources.add(s);
    });
    return sources.size;
  };
  return { edges, nodes: nodesOf(edges), nodesOf, sourceCount };
}

/** A random landscape with many ties: few projects per pair, ids in mixed case and with accents. */
function randomFixture(seed: number): Fixture {
  const random = seededRandom(seed);
  const countries = ["DE", "FR", "es", "Ö", "IT"].map((id) => ({ id: `country:${id}`, name: `Land ${id}` }));
  const organisations = Array.from({ length: 40 }, (_, i) => ({
    // Shuffled names so that the table's order is not the ids' order; upper case sorts before lower.
    id: `org:${["b", "A", "a", "É", "Z", "z"][i % 6]}${(i * 7919) % 41}`,
    name: i % 5 === 0 ? null : `Organisation ${i}`,
    countries: i % 9 === 0 ? [i % 5, (i + 2) % 5] : [i % 5],
  }));
  const projects = Array.from({ length: 60 }, (_, p) => {
    const size = 1 + Math.floor(random() * 6);
    const parts: [number, number][] = [];
    for (let k = 0; k < size; k++) {
      // Long tail: a few organisations in many projects; the same one twice in a project sometimes.
      parts.push([Math.floor(40 * random() ** 2), Math.round(random() * 1_000_000)]);
    }
    return { id: `cordis:${p}`, parts, sources: [`source:${p % 7}`] };
  });
  return { organisations, countries, projects };
}

describe("issue 19a: the projection network counts pairs in typed arrays and cuts before making objects", () => {
  it("gives the hand-derived network of a small case, ties in code-unit order", () => {
    // o:B (B) and o:a (a) are in p1 and p2; o:a and o:C in p2; o:C twice in p3 with o:B.
    // Code units: "o:B" < "o:C" < "o:a" (upper case first).
    const fixture: Fixture = {
      countries: [{ id: "country:DE", name: "Germany" }],
      organisations: [
        { id: "o:a", name: "a", countries: [0] },
        { id: "o:C", name: null, countries: [0] },
        { id: "o:B", name: "B", countries: [0] },
      ],
      projects: [
        {
          id: "p1",
          parts: [
            [2, 100],
            [0, 200],
          ],
          sources: ["s1"],
        },
        {
          id: "p2",
          parts: [
            [0, 1],
            [2, 2],
            [1, 4],
          ],
          sources: ["s2"],
        },
        {
          id: "p3",
          parts: [
            [1, 10],
            [2, 20],
            [1, 30],
          ],
          sources: ["s1"],
        },
      ],
    };
    const network = projectionNetwork(projectionOf(fixture), "ORGANISATION", Uint8Array.of(1, 1, 1), 1);
    // B-a: p1 (100 + 200) and p2 (2 + 1) = 303 cents, weight 2. B-C: p2 (2 + 4), p3 (20 + 10 + 30):
    // 66 cents, weight 2. C-a: p2 (4 + 1) = 5 cents, weight 1.
    const edges = [
      { source: "o:B", target: "o:C", weight: 2, projects: 2, amountEur: 0.66 },
      { source: "o:B", target: "o:a", weight: 2, projects: 2, amountEur: 3.03 },
      { source: "o:C", target: "o:a", weight: 1, projects: 1, amountEur: 0.05 },
    ];
    expect(network.totalEdges).toBe(3);
    expect(network.edges()).toEqual(edges);
    // B is in 3 projects; C (labelled by its id) and a in 2 each, C before a by code units.
    expect(network.nodes()).toEqual([
      { key: "o:B", label: "B", kind: "Organisation", weight: 3 },
      { key: "o:C", label: "o:C", kind: "Organisation", weight: 2 },
      { key: "o:a", label: "a", kind: "Organisation", weight: 2 },
    ]);
    // Cut at 1: the tie B-C / B-a goes to C by code units; a is not listed.
    expect(network.cut(1)).toEqual({
      edges: edges.slice(0, 1),
      nodes: [
        { key: "o:B", label: "B", kind: "Organisation", weight: 3 },
        { key: "o:C", label: "o:C", kind: "Organisation", weight: 2 },
      ],
    });
    // B and C are in p1 (s1), p2 (s2), p3 (s1): two sources.
    expect(network.sourceCountOf(new Set(["o:B", "o:C"]))).toBe(2);
    expect(network.sourceCountOf(new Set(["o:C"]))).toBe(2);
    expect(network.sourceCountOf(new Set(["o:a"]))).toBe(2);
    // Only p1 kept: one edge B-a.
    expect(
      projectionNetwork(projectionOf(fixture), "ORGANISATION", Uint8Array.of(1, 0, 0), 1).edges(),
    ).toEqual([{ source: "o:B", target: "o:a", weight: 1, projects: 1, amountEur: 3 }]);
    // minWeight 1.5 (a Float argument) keeps the two edges of weight 2.
    expect(
      projectionNetwork(projectionOf(fixture), "ORGANISATION", Uint8Array.of(1, 1, 1), 1.5).totalEdges,
    ).toBe(2);
  });

  it("gives the plain definition's network at every cut, every minWeight and filter, both levels", () => {
    let compared = 0;
    for (const seed of [1, 2, 3]) {
      const fixture = randomFixture(seed);
      const projection = projectionOf(fixture);
      const random = seededRandom(seed * 101);
      const masks = [
        fixture.projects.map(() => true),
        fixture.projects.map(() => random() < 0.5),
        fixture.projects.map(() => false),
      ];
      for (const level of ["ORGANISATION", "COUNTRY"] as const) {
        for (const mask of masks) {
          for (const minWeight of [0, 1, 1.5, 2, 3]) {
            const expected = reference(fixture, level, mask, minWeight);
            const network = projectionNetwork(projection, level, Uint8Array.from(mask, Number), minWeight);
            expect(network.totalEdges).toBe(expected.edges.length);
            expect(network.edges()).toEqual(expected.edges);
            expect(network.nodes()).toEqual(expected.nodes);
            // Every limit, so that every cut falls once inside a group of equal weights.
            for (let limit = 1; limit <= expected.edges.length + 1; limit++) {
              const cut = network.cut(limit);
              const edges = expected.edges.slice(0, limit);
              expect(cut.edges).toEqual(edges);
              expect(cut.nodes).toEqual(expected.nodesOf(edges));
              expect(network.sourceCountOf(new Set(cut.nodes.map((n) => n.key)))).toBe(
                expected.sourceCount(edges),
              );
              compared++;
            }
          }
        }
      }
    }
    // The fixtures must have produced networks with ties at the cut, not empty ones.
    expect(compared).toBeGreaterThan(1000);
  });

  it("counts the same pairs when the counting is cut into slices (the event loop served between them)", async () => {
    for (const seed of [1, 2, 3]) {
      const fixture = randomFixture(seed);
      const projection = projectionOf(fixture);
      for (const level of ["ORGANISATION", "COUNTRY"] as const) {
        for (const minWeight of [1, 2]) {
          const mask = Uint8Array.from(fixture.projects, () => 1);
          const expected = reference(fixture, level, [...mask].map(Boolean), minWeight);
          let turns = 0;
          const counting = projectionNetworkSliced(projection, level, mask, minWeight, 0);
          // A slice of 0 ms stops after every 16 entities: other work runs in between.
          const ticking = (async () => {
            while (turns >= 0) {
              turns++;
              await new Promise((resolve) => setImmediate(resolve));
              if (turns > 10_000) break;
            }
          })();
          const network = await counting;
          const ticks = turns;
          turns = -1;
          await ticking;
          expect(network.edges()).toEqual(expected.edges);
          expect(network.nodes()).toEqual(expected.nodes);
          if (level === "ORGANISATION") expect(ticks).toBeGreaterThan(1);
        }
      }
    }
  });
});
