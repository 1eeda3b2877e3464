/**
 * Names of organisations in the form used for matching them, never for display. The sources write one
 * body in many ways: CORDIS legal names are upper-case and transliterated ("UNIVERSITAETSKLINIKUM
 * AACHEN", "UNIVERSITATSKLINIKUM ERLANGEN", "KOBENHAVNS UNIVERSITET"), ROR keeps the native spelling
 * ("Universitätsklinikum Aachen", "Københavns Universitet"), and either may carry a legal form ("GmbH",
 * "e.V.", "S.A.", "AS", "ASBL").
 */

/** Letters that Unicode decomposition (NFKD) leaves whole, spelled as their usual transliteration. */
const LETTERS: Readonly<Record<string, string>> = {
  ß: "ss",
  ẞ: "ss",
  æ: "ae",
  Æ: "ae",
  œ: "oe",
  Œ: "oe",
  ø: "o",
  Ø: "o",
  ł: "l",
  Ł: "l",
  đ: "d",
  Đ: "d",
  ð: "d",
  Ð: "d",
  þ: "th",
  Þ: "th",
  ı: "i",
  ħ: "h",
  Ħ: "h",
};
const SPECIAL_LETTER = new RegExp(`[${Object.keys(LETTERS).join("")}]`, "g");
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/g;

/**
 * Lower-case text with accents folded (é -> e, å -> a, ß -> ss, ø -> o) and the German umlaut
 * transliterations collapsed, so that "ä", "ae" and "a" meet: "München", "MUENCHEN" and "MUNCHEN" all
 * give "munchen". The collapse (ae -> a, oe -> o, ue -> u) is applied to every word, also to words that
 * were never German ("Manuel" -> "manul"): harmless, because both sides of a comparison go through it.
 * Lone surrogates and control characters become spaces. Never throws; "" for an empty or non-string value.
 */
export function foldText(value: string | null | undefined): string {
  if (typeof value !== "string") return "";
  return value
    .replace(LONE_SURROGATE, " ")
    .replace(CONTROL, " ")
    .replace(SPECIAL_LETTER, (letter) => LETTERS[letter]!)
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/ae/g, "a")
    .replace(/oe/g, "o")
    .replace(/ue/g, "u");
}

/**
 * Legal forms removed at the end of a name (repeatedly: "… GMBH & CO KG"), after folding and joining
 * dotted initials ("e.V." -> "ev", "S.R.L." -> "srl", "Sp. z o.o." -> "sp z oo"). Not removed: words for
 * foundations, associations and funds ("Foundation", "Stiftung", "Stichting", "Fundación", "Fonds"),
 * because "Novo Nordisk Foundation" and "Novo Nordisk" are different bodies.
 */
const TRAILING_LEGAL_FORMS = new Set([
  // German, Austrian, Swiss
  "gmbh",
  "ggmbh",
  "mbh",
  "ag",
  "kg",
  "kgaa",
  "co",
  "ohg",
  "ev",
  "ug",
  // European company, French, Belgian, Luxembourgish
  "se",
  "sa",
  "sas",
  "sasu",
  "sarl",
  "eurl",
  "sca",
  "scrl",
  "sprl",
  "srl",
  "asbl",
  "aisbl",
  "vzw",
  "ivzw",
  "gie",
  "eeig",
  // Italian non-profit status, not a name: "ONLUS", "ETS" (Ente del Terzo Settore), "ODV"
  "onlus",
  "ets",
  "odv",
  // Dutch
  "bv",
  "nv",
  "cv",
  "bvba",
  // Italian, Spanish, Portuguese
  "spa",
  "srls",
  "scarl",
  "sl",
  "slu",
  "sau",
  "sll",
  "lda",
  // English ("LBG": limited by guarantee)
  "ltd",
  "lbg",
  "limited",
  "plc",
  "inc",
  "llc",
  "llp",
  "corp",
  "cic",
  // Nordic, Baltic
  "ab",
  "oy",
  "oyj",
  "as",
  "asa",
  "aps",
  "ks",
  "ehf",
  "ou",
  "uab",
  "sia",
  // Central and Eastern European
  "kft",
  "zrt",
  "nyrt",
  "sro",
  "doo",
  "dd",
  "ad",
  "ood",
  "eood",
]);
/** Legal forms removed wherever they stand: none of them is ever a word of a name. */
const ANYWHERE_LEGAL_FORMS = new Set(["gmbh", "ggmbh", "asbl", "aisbl", "vzw", "bvba", "sarl", "kgaa"]);

/**
 * The matching form of an organisation name: folded (foldText), dotted initials joined, every other
 * punctuation or symbol a space ("&" too), legal forms removed (TRAILING_LEGAL_FORMS), spaces collapsed.
 * "Forschungszentrum Jülich GmbH" -> "forschungszentrum julich"; "F.R.S.-FNRS" -> "frs fnrs";
 * "TECHNISCHE UNIVERSITAET MUENCHEN" -> "technische universitat munchen". A name that is nothing but a
 * legal form keeps it ("AS" stays "as"). Never throws; "" when nothing of a name is left.
 */
export function normaliseName(name: string | null | undefined): string {
  const joined = foldText(name)
    .replace(/(?<![\p{L}\p{N}])\p{L}(?:\.\p{L})+(?![\p{L}\p{N}])\.?/gu, (initials) =>
      initials.replace(/\./g, ""),
    )
    // Danish and Norwegian "A/S", "K/S": one legal form, not two letters.
    .replace(/(?<![\p{L}\p{N}])(\p{L})\/(\p{L})(?![\p{L}\p{N}])/gu, "$1$2");
  const tokens = joined
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .filter((token) => !ANYWHERE_LEGAL_FORMS.has(token) || joined.trim() === token);
  while (tokens.length > 1) {
    const last = tokens[tokens.length - 1]!;
    if (tokens.length > 3 && tokens.slice(-3).join(" ") === "sp z oo") tokens.splice(-3);
    else if (TRAILING_LEGAL_FORMS.has(last)) tokens.pop();
    else break;
  }
  return tokens.join(" ");
}

/**
 * Words that carry no identity in a name, in the languages of the seed's bodies: left out of token
 * similarity (they would make "Universitat de X" resemble every "Universitat de Y" through "de").
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  "a",
  "an",
  "and",
  "at",
  "da",
  "das",
  "de",
  "degli",
  "dei",
  "del",
  "della",
  "delle",
  "den",
  "der",
  "des",
  "det",
  "di",
  "die",
  "do",
  "dos",
  "du",
  "e",
  "el",
  "en",
  "et",
  "for",
  "fur",
  "i",
  "il",
  "in",
  "la",
  "las",
  "le",
  "les",
  "lo",
  "los",
  "och",
  "of",
  "og",
  "on",
  "the",
  "to",
  "u",
  "und",
  "van",
  "voor",
  "y",
  "z",
  "zu",
  "zur",
]);

/** The distinct words of a normalised name other than STOP_WORDS, in order of first appearance. */
export function nameTokens(normalised: string): string[] {
  return [...new Set(normalised.split(" ").filter((token) => token && !STOP_WORDS.has(token)))];
}
