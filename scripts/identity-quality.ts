/**
 * Precision and recall of the identity matcher's APPLIED matches against the hand-labelled pairs of
 * test/identity/ (LABELLING.md), with Wilson 95% intervals and n.
 *
 *   npx tsx scripts/identity-quality.ts [--split dev|test|all] [--ror <ror .jsonl.gz>] [--errors]
 *
 * Reads the seed's bodies and the ROR subset seed/reference/ror/ror-subset.jsonl.gz (or --ror, e.g.
 * ../shared/data/ror/ror-records.jsonl.gz), runs matchBodies and prints a Markdown table: APPLIED matches,
 * and APPLIED or PROPOSED for comparison. --errors lists the disagreements, for tuning: use it on `dev`
 * only; the `test` figures are the ones docs/identity.md reports and test/unit/identity-quality.test.ts gates.
 */
import { parseArgs } from "node:util";
import { matchBodies } from "../src/identity/match-bodies.js";
import { readRorFile } from "../src/identity/ror-file.js";
import {
  identityTable,
  measureMatches,
  readLabelledPairs,
  type Split,
} from "../test/helpers/identity-quality.js";
import { ROR_SUBSET, seedBodies } from "../test/helpers/identity-seed.js";

const { values } = parseArgs({
  options: {
    split: { type: "string", default: "dev" },
    ror: { type: "string", default: ROR_SUBSET },
    errors: { type: "boolean", default: false },
  },
});
const split = values.split as Split | "all";
if (!["dev", "test", "all"].includes(split))
  throw new Error(`--split must be dev, test or all, not ${split}`);
const bodies = seedBodies();
const matches = matchBodies(bodies, readRorFile(values.ror));
const pairs = readLabelledPairs();
const applied = measureMatches(pairs, matches, split);
console.log(
  identityTable([
    { split, decisions: "APPLIED", measure: applied },
    {
      split,
      decisions: "APPLIED or PROPOSED",
      measure: measureMatches(pairs, matches, split, ["APPLIED", "PROPOSED"]),
    },
  ]),
);
const appliedCount = matches.filter((match) => match.decision === "APPLIED").length;
console.log(
  `\nSeed bodies: ${bodies.length}; with an APPLIED ROR match: ${appliedCount}; PROPOSED only: ${matches.length - appliedCount}.`,
);
if (values.errors) {
  const byBody = new Map(matches.map((match) => [match.bodyId, match]));
  for (const [kind, list] of [
    ["false positive", applied.falsePositives],
    ["false negative", applied.falseNegatives],
  ] as const)
    for (const pair of list) {
      const match = byBody.get(pair.bodyId);
      console.log(`\n${kind} ${pair.pairId} (${pair.stratum}, ${pair.label}: ${pair.reason})`);
      console.log(
        `  matcher: ${match ? `${match.decision} ${match.method} ${match.rorId}: ${match.evidence}` : "no candidate"}`,
      );
    }
}
