import type { RequestHandler } from "express";
import {
  type DocumentNode,
  GraphQLError,
  Kind,
  parse,
  type SelectionNode,
  type SelectionSetNode,
} from "graphql";
import { LRUCache } from "lru-cache";
import { ERROR_CODES } from "../util/error-codes.js";
import { contractOf } from "./request-contract.js";

/**
 * Pairs of same-named fields that validation must compare. graphql-js's OverlappingFieldsCanBeMerged rule
 * compares every pair of fields with one response name in one selection set (inline fragments included)
 * and then their merged sub-selections: 800 repeats of `dataVersion { version }` are 319,600 pairs and
 * block the process for seconds inside `validate`, where no other rule can stop it first.
 */
export function fieldMergePairs(document: DocumentNode): number {
  let pairs = 0;
  // Each entry: the selections merged under one response path (fields of the same name, their
  // sub-selections united), so a node is visited once and the count stays linear in the document.
  const stack: SelectionNode[][] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION)
      stack.push([...definition.selectionSet.selections]);
  }
  while (stack.length > 0) {
    const byName = new Map<string, { count: number; sets: SelectionSetNode[] }>();
    const pending = stack.pop()!;
    while (pending.length > 0) {
      const selection = pending.pop()!;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        pending.push(...selection.selectionSet.selections);
      } else if (selection.kind === Kind.FIELD) {
        const name = selection.alias?.value ?? selection.name.value;
        const group = byName.get(name) ?? { count: 0, sets: [] };
        group.count++;
        if (selection.selectionSet) group.sets.push(selection.selectionSet);
        byName.set(name, group);
      }
      // A named spread is checked once, in its own definition (graphql-js caches fragment pairs).
    }
    for (const { count, sets } of byName.values()) {
      pairs += (count * (count - 1)) / 2;
      if (sets.length > 0) stack.push(sets.flatMap((set) => set.selections));
    }
  }
  return pairs;
}

/** The query text of a /graphql request: the JSON body's `query` (POST) or the `query` parameter (GET). */
function queryOf(body: unknown, query: Record<string, unknown>): string | undefined {
  const text =
    body && typeof body === "object" && !Array.isArray(body)
      ? (body as { query?: unknown }).query
      : query.query;
  return typeof text === "string" ? text : undefined;
}

/**
 * Express middleware before Apollo on /graphql: refuses a document whose same-named fields would make
 * validation compare more than `maxFieldMergePairs` pairs, with 400 GRAPHQL_VALIDATION_FAILED naming the
 * limit (`maxFieldMergePairs`) and the count. The document is parsed here under the same token limit as
 * Apollo's; a document that does not parse is left to Apollo's own error. Verdicts are kept per query text
 * (a dashboard sends the same few documents), so the parse is paid once per document, as Apollo's is.
 */
export function fieldMergeLimit(limits: { maxFieldMergePairs: number; maxTokens: number }): RequestHandler {
  const verdicts = new LRUCache<string, number>({ max: 1_000 });
  return (req, res, next) => {
    const text = queryOf(req.body, req.query as Record<string, unknown>);
    if (text === undefined) return next();
    let pairs = verdicts.get(text);
    if (pairs === undefined) {
      try {
        pairs = fieldMergePairs(parse(text, { maxTokens: limits.maxTokens }));
      } catch {
        return next();
      }
      verdicts.set(text, pairs);
    }
    if (pairs <= limits.maxFieldMergePairs) return next();
    contractOf(res).sendError(
      res,
      new GraphQLError(
        `The document repeats fields so that validation would compare ${pairs} pairs of them; at most ${limits.maxFieldMergePairs} are allowed (ask for each field once per selection).`,
        {
          extensions: {
            code: ERROR_CODES.GRAPHQL_VALIDATION_FAILED,
            limit: "maxFieldMergePairs",
            value: limits.maxFieldMergePairs,
            count: pairs,
          },
        },
      ),
    );
  };
}
