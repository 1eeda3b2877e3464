/**
 * One-off conversion of the staged H2020 files (shared/data, see SOURCES-2.md) into the shape of the
 * official CORDIS H2020 export, so that the seed's H2020 data goes through the real CORDIS importer
 * unchanged. Run once; its output is committed under seed/cordis/h2020/ and its inputs under
 * seed/cordis/h2020/raw/, so the conversion can be re-run and checked from the repository alone.
 *
 *   npx tsx scripts/convert-h2020-seed.ts [rawDir] [outDir]
 *
 * Inputs (rawDir, default seed/cordis/h2020/raw):
 * - h2020_pm_participants_derrabauke.csv: CORDIS organization.csv rows re-saved by pandas (booleans
 *   True/False, ecContribution/netEcContribution as floats such as 1442265.0, plus provenance columns).
 * - icpermed_family_h2020_projects.csv: hand-read facts about the ICPerMed family projects.
 * - nrc_norway_h2020_pm_participations.csv: the Research Council of Norway's file of H2020 grants.
 * - icpermed_family_initiatives.csv: the earlier hand-read family file (acronym and type "CSA" of
 *   the coordination actions; matched to the grant by acronym, as SOURCES-2.md pairs them).
 * - h2020_topics_family.csv: the rows of derrabauke's copy of the CORDIS H2020 topics.csv for these projects.
 *
 * Outputs (outDir, default seed/cordis/h2020): project.csv, organization.csv, topics.csv in the CORDIS
 * layout (";" separator, every field quoted) and provenance.csv, which names the source of every
 * non-empty project cell. A project is written only where a source gives its title (the importer and
 * the schema need one); organisation rows of other projects are left out and listed on stdout.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";

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
] as const;

const ORGANIZATION_COLUMNS = [
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
] as const;

type Row = Record<string, string>;

const readCsv = (file: string, delimiter = ","): Row[] =>
  parse(readFileSync(file, "utf8"), { columns: true, delimiter, bom: true, skip_empty_lines: true });

const writeCordisCsv = (file: string, columns: readonly string[], rows: Row[]) =>
  writeFileSync(
    file,
    stringify(rows, {
      header: true,
      columns: [...columns],
      delimiter: ";",
      quoted: true,
      quoted_empty: true,
    }),
  );

/** pandas wrote booleans as True/False; the export has true/false. Anything else is kept as it is. */
const exportBoolean = (value: string) => (value === "True" ? "true" : value === "False" ? "false" : value);

/**
 * pandas wrote the decimal-point amounts as floats (1442265.0); the export writes integers without a
 * separator. Done on the text, never through a JS number, so no digit can change.
 */
const exportPointAmount = (value: string) => value.replace(/^(-?\d+)\.0+$/, "$1");

/** "01.12.2017 00:00" (NRC) -> "2017-12-01". */
const nrcDate = (value: string | undefined) => {
  const match = /^(\d{2})\.(\d{2})\.(\d{4})/.exec(value ?? "");
  return match ? `${match[3]}-${match[2]}-${match[1]}` : "";
};

/** A family cell counts as an exact date only when it is nothing but YYYY-MM-DD (no "(month only)" etc.). */
const bareDate = (value: string | undefined) => (/^\d{4}-\d{2}-\d{2}$/.test(value ?? "") ? value! : "");

/** "Overall Budget 1,999,640 EUR" -> "1999640"; only this exact form is an amount, the rest are notes. */
const statedEur = (value: string | undefined, label: string) => {
  const match = new RegExp(`^${label} ([\\d,]+) EUR$`).exec(value ?? "");
  return match ? match[1]!.replaceAll(",", "") : "";
};

function main(): void {
  const here = path.dirname(new URL(import.meta.url).pathname);
  const rawDir = process.argv[2] ?? path.join(here, "..", "seed", "cordis", "h2020", "raw");
  const outDir = process.argv[3] ?? path.join(rawDir, "..");
  const participants = readCsv(path.join(rawDir, "h2020_pm_participants_derrabauke.csv"));
  const family = readCsv(path.join(rawDir, "icpermed_family_h2020_projects.csv"));
  const nrc = readCsv(path.join(rawDir, "nrc_norway_h2020_pm_participations.csv"));
  const topicRows = readCsv(path.join(rawDir, "h2020_topics_family.csv"));
  const initiatives = readCsv(path.join(rawDir, "icpermed_family_initiatives.csv"));

  const FAMILY = "shared/data/icpermed/icpermed_family_h2020_projects.csv";
  const NRC = "Forskningsradet/open-data datasets/bevilgningereu/dataset.csv";
  const DERRABAUKE_ORG = "derrabauke/eu-data-workflow h2020_organizations_out_formatted_latest.csv";
  const DERRABAUKE_TOPICS = "derrabauke/eu-data-workflow h2020_topics_out.csv";
  const INITIATIVES = "shared/data/icpermed/icpermed_family_initiatives.csv";

  // "SINO-EU PerMed" and "SINO-EU-PerMed", "SAPHIRe" and "SAPHIRE" name the same action.
  const acronymKey = (acronym: string | undefined) => (acronym ?? "").toLowerCase().replace(/[^a-z0-9]/g, "");
  const initiativeOf = (grantId: string, acronym: string | undefined) =>
    initiatives.find((row) => row.grantId === grantId) ??
    initiatives.find((row) => !row.grantId && acronymKey(row.acronym) === acronymKey(acronym));
  /** The initiatives file types an action "CSA"; CORDIS names that funding scheme "CSA" as well. */
  const schemeOf = (row: Row | undefined) => (row?.type === "CSA" ? "CSA" : "");

  const familyById = new Map(family.map((row) => [row.grantId!, row]));
  const nrcById = new Map<string, Row>();
  for (const row of nrc) if (!nrcById.has(row.Prosjektnr!)) nrcById.set(row.Prosjektnr!, row);
  const topicsById = new Map<string, Row[]>();
  for (const row of topicRows)
    topicsById.set(row.projectID!, [...(topicsById.get(row.projectID!) ?? []), row]);
  const acronymById = new Map(participants.map((row) => [row.projectID!, row.projectAcronym!]));

  const candidateIds = [...new Set([...family.map((row) => row.grantId!), ...acronymById.keys()])].sort();
  const projects: Row[] = [];
  const provenance: Row[] = [];
  const skipped: string[] = [];
  for (const id of candidateIds) {
    const f = familyById.get(id);
    const n = nrcById.get(id);
    const cell = (column: string, ...candidates: [string | undefined, string][]) => {
      for (const [value, source] of candidates) {
        if (value) {
          provenance.push({ projectID: id, column, value, source });
          return value;
        }
      }
      return "";
    };
    const title = cell("title", [f?.title, FAMILY], [n?.Prosjektnavn, NRC]);
    if (!title) {
      skipped.push(`${id} ${acronymById.get(id) ?? ""}: no source gives its title`);
      continue;
    }
    const topics = topicsById.get(id) ?? [];
    const initiative = initiativeOf(id, f?.acronym);
    projects.push({
      id: cell("id", [id, f ? FAMILY : n ? NRC : DERRABAUKE_ORG]),
      acronym: cell(
        "acronym",
        [f?.acronym, FAMILY],
        [n?.Prosjektkortnavn, NRC],
        [acronymById.get(id), DERRABAUKE_ORG],
        [initiative?.acronym, INITIATIVES],
      ),
      title,
      startDate: cell(
        "startDate",
        [bareDate(f?.startDate), FAMILY],
        [nrcDate(n?.["Kontrakt startdato"]), NRC],
      ),
      endDate: cell("endDate", [bareDate(f?.endDate), FAMILY], [nrcDate(n?.["Kontrakt sluttdato"]), NRC]),
      totalCost: cell("totalCost", [statedEur(f?.budgetInfo, "Overall Budget"), FAMILY]),
      ecMaxContribution: cell("ecMaxContribution", [
        statedEur(f?.ecContributionInfo, "Funder Contribution"),
        FAMILY,
      ]),
      topics: cell("topics", [topics.map((t) => t.topic).join(";"), DERRABAUKE_TOPICS], [f?.topic, FAMILY]),
      ecSignatureDate: cell("ecSignatureDate", [nrcDate(n?.["Kontrakt signeringsdato"]), NRC]),
      frameworkProgramme: cell("frameworkProgramme", [f?.frameworkProgramme, FAMILY], [n?.Rammeprogram, NRC]),
      masterCall: cell("masterCall", [n?.["Overordnet utlysnings-id"], NRC]),
      subCall: cell("subCall", [n?.["Utlysnings-id"], NRC]),
      fundingScheme: cell(
        "fundingScheme",
        [f?.fundingScheme, FAMILY],
        [n?.Søknadstype, NRC],
        [schemeOf(initiative), INITIATIVES],
      ),
    });
  }

  const kept = new Set(projects.map((row) => row.id!));
  const organizations = participants
    .filter((row) => kept.has(row.projectID!))
    .map((row) => ({
      ...Object.fromEntries(ORGANIZATION_COLUMNS.map((column) => [column, row[column] ?? ""])),
      SME: exportBoolean(row.SME!),
      endOfParticipation: exportBoolean(row.endOfParticipation!),
      ecContribution: exportPointAmount(row.ecContribution!),
      netEcContribution: exportPointAmount(row.netEcContribution!),
    }));
  const dropped = participants.filter((row) => !kept.has(row.projectID!));
  const topics = topicRows.filter((row) => kept.has(row.projectID!));

  writeCordisCsv(path.join(outDir, "project.csv"), PROJECT_COLUMNS, projects);
  writeCordisCsv(path.join(outDir, "organization.csv"), ORGANIZATION_COLUMNS, organizations);
  writeCordisCsv(path.join(outDir, "topics.csv"), ["projectID", "topic", "title"], topics);
  writeCordisCsv(path.join(outDir, "provenance.csv"), ["projectID", "column", "value", "source"], provenance);
  console.log(
    `${projects.length} projects, ${organizations.length} organisation rows, ${topics.length} topic rows;` +
      ` ${dropped.length} organisation rows left out with their projects:\n  ${skipped.join("\n  ")}`,
  );
}

main();
