/**
 * Makes seed/reference/ror/ror-subset.jsonl.gz, the ROR records the seed needs, for clones without
 * ../shared (seed/reference/ror/PROVENANCE.md).
 *
 *   npx tsx scripts/ror-subset.ts ../shared/data/ror/ror-records.jsonl.gz [seed/reference/ror/ror-subset.jsonl.gz]
 *
 * Kept, from the full extract, line by line as written there: the 10 best records of the generic
 * candidate generator (candidatesFor, the same number matchBodies looks at) for every seed body; every
 * record sharing a website host with a seed body; every record bearing a normalised name of a seed body in
 * its country (so that the matcher's "no other record has that name" check sees the same records);
 * the records of the labelled pairs (test/identity/pairs.csv); and every record of type "funder" in a
 * European country. Sorted by ROR id, gzip level 9 with mtime 0: a rerun gives the same bytes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { buildRorIndex, candidatesFor } from "../src/identity/candidates.js";
import { normaliseName } from "../src/identity/normalise.js";
import { rorRecordFromJson } from "../src/identity/ror-record.js";
import { websiteDomain } from "../src/identity/website.js";
import { readLabelledPairs } from "../test/helpers/identity-quality.js";
import { ROR_SUBSET, seedBodies } from "../test/helpers/identity-seed.js";

/** EU, EEA, EFTA, the United Kingdom, candidate and neighbouring countries: where the seed's funders are. */
const EUROPE = new Set(
  (
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK " +
    "IS LI NO CH GB AL BA ME MK RS XK TR UA MD GE AM IL FO AD MC SM VA"
  ).split(" "),
);

const [source, target = ROR_SUBSET] = process.argv.slice(2);
if (!source) throw new Error("usage: npx tsx scripts/ror-subset.ts <ror-records.jsonl.gz> [subset.jsonl.gz]");
const lines = gunzipSync(readFileSync(source)).toString("utf8").split("\n").filter(Boolean);
const records = lines.map((line) => rorRecordFromJson(JSON.parse(line)));
const index = buildRorIndex(records);
const bodies = seedBodies();
const keep = new Set<string>();
const reasons = { candidate: 0, website: 0, name: 0, pair: 0, funder: 0 };
const add = (rorId: string, reason: keyof typeof reasons) => {
  if (keep.has(rorId)) return;
  keep.add(rorId);
  reasons[reason]++;
};
for (const body of bodies)
  for (const candidate of candidatesFor(body, index, 10)) add(candidate.record.rorId, "candidate");
const bodyDomains = new Set(bodies.flatMap((body) => body.websites.map(websiteDomain)));
const bodyNames = new Set(
  bodies.flatMap((body) => body.names.map((name) => `${body.country}|${normaliseName(name)}`)),
);
for (const record of records) {
  if (record.websiteDomains.some((domain) => bodyDomains.has(domain))) add(record.rorId, "website");
  if (record.names.some((name) => bodyNames.has(`${record.country}|${normaliseName(name.value)}`)))
    add(record.rorId, "name");
}
for (const pair of readLabelledPairs()) add(pair.rorId, "pair");
for (const record of records)
  if (record.types.includes("funder") && record.country && EUROPE.has(record.country))
    add(record.rorId, "funder");
const kept = lines.filter((_, position) => keep.has(records[position]!.rorId));
const bytes = gzipSync(`${kept.join("\n")}\n`, { level: 9 });
writeFileSync(target, bytes);
console.log(
  `${kept.length} of ${lines.length} records (${bytes.length} bytes) -> ${target}; first reason:`,
  reasons,
);
