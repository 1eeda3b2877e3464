/** The grouping and naming of the money-by-funder lines (fundingByFunder rows), apart from React. */

/** The fields of a fundingByFunder row that the grouping reads. */
export interface CountryRow {
  country: string | null;
}

/** The European Commission's rows (country "EU") lead: the panel sets national money beside the EU's. */
const EU = "EU";

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(["en"], { type: "region" });
  } catch {
    return null;
  }
})();

/** A country code as words ("US" -> "United States (US)", "EU" -> "European Union (EU)"); the code itself when Intl does not know it. */
export function countryName(code: string | null): string {
  if (code === null) return "Country not stated";
  let name: string | undefined;
  try {
    name = regionNames?.of(code);
  } catch {
    name = undefined;
  }
  return name && name !== code ? `${name} (${code})` : code;
}

/**
 * The rows grouped by funder country, as the panel shows them: the EU group first, then the others in
 * the API's order (country code, funder, currency; the funders of no stated country last). Rows keep
 * the API's order inside a group.
 */
export function countryGroups<Row extends CountryRow>(
  rows: readonly Row[],
): { country: string | null; rows: Row[] }[] {
  const groups = new Map<string | null, Row[]>();
  for (const row of rows) {
    const group = groups.get(row.country) ?? [];
    group.push(row);
    groups.set(row.country, group);
  }
  const ordered = [...groups].map(([country, members]) => ({ country, rows: members }));
  return [
    ...ordered.filter((group) => group.country === EU),
    ...ordered.filter((group) => group.country !== EU),
  ];
}
