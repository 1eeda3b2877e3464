import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import {
  applyLenses,
  type LensReport,
  lensesWithStored,
  removeRuleLinks,
} from "../../classify/apply-lenses.js";
import { readLensDir } from "../../classify/lens-file.js";
import type { Logger } from "../../util/logger.js";
import { projectRoot } from "../../util/project-root.js";
import { openCordisSource } from "../cordis/cordis-source.js";
import { importCordis } from "../cordis/import-cordis.js";
import { addCounts, emptyCounts, mergeNodes, mergeRelationships, type WriteCounts } from "../graph-writer.js";
import { InputValidationError } from "../problems.js";
import { readCountryReference } from "./countries.js";
import { readSeed } from "./read-seed.js";

export const defaultSeedDir = () => path.join(projectRoot(), "seed");

export interface SeedReport extends WriteCounts {
  nodes: number;
  relationships: number;
  cordisProjects: number;
  /** The topic lenses applied at the end of the load (seed/lenses/*.yaml and those stored in the graph). */
  lenses: LensReport[];
  ms: number;
}

/** The CORDIS exports shipped with the seed: every folder under seed/cordis/ that holds a project.csv. */
function cordisFolders(seedDir: string): string[] {
  const root = path.join(seedDir, "cordis");
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(root, entry.name, "project.csv")))
    .map((entry) => path.join(root, entry.name))
    .sort();
}

/**
 * Loads the seed: the country reference, the CORDIS exports under seed/cordis/ and the curated YAML.
 * Everything is validated before the first write (a CORDIS row the importer would reject is an
 * error here: the seed is curated), then written in one transaction, so a bad file changes nothing.
 */
export async function loadSeed(
  driver: Driver,
  database: string,
  log: Logger,
  seedDir = defaultSeedDir(),
): Promise<SeedReport> {
  const started = Date.now();
  const displayRoot = path.dirname(seedDir);
  const countries = readCountryReference(path.join(seedDir, "reference"));
  const folders = cordisFolders(seedDir);

  const externalIds = new Map<string, string[]>();
  for (const folder of folders) {
    const source = await openCordisSource(folder, displayRoot);
    try {
      const check = await importCordis(source, undefined, { countries });
      if (check.rejected.length) throw new InputValidationError(check.rejected);
      for (const id of check.projectIds) externalIds.set(id, ["Project"]);
    } finally {
      source.close();
    }
  }
  const plan = readSeed({ seedDir, countries, externalIds, displayRoot });
  const lensFiles = readLensDir(path.join(seedDir, "lenses"), displayRoot);

  const session = driver.session({ database });
  let cordisProjects = 0;
  let lenses: LensReport[] = [];
  try {
    const counts = await session.executeWrite(async (tx) => {
      await removeRuleLinks(tx);
      let total = emptyCounts();
      for (const group of plan.nodes)
        total = addCounts(total, await mergeNodes(tx, group.labels, group.rows));
      for (const folder of folders) {
        const source = await openCordisSource(folder, displayRoot);
        try {
          const report = await importCordis(source, tx, { countries });
          cordisProjects += report.projects;
          total = addCounts(total, {
            nodesCreated: report.nodesCreated,
            relationshipsCreated: report.relationshipsCreated,
            propertiesSet: 0,
            labelsAdded: 0,
          });
        } finally {
          source.close();
        }
      }
      for (const group of plan.relationships) {
        total = addCounts(total, await mergeRelationships(tx, group.type, group.rows, group.keyNames));
      }
      // Topic lenses (issue 18): derived ADDRESSES links, in the same transaction as the data.
      lenses = await applyLenses(tx, await lensesWithStored(tx, lensFiles));
      return total;
    });
    const report: SeedReport = {
      ...counts,
      nodes: plan.nodes.reduce((sum, group) => sum + group.rows.length, 0),
      relationships: plan.relationships.reduce((sum, group) => sum + group.rows.length, 0),
      cordisProjects,
      lenses,
      ms: Date.now() - started,
    };
    log.info(report, "seed loaded");
    return report;
  } finally {
    await session.close();
  }
}

export async function isGraphEmpty(driver: Driver, database: string): Promise<boolean> {
  const { records } = await driver.executeQuery(
    "MATCH (n) RETURN count(n) > 0 AS any LIMIT 1",
    {},
    { database },
  );
  return !records[0]?.get("any");
}
