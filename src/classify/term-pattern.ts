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

/** `text` as a regular expression that matches it literally. */
export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

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

/** The words of `term`, lower-cased, and whether it ends in `*` (a prefix). */
function termWords(term: string): { words: string[]; prefix: boolean } {
  const trimmed = term.trim().toLowerCase();
  const prefix = trimmed.endsWith("*");
  const words = (prefix ? trimmed.slice(0, -1) : trimmed).split(/[\s\-‐–]+/).filter(Boolean);
  return { words, prefix };
}

/** The pattern of `term` without its word boundaries: what a match of the whole pattern contains. */
function termBody(term: string): string {
  const { words, prefix } = termWords(term);
  return words
    .map((word, index) => wordPattern(word, !prefix && index === words.length - 1))
    .join("[\\s\\-‐–]+");
}

/** The source of the regular expression of `term` (see the module comment), for the flags `giu`. */
export function termPatternSource(term: string): string {
  const { prefix } = termWords(term);
  return `(?<![\\p{L}\\p{N}])${termBody(term)}${prefix ? "[\\p{L}\\p{N}]*" : ""}(?![\\p{L}\\p{N}])`;
}

/** One regular expression matching any of `terms`; null when there are none. */
export function termsRegExp(terms: readonly string[]): RegExp | null {
  if (!terms.length) return null;
  return new RegExp(terms.map((term) => `(?:${termPatternSource(term)})`).join("|"), "giu");
}

/**
 * A quick test that every text matched by `termsRegExp(terms)` also passes: the same words without
 * the word-boundary look-arounds, which keep V8 from skipping ahead and so cost most of a scan that
 * finds nothing. A text that fails it cannot match, so a rule is refused without the full scan.
 * Null when there are no terms.
 */
export function termsQuickRegExp(terms: readonly string[]): RegExp | null {
  if (!terms.length) return null;
  return new RegExp(terms.map((term) => `(?:${termBody(term)})`).join("|"), "iu");
}

/**
 * The patterns of the words of `term`, each alone (with its spellings, and its plural when it is the
 * term's last word), without word boundaries: every match of the term contains a match of each. Used
 * on text that is not yet decoded (a raw JSON line), where the words of one term may be split by an
 * escape or by a field boundary but each word of the text is still written out letter by letter.
 * The longest word first, since a short one ("in" of "in vitro diagnostic") is found in most texts.
 */
export function termWordSources(term: string): string[] {
  const { words, prefix } = termWords(term);
  return words
    .map((word, index) => ({ word, source: wordPattern(word, !prefix && index === words.length - 1) }))
    .sort((a, b) => b.word.length - a.word.length)
    .map((entry) => entry.source);
}

/** The occurrences of `pattern` in `text`, each lower-cased with its spaces collapsed. */
export function occurrences(pattern: RegExp, text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(pattern)) found.push(match[0].toLowerCase().replace(/[\s\-‐–]+/g, " "));
  return found;
}
