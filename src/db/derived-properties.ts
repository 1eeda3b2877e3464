import type { ManagedTransaction } from "neo4j-driver";

/**
 * Properties that follow from others and must stay in step whoever writes: `Project.startYear` is the
 * year of `startDate` (the analyses filter and group on the year; the importers derive it the same way,
 * cordis-rows.ts). A GraphQL write of `startDate` alone left the year as it was (null for a created
 * project, which then fell out of every year matrix), and a write of `startYear` alone contradicted the
 * date. Where a project has a start date, its year wins; without one, `startYear` is what was written.
 * Runs in the writing transaction, so the change commits with the write or not at all. Returns the
 * number of projects corrected.
 */
export async function syncDerivedProperties(tx: Pick<ManagedTransaction, "run">): Promise<number> {
  const result = await tx.run(
    `MATCH (p:Project) WHERE p.startDate IS NOT NULL AND (p.startYear IS NULL OR p.startYear <> date(p.startDate).year)
     SET p.startYear = date(p.startDate).year
     RETURN count(p) AS corrected`,
  );
  return (result.records[0]?.get("corrected") as { toNumber(): number } | undefined)?.toNumber() ?? 0;
}
