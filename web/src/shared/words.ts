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

/** API field names that its descriptions name, in words. */
const FIELD_WORDS: [RegExp, string][] = [[/\boutsideColumns\b/g, "“in no column”"]];

/** An API description with the field names it mentions put in words (`outsideColumns` -> “in no column”). */
export function descriptionWords(text: string): string {
  return FIELD_WORDS.reduce((out, [pattern, words]) => out.replace(pattern, words), text);
}

/** A count and its noun, singular for one: plural(1, "member") -> "1 member", plural(2, "member") -> "2 members". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString("en")} ${count === 1 ? singular : pluralForm}`;
}
