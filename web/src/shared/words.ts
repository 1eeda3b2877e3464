/**
 * Words for people where the API gives names for machines: enum values, ids and field names. The
 * machine names stay in tooltips (title), data attributes, URLs and CSV files.
 */

/** Enum values that plain casing would get wrong (acronyms, names). */
const ENUM_WORDS: Record<string, string> = {
  EU_CALL: "EU call",
  ERA_NET_COFUND: "ERA-NET Cofund",
  EUROPEAN_COMMISSION: "European Commission",
};

/**
 * An enum value in words: `INTERNATIONAL_CONSORTIUM` -> "International consortium" (first letter
 * capital, the rest lower case), or the word list's form for acronyms and names (`EU_CALL` -> "EU
 * call"). Null and "" give "".
 */
export function enumWords(value: string | null | undefined): string {
  if (!value) return "";
  const known = ENUM_WORDS[value];
  if (known) return known;
  const words = value.toLowerCase().replace(/_+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * An id in words when no name is at hand: its last part after the kind prefix, dashes and underscores
 * as spaces, first letter capital (`topic:clinical-support-tools` -> "Clinical support tools",
 * `topic:legal-basis:HORIZON.2.1` -> "HORIZON.2.1").
 */
export function idWords(id: string): string {
  const last = id.slice(id.lastIndexOf(":") + 1) || id;
  const words = /[a-z]/.test(last) ? last.replace(/[-_]+/g, " ").trim() : last;
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Names for machines that the API's descriptions and reasons use, in words: field names, relationship
 * types and enum values. Applied in order; the last rule puts any other enum value in words.
 */
const DESCRIPTION_WORDS: [RegExp, (match: string) => string][] = [
  [/\boutsideColumns\b/g, () => "“in no column”"],
  [/\bamountEur\b/g, () => "the amount in EUR"],
  [/ \(status MEMBER\)/g, () => " (members, not observers)"],
  // What a source states, as "attribute: statement" (fundingOrganisationCount: 31 funders).
  [/\b[a-z]+(?:[A-Z][a-z]+)+(?=: )/g, (name) => name.replace(/([A-Z])/g, " $1").toLowerCase()],
  // A relationship type or an enum value in brackets repeats the words before it for machines.
  [/ \((?:[A-Z][a-z]+ kind )?[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\)/g, () => ""],
  [
    /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g,
    (value) => ENUM_WORDS[value] ?? value.toLowerCase().replace(/_+/g, " "),
  ],
];

/**
 * An API description (or a gap's reason) with the names for machines it mentions put in words:
 * `outsideColumns` -> “in no column”, `amountEur` -> "the amount in EUR", "(FUNDED_BY)" left out,
 * `LEGAL_BASIS` -> "legal basis".
 */
export function descriptionWords(text: string): string {
  return DESCRIPTION_WORDS.reduce((out, [pattern, words]) => out.replace(pattern, words), text);
}

/** A count and its noun, singular for one: plural(1, "member") -> "1 member", plural(2, "member") -> "2 members". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString("en")} ${count === 1 ? singular : pluralForm}`;
}
