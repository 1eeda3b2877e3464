import { isUtf8 } from "node:buffer";

/**
 * Where in `bytes` the first sequence that is not UTF-8 starts (a stray continuation byte, an overlong
 * form such as C0 AF, an encoded surrogate, a sequence cut short), as a byte offset; `bytes.length`
 * when every sequence is valid. The same rule as node:buffer's isUtf8, one sequence at a time.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const n =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (n === 0 || i + n > bytes.length || !isUtf8(bytes.subarray(i, i + n))) return i;
    i += n;
  }
  return bytes.length;
}

/**
 * A body parser's `verify` (express.json): refuses a body that is not UTF-8 with an error of status 400
 * naming the byte where it stops being UTF-8. Without it the parser decodes such bytes to U+FFFD, so an
 * overlong or broken sequence in a variable silently became other text, written by a mutation.
 */
export function refuseInvalidUtf8(_req: unknown, _res: unknown, body: Buffer): void {
  if (isUtf8(body)) return;
  throw Object.assign(
    new Error(
      `The request body is not valid UTF-8: an invalid, overlong or cut-short byte sequence at byte ${firstInvalidUtf8(body)}; send JSON text as UTF-8.`,
    ),
    { status: 400, type: "encoding.invalid" },
  );
}
