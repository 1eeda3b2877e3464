import { GraphQLError } from "graphql";
import { ERROR_CODES } from "../util/error-codes.js";

/** At most this many words in a search phrase: each word is a Lucene clause per indexed field. */
export const MAX_SEARCH_WORDS = 64;
/** At most this many characters: a long run of text is split into many terms by the analyzer. */
export const MAX_SEARCH_CHARACTERS = 1000;

// Every character that Lucene's classic query parser treats as syntax (its documented list), plus `/`
// (regular expressions since Lucene 4) and `&`/`|` one at a time (`&&`, `||`).
const LUCENE_SYNTAX = /[+\-&|!(){}[\]^"~*?:\\/]/g;
// Operators that the parser recognises only in upper case; lower case they are ordinary words, and the
// index's analyzer lower-cases every word anyway.
const LUCENE_OPERATORS = /^(AND|OR|NOT|TO)$/;

function phraseError(message: string, value: number): GraphQLError {
  return new GraphQLError(`phrase: ${message}`, {
    extensions: { code: ERROR_CODES.BAD_USER_INPUT, argumentName: "phrase", value },
  });
}

/**
 * The full-text query that searches a phrase as plain words: every Lucene syntax character is escaped
 * and the operator words are lower-cased, so `AI/ML`, `(cancer`, `cancer:`, quotes, `-` and `AND` are
 * searched for as the words they contain, never parsed. Words are combined as Lucene does by default:
 * an item matches when it contains any of them, and items with more of them score higher.
 *
 * Returns undefined for a phrase without words (empty or blank): nothing can match it.
 * Throws BAD_USER_INPUT (argumentName `phrase`) above MAX_SEARCH_CHARACTERS or MAX_SEARCH_WORDS.
 */
export function literalSearchQuery(phrase: string): string | undefined {
  if (phrase.length > MAX_SEARCH_CHARACTERS)
    throw phraseError(
      `a search phrase holds at most ${MAX_SEARCH_CHARACTERS} characters, this one has ${phrase.length}`,
      phrase.length,
    );
  const words = phrase.split(/\s+/u).filter((word) => word.length > 0);
  if (words.length === 0) return undefined;
  if (words.length > MAX_SEARCH_WORDS)
    throw phraseError(
      `a search phrase holds at most ${MAX_SEARCH_WORDS} words, this one has ${words.length}`,
      words.length,
    );
  return words
    .map((word) => (LUCENE_OPERATORS.test(word) ? word.toLowerCase() : word.replace(LUCENE_SYNTAX, "\\$&")))
    .join(" ");
}
