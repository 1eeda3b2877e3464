import { createHash } from "node:crypto";
import { GraphQLError } from "graphql";
import { ERROR_CODES } from "../util/error-codes.js";

/**
 * A page cursor names the item it stands for: its position in the (total, id-terminated) order, its id,
 * and a fingerprint of the sort and filter it was issued for. The position lets the next page start
 * where this one ended; the id lets the server check that the item is still at that position, so that
 * a write in between is reported (STALE_CURSOR) instead of silently repeating or skipping items.
 */
export interface PageCursor {
  /** 0-based position of the item in the order of the query that issued the cursor. */
  position: number;
  /** The item's `id`. */
  id: string;
  /** Fingerprint of the sort, where and phrase arguments (see queryFingerprint). */
  query: string;
}

const PREFIX = "atlas1:";

/** The opaque cursor text (base64url of `atlas1:` + JSON [position, id, query fingerprint]); see decodeCursor. */
export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(`${PREFIX}${JSON.stringify([cursor.position, cursor.id, cursor.query])}`).toString(
    "base64url",
  );
}

/**
 * A short fingerprint of the arguments that define a list and its order (sort, where and, for search,
 * the phrase): the same arguments give the same fingerprint.
 */
export function queryFingerprint(...definingArguments: unknown[]): string {
  return createHash("sha256")
    .update(JSON.stringify(definingArguments.map((argument) => argument ?? null)))
    .digest("base64url")
    .slice(0, 12);
}

function badCursor(reason: string): GraphQLError {
  return new GraphQLError(`after: ${reason}; start again without \`after\` and follow pageInfo.endCursor`, {
    extensions: { code: ERROR_CODES.BAD_USER_INPUT, argumentName: "after" },
  });
}

/**
 * Reads a cursor issued by encodeCursor for the same sort and where (`query`).
 * Throws BAD_USER_INPUT (argumentName `after`) for anything else: text that is no cursor of this API,
 * or a cursor issued for another sort or filter.
 */
export function decodeCursor(text: string, query: string): PageCursor {
  let parsed: unknown;
  try {
    const decoded = Buffer.from(text, "base64url").toString("utf8");
    if (!decoded.startsWith(PREFIX)) throw new Error("no prefix");
    parsed = JSON.parse(decoded.slice(PREFIX.length));
  } catch {
    throw badCursor(
      "this is not a cursor of this API (cursors are the opaque `cursor` and `endCursor` values)",
    );
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    !Number.isSafeInteger(parsed[0]) ||
    (parsed[0] as number) < 0 ||
    typeof parsed[1] !== "string" ||
    typeof parsed[2] !== "string"
  ) {
    throw badCursor(
      "this is not a cursor of this API (cursors are the opaque `cursor` and `endCursor` values)",
    );
  }
  if (parsed[2] !== query) throw badCursor("this cursor was issued for another sort or filter");
  return { position: parsed[0] as number, id: parsed[1], query: parsed[2] };
}

/**
 * The error for a cursor whose item is no longer where it was: something was created, deleted or
 * changed before it in the order since the page was read. The client should restart from the first page.
 */
export function staleCursorError(cursor: PageCursor): GraphQLError {
  return new GraphQLError(
    `after: the list changed since this cursor was issued (${cursor.id} is no longer item ${cursor.position + 1}: something before it was added, removed or re-sorted); start again from the first page`,
    {
      extensions: {
        code: ERROR_CODES.STALE_CURSOR,
        argumentName: "after",
        id: cursor.id,
        position: cursor.position,
      },
    },
  );
}
