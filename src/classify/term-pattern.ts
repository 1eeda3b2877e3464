/**
 * How a lens term becomes a regular expression: case-insensitive, on word boundaries, with the plural
 * and the British/American spellings of its words. A term ending in `*` matches any word starting
 * with it (`oncolog*`: oncology, oncological). Words of a phrase are joined by spaces or hyphens
 * (`non-small cell` matches "non small cell" and "non-small-cell").
 */

/** British/American spellings within a word, as [pattern on the lower-cased word, replacement]. */
const SPELLINGS: [RegExp, string][] = [
  // paediatric/pediatric, haematology/hematology, anaemia/anemia, aetiology/etiology
  [/ae/g, "a?e"],
  // oesophagus/esophagus, oedema/edema, coeliac/celiac, foetal/fetal
  [/oe/g, "o?e"],
  // tumour/tumor, behaviour/behavior, either way round (at the end of a word only: "source" keeps its u)
  [/our$/, "ou?r"],
  [/(.{2,}[^u])or$/, "$1ou?r"],
  // personalise/personalize, personalised, personalising, organisation, hospitalisation
  [/i[sz](e|ed|es|ing|ation|ations)$/, "i[sz]$1"],
  // analyse/analyze
  [/ys(e|ed|es|ing)$/, "y[sz]$1"],
  // centre/center, litre/liter
  [/([^aeiou])re$/, "$1(?:re|er)"],
  // programme/program
  [/gramme$/, "gram(?:me)?"],
];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The pattern of one word: its spellings, and (when `last`) its plural. */
function wordPattern(word: string, last: boolean): string {
  let pattern = escapeRegExp(word);
  for (const [from, to] of SPELLINGS) pattern = pattern.replace(from, to);
  if (!last) return pattern;
  // Plurals: therapy/therapies, metastasis/metastases, tumour/tumours, biomarker/biomarkers.
  if (/[^aeiou]y$/.test(word)) return `${pattern.slice(0, -1)}(?:y|ies)`;
  if (/sis$/.test(word)) return `${pattern.slice(0, -2)}[ie]s`;
  if (/(s|x|ch|sh)$/.test(word)) return `${pattern}(?:es)?`;
  return `${pattern}s?`;
}

/** The source of the regular expression of `term` (see the module comment), for the flags `giu`. */
export function termPatternSource(term: string): string {
  const trimmed = term.trim().toLowerCase();
  const prefix = trimmed.endsWith("*");
  const words = (prefix ? trimmed.slice(0, -1) : trimmed).split(/[\s\-‐–]+/).filter(Boolean);
  const body = words
    .map((word, index) => wordPattern(word, !prefix && index === words.length - 1))
    .join("[\\s\\-‐–]+");
  return `(?<![\\p{L}\\p{N}])${body}${prefix ? "[\\p{L}\\p{N}]*" : ""}(?![\\p{L}\\p{N}])`;
}

/** One regular expression matching any of `terms`; null when there are none. */
export function termsRegExp(terms: readonly string[]): RegExp | null {
  if (!terms.length) return null;
  return new RegExp(terms.map((term) => `(?:${termPatternSource(term)})`).join("|"), "giu");
}

/** The occurrences of `pattern` in `text`, each lower-cased with its spaces collapsed. */
export function occurrences(pattern: RegExp, text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(pattern)) found.push(match[0].toLowerCase().replace(/[\s\-‐–]+/g, " "));
  return found;
}
