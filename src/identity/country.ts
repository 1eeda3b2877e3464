/**
 * Country codes of bodies and ROR records as ISO 3166-1 alpha-2. CORDIS writes the EU's own codes for two
 * countries (UK for the United Kingdom, EL for Greece; seed/reference/cordis_country_codes.csv), while ROR
 * takes its codes from GeoNames (GB, GR): without this a British or Greek body never meets its record.
 */
const EU_TO_ISO: Readonly<Record<string, string>> = { UK: "GB", EL: "GR" };

/**
 * "DE", "de", "country:DE", "UK" (-> "GB"), "EL" (-> "GR") as an ISO alpha-2 code; null for an empty,
 * missing or malformed value (never throws: a body without a usable country is matched more cautiously).
 */
export function isoCountry(code: string | null | undefined): string | null {
  if (typeof code !== "string") return null;
  const bare = code
    .trim()
    .replace(/^country:/i, "")
    .toUpperCase();
  if (!/^[A-Z]{2}$/.test(bare)) return null;
  return EU_TO_ISO[bare] ?? bare;
}
