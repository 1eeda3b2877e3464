import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import type { NodeRow, RelationshipRow } from "../graph-writer.js";

/**
 * Countries from seed/reference: ISO codes and UN regions (datasets/country-codes) with the World Bank
 * population series (datasets/population), joined on ISO alpha-3. Kosovo (XK) has no ISO code and is
 * absent from country-codes; CORDIS uses it, so it is added from CORDIS's own country list.
 */

export const COUNTRY_CODES_SOURCE = "source:datasets-country-codes";
export const POPULATION_SOURCE = "source:world-bank-population";
export const CORDIS_SOURCE = "source:cordis-horizon-projects";

interface CountryCsvRow {
  iso2: string;
  iso3: string;
  name: string;
  officialNameEn: string;
  regionName: string;
  subRegionName: string;
  cordisCode: string;
}

interface PopulationCsvRow {
  "Country Code": string;
  Year: string;
  Value: string;
}

const readCsv = <T>(file: string): T[] =>
  // NA is Namibia, not a missing value: csv-parse keeps every value a string.
  parse(readFileSync(file), { columns: true, bom: true, skip_empty_lines: true }) as T[];

export interface CountryReference {
  nodes: NodeRow[];
  sourcedFrom: RelationshipRow[];
  /** CORDIS country code (EL, UK, ...) -> ISO alpha-2 (GR, GB, ...). */
  cordisToIso: Map<string, string>;
}

/**
 * The country reference of `referenceDir` (countries.csv, population.csv from the World Bank): a Country
 * node per ISO alpha-2 code with its newest population and year, their SOURCED_FROM rows, and the
 * CORDIS country code -> ISO code map (EL -> GR, UK -> GB). Throws when a file cannot be read.
 */
export function readCountryReference(referenceDir: string): CountryReference {
  const countries = readCsv<CountryCsvRow>(path.join(referenceDir, "countries.csv"));
  const population = readCsv<PopulationCsvRow>(path.join(referenceDir, "population.csv"));
  const series = new Map<string, { years: number[]; values: number[] }>();
  for (const row of population) {
    const entry = series.get(row["Country Code"]) ?? { years: [], values: [] };
    entry.years.push(Number(row.Year));
    entry.values.push(Number(row.Value));
    series.set(row["Country Code"], entry);
  }

  const nodes: NodeRow[] = [];
  const sourcedFrom: RelationshipRow[] = [];
  const cordisToIso = new Map<string, string>();
  for (const row of countries) {
    if (!/^[A-Z]{2}$/.test(row.iso2)) continue;
    const id = `country:${row.iso2}`;
    const pop = series.get(row.iso3);
    const last = pop ? pop.years.length - 1 : -1;
    nodes.push({
      id,
      properties: {
        code: row.iso2,
        iso3: row.iso3 || null,
        name: row.name,
        officialName: row.officialNameEn || null,
        region: row.regionName || null,
        subRegion: row.subRegionName || null,
        population: pop ? pop.values[last]! : null,
        populationYear: pop ? pop.years[last]! : null,
        populationYears: pop ? pop.years : null,
        populationValues: pop ? pop.values : null,
      },
    });
    sourcedFrom.push({ from: id, to: COUNTRY_CODES_SOURCE });
    if (pop) sourcedFrom.push({ from: id, to: POPULATION_SOURCE });
    cordisToIso.set(row.cordisCode || row.iso2, row.iso2);
  }

  const cordisCodes = readCsv<{ name: string; euCode: string; isoCode: string }>(
    path.join(referenceDir, "cordis_country_codes.csv"),
  );
  for (const row of cordisCodes) {
    if (row.isoCode === "XK" && !nodes.some((n) => n.id === "country:XK")) {
      nodes.push({ id: "country:XK", properties: { code: "XK", name: row.name } });
      sourcedFrom.push({ from: "country:XK", to: CORDIS_SOURCE });
      cordisToIso.set("XK", "XK");
    }
  }
  return { nodes, sourcedFrom, cordisToIso };
}
