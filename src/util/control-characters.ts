/**
 * Control characters in text from outside (CSV cells, a store written before issue 16): invisible in a
 * name, and most of them cannot be written in XML 1.0 at all, not even as character references.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_RUN = /[\u0000-\u001f\u007f-\u009f]+/g;
/** The same without tab, line feed and carriage return: the layout of a long text (an objective). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_RUN_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]+/g;
/** A terminal's colour or cursor sequence (ESC [ ... final letter): removed whole, not only its ESC. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: an ANSI sequence starts with ESC
const ANSI_SEQUENCE = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
/**
 * What XML 1.0 cannot hold (its production Char): C0 controls other than tab, line feed and carriage
 * return, lone surrogates, U+FFFE and U+FFFF.
 */
const NOT_XML_CHAR =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML forbids
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Whether the text holds control characters; with `keepLayout`, tab, line feed and carriage return
 * (the paragraphs of a long text) do not count.
 */
export function hasControlCharacters(text: string, keepLayout = false): boolean {
  return (keepLayout ? CONTROL_IN_TEXT : CONTROL_CHARACTER).test(text);
}

/**
 * Text without control characters (C0, DEL, C1): an ANSI escape sequence is removed whole, any other
 * run of control characters becomes one space (a line break inside a quoted title separates words),
 * then spaces are collapsed and the text trimmed. With `keepLayout` (a long text such as an objective)
 * tab, line feed and carriage return stay. `removed` counts the characters taken out.
 */
export function withoutControlCharacters(
  value: string,
  keepLayout = false,
): { text: string; removed: number } {
  let removed = 0;
  const text = value
    .replace(ANSI_SEQUENCE, (sequence) => {
      removed += sequence.length;
      return "";
    })
    .replace(keepLayout ? CONTROL_RUN_IN_TEXT : CONTROL_RUN, (run) => {
      removed += run.length;
      return " ";
    })
    .replace(/ {2,}/g, " ")
    .trim();
  return { text, removed };
}

/**
 * Text that XML 1.0 can hold: characters outside its Char production are replaced by U+FFFD, so an
 * export stays well-formed whatever the store holds (and a reader sees that something was there).
 */
export function xmlSafe(text: string): string {
  return text.replace(NOT_XML_CHAR, "\ufffd");
}
