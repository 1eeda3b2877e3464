import { once } from "node:events";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { seededRandom } from "../src/util/seeded-random.js";

/**
 * A deterministic, SYNTHETIC landscape in the CORDIS CSV layout (illustrative: no real projects or
 * organisations), so that benchmarks run through the same importer as real exports.
 * Shape: about 6 participations per project, a long-tailed organisation distribution (a few
 * organisations in very many projects), 40 countries, 30 topics, one call per topic and year.
 */
export const SIZES = { XS: 50, S: 2_000, M: 20_000, L: 200_000 } as const;
export type BenchSize = keyof typeof SIZES;

const COUNTRIES = [
  "DE",
  "FR",
  "IT",
  "ES",
  "NL",
  "BE",
  "AT",
  "SE",
  "DK",
  "FI",
  "NO",
  "IE",
  "PT",
  "EL",
  "PL",
  "CZ",
  "HU",
  "RO",
  "BG",
  "HR",
  "SI",
  "SK",
  "EE",
  "LV",
  "LT",
  "LU",
  "MT",
  "CY",
  "UK",
  "CH",
  "IS",
  "IL",
  "TR",
  "RS",
  "UA",
  "US",
  "CA",
  "BR",
  "ZA",
  "JP",
];
const TOPICS = Array.from({ length: 30 }, (_, i) => `BENCH-TOPIC-${String(i + 1).padStart(2, "0")}`);
const WORDS = [
  "precision",
  "cohort",
  "genomic",
  "health",
  "cancer",
  "rare",
  "data",
  "prevention",
  "imaging",
  "therapy",
  "biomarker",
  "registry",
];

const quote = (value: string | number) => `"${String(value).replaceAll('"', '""')}"`;
const row = (values: (string | number)[]) => `${values.map(quote).join(";")}\n`;

const PROJECT_COLUMNS = [
  "id",
  "acronym",
  "status",
  "title",
  "startDate",
  "endDate",
  "totalCost",
  "ecMaxContribution",
  "legalBasis",
  "topics",
  "ecSignatureDate",
  "frameworkProgramme",
  "masterCall",
  "subCall",
  "fundingScheme",
  "nature",
  "objective",
  "contentUpdateDate",
  "rcn",
  "grantDoi",
  "keywords",
];
const ORGANISATION_COLUMNS = [
  "projectID",
  "projectAcronym",
  "organisationID",
  "vatNumber",
  "name",
  "shortName",
  "SME",
  "activityType",
  "street",
  "postCode",
  "city",
  "country",
  "nutsCode",
  "geolocation",
  "organizationURL",
  "contactForm",
  "contentUpdateDate",
  "rcn",
  "order",
  "role",
  "ecContribution",
  "netEcContribution",
  "totalCost",
  "endOfParticipation",
  "active",
];

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, "drain");
}

/** Writes project.csv and organization.csv for `projects` projects into folder; returns row counts. */
export async function generateLandscape(folder: string, projects: number, seed = 20261128) {
  mkdirSync(folder, { recursive: true });
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const organisationCount = Math.max(20, Math.round(projects * 1.5));
  // Long tail: u^3 puts most participations on the first organisations.
  const organisation = () => Math.floor(organisationCount * random() ** 3);
  // Each organisation's country is fixed by its number, skewed towards the first (larger) countries.
  const countryOf = (org: number) => {
    const r = seededRandom(org + 1)();
    return COUNTRIES[Math.floor(COUNTRIES.length * r * r)]!;
  };

  const projectFile = createWriteStream(path.join(folder, "project.csv"));
  const organisationFile = createWriteStream(path.join(folder, "organization.csv"));
  await write(projectFile, row(PROJECT_COLUMNS));
  await write(organisationFile, row(ORGANISATION_COLUMNS));
  let participations = 0;
  for (let p = 0; p < projects; p++) {
    const id = 900000000 + p;
    const year = 2014 + Math.floor(random() * 11);
    const topic = pick(TOPICS);
    const framework = year >= 2021 ? "HORIZON" : "H2020";
    const call = `${topic}-${year}`;
    const title = `Synthetic ${pick(WORDS)} ${pick(WORDS)} study ${p}`;
    const members = 2 + Math.floor(random() * 9); // 2..10, about 6 on average
    const funding = Math.round(200_000 + random() * 5_000_000);
    await write(
      projectFile,
      row([
        id,
        `SYN${p}`,
        "SIGNED",
        title,
        `${year}-0${1 + Math.floor(random() * 9)}-01`,
        `${year + 4}-12-31`,
        String(funding * 1.2).replace(".", ","),
        String(funding),
        "HORIZON.2.1",
        topic,
        `${year}-01-01`,
        framework,
        call,
        call,
        pick(["HORIZON-RIA", "HORIZON-IA", "HORIZON-CSA"]),
        "",
        `Objective of ${title}.`,
        "2025-11-29 00:00:00",
        id,
        "",
        `${pick(WORDS)}, ${pick(WORDS)}`,
      ]),
    );
    const chosen = new Set<number>();
    while (chosen.size < members) chosen.add(organisation());
    let order = 1;
    for (const org of chosen) {
      const share = Math.round((funding / members) * 100) / 100;
      await write(
        organisationFile,
        row([
          id,
          `SYN${p}`,
          800000000 + org,
          "",
          `Synthetic organisation ${org}`,
          `SO${org}`,
          "false",
          pick(["HES", "REC", "PRC", "PUB", "OTH"]),
          "",
          "",
          "",
          countryOf(org),
          "",
          "",
          "",
          "",
          "",
          org,
          order,
          order === 1 ? "coordinator" : "participant",
          share,
          share,
          String(share * 1.2).replace(".", ","),
          "false",
          "",
        ]),
      );
      order++;
      participations++;
    }
  }
  projectFile.end();
  organisationFile.end();
  await Promise.all([once(projectFile, "finish"), once(organisationFile, "finish")]);
  return { projects, participations, rows: projects + participations };
}

/**
 * OpenAIRE-shaped funders of the synthetic dump (issue 21): short name, jurisdiction and the currency
 * its grants are stated in. Illustrative, not the real funder list; the share of each is skewed
 * towards the first (as the real dump is dominated by a few large funders).
 */
const OPENAIRE_FUNDERS = [
  ["NIH", "National Institutes of Health", "US", "USD"],
  ["NSF", "National Science Foundation", "US", "USD"],
  ["UKRI", "UK Research and Innovation", "GB", "GBP"],
  ["ANR", "French National Research Agency (ANR)", "FR", "EUR"],
  ["ARC", "Australian Research Council (ARC)", "AU", "AUD"],
  ["NHMRC", "National Health and Medical Research Council (NHMRC)", "AU", "AUD"],
  ["CIHR", "Canadian Institutes of Health Research", "CA", "CAD"],
  ["SNSF", "Swiss National Science Foundation", "CH", "CHF"],
  ["NWO", "Netherlands Organisation for Scientific Research (NWO)", "NL", "EUR"],
  ["FCT", "Fundação para a Ciência e a Tecnologia, I.P.", "PT", "EUR"],
  ["FWF", "Austrian Science Fund (FWF)", "AT", "EUR"],
  ["AKA", "Academy of Finland", "FI", "EUR"],
  ["WT", "Wellcome Trust", "GB", "GBP"],
  ["HRB", "Health Research Board", "IE", "EUR"],
  ["RCN", "Research Council of Norway", "NO", "NOK"],
  ["EC", "European Commission", "EU", "EUR"],
] as const;

/**
 * Writes a SYNTHETIC OpenAIRE Graph project dump in the current (9.x, camelCase plural) layout: one
 * gzip'd JSON-lines file of `projects` records, about 700 bytes each before compression, with
 * funding streams, amounts in each funder's currency, keywords, subjects and a summary. Deterministic.
 */
export async function generateOpenAireDump(file: string, projects: number, seed = 20261129) {
  const { createGzip } = await import("node:zlib");
  mkdirSync(path.dirname(file), { recursive: true });
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const gzip = createGzip({ level: 6 });
  const out = createWriteStream(file);
  gzip.pipe(out);
  const byFunder = new Map<string, number>();
  for (let p = 0; p < projects; p++) {
    const [shortName, name, jurisdiction, currency] =
      OPENAIRE_FUNDERS[Math.floor(OPENAIRE_FUNDERS.length * random() ** 2)]!;
    byFunder.set(shortName, (byFunder.get(shortName) ?? 0) + 1);
    const year = 2000 + Math.floor(random() * 25);
    const words = [pick(WORDS), pick(WORDS), pick(WORDS)];
    const stream = `${shortName}::PROG${1 + Math.floor(random() * 8)}`;
    const amount = Math.round(10_000 + random() * 2_000_000);
    const record = {
      id: `${shortName.toLowerCase().padEnd(12, "_")}::${p.toString(16).padStart(32, "0")}`,
      websiteUrl: null,
      code: `${shortName}-${year}-${p}`,
      acronym: p % 3 === 0 ? `SYN${p}` : null,
      title: `Synthetic ${words[0]} ${words[1]} study ${p}`,
      startDate: `${year}-0${1 + Math.floor(random() * 9)}-01`,
      endDate: `${year + 3}-12-31`,
      callIdentifier: `${shortName}-CALL-${year}`,
      keywords: `${words[2]}; ${pick(WORDS)}`,
      openAccessMandateForPublications: false,
      openAccessMandateForDataset: false,
      subjects: [pick(WORDS)],
      fundings: [
        {
          shortName,
          name,
          jurisdiction,
          fundingStream: { id: stream, description: `Synthetic programme ${stream.split("::")[1]}` },
        },
      ],
      summary:
        `Synthetic summary of project ${p}: ${words.join(" ")} research over ${3 + (p % 4)} years, with ${pick(WORDS)} and ${pick(WORDS)} work packages. `.repeat(
          3,
        ),
      granted: { currency, totalCost: p % 4 === 0 ? 0 : Math.round(amount * 1.25), fundedAmount: amount },
      h2020Programmes: [],
    };
    if (!gzip.write(`${JSON.stringify(record)}\n`)) await once(gzip, "drain");
  }
  gzip.end();
  await once(out, "finish");
  return { projects, byFunder: Object.fromEntries(byFunder) };
}
