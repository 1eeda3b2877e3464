import { gzipSync } from "node:zlib";
import type { RequestHandler } from "express";
import type { FormattedExecutionResult } from "graphql";
import { LRUCache } from "lru-cache";

/** A kept answer's body as sent: its JSON text, and that text gzipped once it has been sent gzipped. */
interface Body {
  gzipped?: Buffer;
  etag?: string;
}

/**
 * The bodies of whole analysis answers that the server keeps (http-server.ts versionedResponses), so
 * that the same answer sent again is neither serialised nor compressed again. A cached answer of an
 * organisation network is hundreds of kilobytes of JSON: in a profile of the same request repeated,
 * gzip took about a quarter and JSON.stringify a further part of the process's busy time, for bytes
 * identical every time. Nothing here decides what is answered: the answer, its checks and its data
 * version are the answer cache's; this only keeps the bytes of a result object it was handed.
 *
 * - `keep(result)`: the result (kept by the answer cache, no errors, no extensions) whose text is kept;
 * - `stringifyResult`: Apollo's serialiser. Apollo hands it a copy of the result's outer object
 *   (orderExecutionResultFields) but the same `data` object, so the text is found by `data`'s
 *   identity; any other result is serialised as Apollo does (JSON and a newline);
 * - `gzipKnownBodies`: /graphql middleware that sends a kept text gzipped from memory (the client
 *   accepting gzip), with the ETag express would give it; `compression()` leaves an encoded body alone.
 */
export function answerBodies(maxEntries: number) {
  const texts = new WeakMap<object, string>();
  const kept = new WeakSet<object>();
  const bodies = new LRUCache<string, Body>({
    max: Math.max(1, maxEntries),
    dispose: (_body, text) => lengths.delete(text.length),
  });
  // Looking a text up hashes all of it: only texts as long as a kept one are looked up.
  const lengths = new Set<number>();
  const keepable = (result: FormattedExecutionResult) =>
    result.data !== null &&
    typeof result.data === "object" &&
    result.errors === undefined &&
    result.extensions === undefined;
  return {
    keep(result: FormattedExecutionResult): void {
      if (keepable(result)) kept.add(result.data as object);
    },
    stringifyResult(result: FormattedExecutionResult): string {
      if (!keepable(result) || !kept.has(result.data as object)) return `${JSON.stringify(result)}\n`;
      const data = result.data as object;
      let text = texts.get(data);
      if (text === undefined) {
        text = `${JSON.stringify(result)}\n`;
        texts.set(data, text);
        bodies.set(text, {});
        lengths.add(text.length);
      }
      return text;
    },
    gzipKnownBodies: ((req, res, next) => {
      const send = res.send.bind(res);
      res.send = (body?: unknown) => {
        const known =
          typeof body === "string" && req.method === "POST" && lengths.has(body.length)
            ? bodies.get(body)
            : undefined;
        if (!known || res.statusCode !== 200 || req.acceptsEncodings("gzip", "identity") !== "gzip")
          return send(body);
        const text = body as string;
        known.gzipped ??= gzipSync(text);
        known.etag ??= (req.app.get("etag fn") as ((b: string, e: string) => string) | undefined)?.(
          text,
          "utf8",
        );
        if (known.etag) res.setHeader("ETag", known.etag);
        res.setHeader("Content-Encoding", "gzip");
        res.setHeader("Vary", "Accept-Encoding");
        res.setHeader("Content-Length", known.gzipped.length);
        if (!res.getHeader("Content-Type")) res.setHeader("Content-Type", "application/json; charset=utf-8");
        res.end(known.gzipped);
        return res;
      };
      next();
    }) as RequestHandler,
  };
}

export type AnswerBodies = ReturnType<typeof answerBodies>;
