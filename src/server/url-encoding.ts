import type { RequestHandler } from "express";

/**
 * The first part of a request's URL (path segment or query parameter) whose percent-encoding is not
 * UTF-8 or is malformed, named as a client wrote it, or undefined. `+` is a space in a query, as in
 * application/x-www-form-urlencoded. decodeURIComponent is strict: it throws on an overlong form, an
 * encoded surrogate (ED A0 80), a sequence cut short and a `%` without two hex digits.
 */
export function invalidUrlPart(url: string): string | undefined {
  const at = url.indexOf("?");
  const path = at < 0 ? url : url.slice(0, at);
  const query = at < 0 ? "" : url.slice(at + 1);
  const decodes = (text: string) => {
    try {
      decodeURIComponent(text.replaceAll("+", " "));
      return true;
    } catch {
      return false;
    }
  };
  if (!decodes(path)) return `the path ${JSON.stringify(path.slice(0, 200))}`;
  for (const pair of query.split("&")) {
    const equals = pair.indexOf("=");
    const name = equals < 0 ? pair : pair.slice(0, equals);
    if (!decodes(name)) return `a query parameter's name (${JSON.stringify(name.slice(0, 80))})`;
    if (equals >= 0 && !decodes(pair.slice(equals + 1)))
      return `the query parameter "${decodeURIComponent(name.replaceAll("+", " "))}"`;
  }
  return undefined;
}

/**
 * Refuses a URL whose percent-encoding is not UTF-8 (HTTP 400, BAD_REQUEST, naming the part), on every
 * route: express's query parser decodes such bytes leniently, to U+FFFD or to the raw `%` text, so an
 * id or a GET query's variables silently became other text. The body has the same rule (utf8.ts).
 */
export function refuseInvalidUrlEncoding(): RequestHandler {
  return (req, _res, next) => {
    const part = invalidUrlPart(req.originalUrl);
    if (!part) return next();
    next(
      Object.assign(
        new Error(
          `The URL is not valid: ${part} is not UTF-8 percent-encoding (an invalid, overlong or cut-short byte sequence, or a % without two hex digits).`,
        ),
        { status: 400, type: "url.invalid" },
      ),
    );
  };
}
