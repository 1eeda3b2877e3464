import path from "node:path";
import { describe, expect, it } from "vitest";
import { readLensFile } from "../../src/classify/lens-file.js";
import { compileLens, inRelevanceTiers, relevanceTier } from "../../src/classify/match-lens.js";
import { termsQuickRegExp, termsRegExp } from "../../src/classify/term-pattern.js";
import { lensText, projectFilter, projectLinePrefilter } from "../../src/import/openaire/openaire-filters.js";
import { readProjectRecord } from "../../src/import/openaire/openaire-record.js";
import { readCordisCsv } from "../helpers/cordis-files.js";

// Issue 21.3 (speed): the raw-line pre-filters and the lens short cuts must never drop a record that
// the exact filter keeps. The texts are the real CORDIS ones of seed/ (many of them personalised
// medicine, so the lens keeps some), written as OpenAIRE 9.x records in several spellings of JSON.

const root = path.resolve(import.meta.dirname, "../..");
const lens = readLensFile(path.join(root, "seed/lenses/atlas.yaml"));
const compiled = compileLens(lens);
const cordis = [
  ...readCordisCsv(path.join(root, "seed/cordis/horizon/project.csv")),
  ...readCordisCsv(path.join(root, "seed/cordis/h2020/project.csv")),
];

const FUNDERS = ["NIH", "ANR", "EC", "WT"];

/** A 9.x record with the text of CORDIS project `row`, funded by the `n`-th of FUNDERS. */
function record(row: Record<string, string>, n: number) {
  const shortName = FUNDERS[n % FUNDERS.length]!;
  return {
    id: `${shortName.toLowerCase().padEnd(12, "_")}::${n.toString(16).padStart(32, "0")}`,
    code: `${shortName}-${n}`,
    acronym: row.acronym || null,
    title: row.title,
    startDate: null,
    endDate: null,
    keywords: row.keywords || null,
    subjects: [],
    fundings: [{ shortName, name: shortName, jurisdiction: "XX", fundingStream: null }],
    summary: row.objective || null,
    granted: null,
    h2020Programmes: [],
  };
}

/** JSON with every character outside ASCII written as a \u escape, as some JSON writers do. */
const asciiJson = (value: unknown) =>
  JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );

/** Lines of the same records: plain, ASCII-escaped, and with the acronym carrying the title's first word. */
function lines(): string[] {
  const out: string[] = [];
  cordis.forEach((row, n) => {
    const value = record(row, n);
    out.push(JSON.stringify(value), asciiJson(value));
    // A term split across acronym and title ("PRECISION" + "medicine for ...") is found only in the
    // joined lens text, never in either field alone.
    const [first, ...rest] = (row.title ?? "").split(" ");
    out.push(JSON.stringify({ ...value, acronym: first, title: rest.join(" ") || "x" }));
  });
  // Written by hand: a term whose words are split by escapes, and one hidden in \u escapes.
  const base = record({ title: "Study", objective: "", keywords: "", acronym: "" }, 1);
  out.push(
    JSON.stringify({ ...base, title: "Precision\nmedicine for children" }),
    JSON.stringify({ ...base, title: "Personali\u0073ed medicine" }).replace(
      "Personalised",
      "Personali\\u0073ed",
    ),
    JSON.stringify({ ...base, title: "Pharmaco\u0085genomics of warfarin" }),
    JSON.stringify({ ...base, keywords: "cohort; precision medicine" }),
    // Texts of another field, which a lens keeps no topic or tier of (invented, illustrative); no word
    // of a lens term in them, not even inside a word (the pre-filter has no word boundaries: "Archival"
    // holds "hiv", "Lattice surgery" a surgery), so that the pre-filter must refuse them.
    JSON.stringify({
      ...base,
      title: "Error correction for superconducting qubits",
      summary: "Lattice codes.",
    }),
    JSON.stringify({ ...base, title: "Medieval trade routes of the Baltic", summary: "A study of ledgers." }),
  );
  return out;
}

const ALL = lines();

/** The records `options` keeps among ALL, and how many of ALL the line pre-filter refuses. */
function compare(options: Parameters<typeof projectFilter>[0]) {
  const keep = projectFilter(options);
  const prefilter = projectLinePrefilter(options);
  let kept = 0;
  let refused = 0;
  const lost: string[] = [];
  for (const line of ALL) {
    const parsed = readProjectRecord(JSON.parse(line));
    if (!parsed.ok) throw new Error(`${parsed.problem.field}: ${parsed.problem.reason}`);
    const passes = prefilter ? prefilter(line) : true;
    if (!passes) refused++;
    if (parsed.value.fundings.some((f) => f.shortName === "EC")) {
      // An EC record must reach the parser (it is counted as skipped) unless --funder leaves EC out.
      if (!options.funders && !passes) lost.push(line.slice(0, 120));
      continue;
    }
    if (keep(parsed.value)) {
      kept++;
      if (!passes) lost.push(line.slice(0, 120));
    }
  }
  return { kept, refused, lost };
}

describe("issue 21.3: the raw-line pre-filter keeps every record the exact filters keep", () => {
  it.each([
    ["lens, tier CORE", { lens, tiers: ["CORE"] }],
    ["lens, tiers CORE and BIOMEDICAL", { lens, tiers: ["CORE", "BIOMEDICAL"] }],
    ["lens, its topics", { lens }],
    ["funder and lens", { funders: ["nih", "WT"], lens, tiers: ["CORE"] }],
    ["funder alone", { funders: ["ANR"] }],
  ])("%s", (_name, options) => {
    const { kept, refused, lost } = compare(options);
    expect(lost).toEqual([]);
    // Not vacuous: the filter keeps some of these real texts, and the pre-filter refuses others.
    expect(kept).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it("lets every line through when the lens's `otherwise` tier is wanted", () => {
    expect(projectLinePrefilter({ lens, tiers: [lens.relevance!.otherwise] })).toBeNull();
    expect(projectLinePrefilter({})).toBeNull();
  });
});

describe("issue 21.3: lens short cuts give the same answers as the full evaluation", () => {
  const texts = cordis.map((row, n) => ({
    id: String(n),
    title: [row.acronym, row.title].filter(Boolean).join(" "),
    objective: row.objective ?? "",
    keywords: row.keywords ?? "",
    euroSciVoc: [],
    callTopics: [],
  }));
  const names = [...lens.relevance!.tiers.map((t) => t.tier), lens.relevance!.otherwise];

  it("inRelevanceTiers agrees with relevanceTier for every set of tiers", () => {
    const tiersSeen = new Set<string>();
    for (const text of texts) {
      const tier = relevanceTier(compiled, text)!.tier;
      tiersSeen.add(tier);
      for (let mask = 1; mask < 1 << names.length; mask++) {
        const wanted = new Set(names.filter((_, i) => mask & (1 << i)));
        expect(inRelevanceTiers(compiled, text, wanted), `${text.id} ${[...wanted]}`).toBe(wanted.has(tier));
      }
    }
    // Every tier occurs among the real texts, so each branch was taken.
    expect([...tiersSeen].sort()).toEqual([...names].sort());
  });

  it("the quick pattern of every rule passes every text its full pattern matches", () => {
    const rules = [
      ...lens.topics.flatMap((t) => [...t.rules, ...t.exclude]),
      ...lens.relevance!.tiers.flatMap((t) => t.rules),
    ];
    // Each text joined once, not once per rule: hundreds of rules times a thousand texts of kilobytes
    // would otherwise allocate hundreds of megabytes and make this test the unit layer's slowest.
    const values = texts.map((text) => `${text.title}\n${text.keywords}\n${text.objective}`);
    let matched = 0;
    const missed: string[] = [];
    for (const rule of rules) {
      for (const terms of [rule.terms, rule.requireAlso]) {
        const full = termsRegExp(terms);
        const quick = termsQuickRegExp(terms);
        if (!full || !quick) continue;
        for (const value of values) {
          full.lastIndex = 0;
          if (full.test(value)) {
            matched++;
            quick.lastIndex = 0;
            if (!quick.test(value)) missed.push(`${rule.id}: ${value.slice(0, 80)}`);
          }
        }
      }
    }
    expect(missed).toEqual([]);
    expect(matched).toBeGreaterThan(100);
  });

  it("lensText of an OpenAIRE record is what the lens reads", () => {
    const parsed = readProjectRecord(record(cordis[0]!, 1));
    expect(parsed.ok && lensText(parsed.value).objective).toBe(cordis[0]!.objective);
  });
});
