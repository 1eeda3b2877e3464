import type { ManagedTransaction } from "neo4j-driver";

/**
 * Properties that follow from others and must stay in step whoever writes: `Project.startYear` is the
 * year of `startDate` (the analyses filter and group on the year; the importers derive it the same way,
 * cordis-rows.ts). A GraphQL write of `startDate` alone left the year as it was (null for a created
 * project, which then fell out of every year matrix), and a write of `startYear` alone contradicted the
 * date. Where a project has a start date, its year wins; without one, `startYear` is what was written.
 * Runs in the writing transaction, so the change commits with the write or not at all. Returns the
 * corrected projects: id -> the year now stored (a driver Integer, as the write's own answer holds it).
 */
export async function syncDerivedProperties(
  tx: Pick<ManagedTransaction, "run">,
): Promise<Map<string, unknown>> {
  const result = await tx.run(
    `MATCH (p:Project) WHERE p.startDate IS NOT NULL AND (p.startYear IS NULL OR p.startYear <> date(p.startDate).year)
     SET p.startYear = date(p.startDate).year
     RETURN p.id AS id, p.startYear AS year`,
  );
  return new Map(result.records.map((r) => [r.get("id") as string, r.get("year") as unknown]));
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/**
 * Brings a write's own answer in step with `corrections` (syncDerivedProperties): @neo4j/graphql reads
 * a mutation's answer back in the same statement as the write, before the year was derived, so
 * `createProjects(...) { projects { id startYear } }` answered the year as written (null, or the old
 * year) while the store held the right one. Every map of the answer's records (at any depth) with the
 * `id` of a corrected project and a `startYear` gets the stored year. A selection of `startYear`
 * without `id` cannot be recognised and is left as it was.
 */
export function correctAnswer(
  records: readonly { keys: readonly PropertyKey[]; get(key: PropertyKey): unknown }[],
  corrections: Map<string, unknown>,
): void {
  if (!corrections.size) return;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isPlainObject(value)) {
      if (typeof value.id === "string" && "startYear" in value && corrections.has(value.id))
        value.startYear = corrections.get(value.id);
      Object.values(value).forEach(visit);
    }
  };
  for (const record of records) for (const key of record.keys) visit(record.get(key));
}
