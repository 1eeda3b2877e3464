import type { InputProblem } from "../../util/input-problems.js";
import type { CordisFileName } from "./cordis-source.js";

/**
 * The columns of each CORDIS file: `read` are those the importer reads (a header without one of them
 * is refused: every row would lose that value without a word), `other` those CORDIS publishes and the
 * importer leaves alone. A column in neither is unknown: named in a warning, its values ignored.
 * `test/cordis-rows.test.ts` checks that the row mapping reads no column outside `read`.
 */
export const CORDIS_LAYOUT: Record<CordisFileName, { read: readonly string[]; other: readonly string[] }> = {
  "project.csv": {
    read: [
      "id",
      "acronym",
      "status",
      "title",
      "startDate",
      "endDate",
      "totalCost",
      "ecMaxContribution",
      "topics",
      "ecSignatureDate",
      "frameworkProgramme",
      "masterCall",
      "fundingScheme",
      "objective",
      "contentUpdateDate",
      "grantDoi",
      "keywords",
    ],
    other: ["legalBasis", "subCall", "nature", "rcn"],
  },
  "organization.csv": {
    read: [
      "projectID",
      "organisationID",
      "name",
      "shortName",
      "SME",
      "activityType",
      "city",
      "country",
      "organizationURL",
      "contentUpdateDate",
      "order",
      "role",
      "ecContribution",
      "netEcContribution",
      "totalCost",
    ],
    other: [
      "projectAcronym",
      "vatNumber",
      "street",
      "postCode",
      "nutsCode",
      "geolocation",
      "contactForm",
      "rcn",
      "endOfParticipation",
      "active",
    ],
  },
  "topics.csv": { read: ["projectID", "topic", "title"], other: [] },
  "euroSciVoc.csv": {
    read: ["projectID", "euroSciVocCode", "euroSciVocPath", "euroSciVocTitle"],
    other: ["euroSciVocDescription"],
  },
  "legalBasis.csv": { read: ["projectID", "legalBasis", "title"], other: ["uniqueProgrammePart"] },
};

/**
 * The header of `file` against the layout: each column named twice and each column the importer reads
 * but the header lacks is an error; each unknown column a warning. All at line 1, the column as field.
 */
export function checkHeader(
  name: CordisFileName,
  file: string,
  columns: string[],
): { errors: InputProblem[]; warnings: InputProblem[] } {
  const { read, other } = CORDIS_LAYOUT[name];
  const errors: InputProblem[] = [];
  const warnings: InputProblem[] = [];
  const at = (field: string, reason: string): InputProblem => ({ file, line: 1, field, reason });
  const positions = new Map<string, number[]>();
  for (const [index, column] of columns.entries())
    positions.set(column, [...(positions.get(column) ?? []), index + 1]);
  for (const [column, seen] of positions) {
    const shown = column === "" ? `(column ${seen[0]}, no name)` : column;
    if (seen.length > 1)
      errors.push(
        at(
          shown,
          `is named ${seen.length} times (columns ${seen.join(", ")}): which one holds the value is unknown`,
        ),
      );
    else if (!read.includes(column) && !other.includes(column))
      warnings.push(
        at(shown, `is no column of the CORDIS ${name} (column ${seen[0]}): its values are ignored`),
      );
  }
  for (const column of read) {
    if (positions.has(column)) continue;
    const lookalike = columns.find((c) => c.toLowerCase() === column.toLowerCase());
    errors.push(
      at(
        column,
        `is missing from the header${lookalike ? ` (it has "${lookalike}": names are case-sensitive)` : ""}; ` +
          `the importer reads ${read.length} columns of ${name}`,
      ),
    );
  }
  return { errors, warnings };
}
