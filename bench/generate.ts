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
