import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { createErrorFormatter } from "../../src/server/error-format.js";
import { isCalendarDate } from "../../src/util/calendar-date.js";
import {
  hasControlCharacters,
  withoutControlCharacters,
  xmlSafe,
} from "../../src/util/control-characters.js";

describe("isCalendarDate (issue 16: impossible dates)", () => {
  it.each(["2024-02-29", "2000-02-29", "2023-12-31", "1900-01-01"])("takes %s", (text) => {
    expect(isCalendarDate(text)).toBe(true);
  });
  // 1900 and 2100 are not leap years (divisible by 100, not by 400); Date.parse rolls these over.
  it.each([
    "2023-02-29",
    "1900-02-29",
    "2100-02-29",
    "2023-04-31",
    "2023-13-01",
    "2023-00-10",
    "2023-1-01",
    "2023-01-01T00:00",
    " 2023-01-01",
    "",
  ])("refuses %j", (text) => {
    expect(isCalendarDate(text)).toBe(false);
  });
});

describe("control characters (issue 16)", () => {
  it("finds C0, DEL and C1 characters; tab and line breaks only without keepLayout", () => {
    expect(hasControlCharacters("a\u0000b")).toBe(true);
    expect(hasControlCharacters("a\u007fb")).toBe(true);
    expect(hasControlCharacters("a\u0085b")).toBe(true);
    expect(hasControlCharacters("line\nnext")).toBe(true);
    expect(hasControlCharacters("line\nnext\ttab\r", true)).toBe(false);
    expect(hasControlCharacters("Université Zürich")).toBe(false);
  });

  it("removes an ANSI sequence whole and turns any other run into one space", () => {
    // "\u001b[31m" is 5 characters, "\u001b[0m" 4; the run "\u0000\u0001" is 2 and becomes a space.
    expect(withoutControlCharacters("\u001b[31mred\u001b[0m name\u0000\u0001here")).toEqual({
      text: "red name here",
      removed: 11,
    });
  });

  it("keeps the layout of a long text with keepLayout, and collapses spaces it leaves", () => {
    expect(withoutControlCharacters("para one\n\npara\u0007 two", true)).toEqual({
      text: "para one\n\npara two",
      removed: 1,
    });
    expect(withoutControlCharacters("  a\tb  ")).toEqual({ text: "a b", removed: 1 });
  });

  it("xmlSafe replaces what XML 1.0 cannot hold by U+FFFD and keeps the rest", () => {
    expect(xmlSafe("a\u0001b\tc\u{1F600}\ud800d\uffff")).toBe("a\ufffdb\tc\u{1F600}\ufffdd\ufffd");
  });
});

describe("error formatter", () => {
  const development = createErrorFormatter({ production: false, queryTimeoutMs: 1234 });
  const production = createErrorFormatter({ production: true, queryTimeoutMs: 1234 });
  const format = (
    formatter: ReturnType<typeof createErrorFormatter>,
    error: unknown,
    formatted: { message: string; extensions?: Record<string, unknown> } = { message: String(error) },
  ) => formatter({ path: ["q"], ...formatted }, error);

  it("masks an unknown error in production and names it internal in development", () => {
    const error = new GraphQLError("secret detail", { originalError: new Error("secret detail") });
    expect(format(production, error, { message: "secret detail" })).toEqual({
      message: "Unexpected error.",
      path: ["q"],
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
    expect(format(development, error, { message: "secret detail" }).extensions?.code).toBe(
      "INTERNAL_SERVER_ERROR",
    );
  });

  it("keeps a user-facing code, and drops the stack and the 'Did you mean' hint in production", () => {
    const formatted = {
      message:
        'Value "COUNTRYZ" does not exist in "NetworkLevel" enum. Did you mean the enum value "COUNTRY"?',
      extensions: { code: "BAD_USER_INPUT", stacktrace: ["at x"] },
    };
    expect(format(production, new Error("x"), formatted)).toEqual({
      message: 'Value "COUNTRYZ" does not exist in "NetworkLevel" enum.',
      path: ["q"],
      extensions: { code: "BAD_USER_INPUT" },
    });
  });

  it("names a database that does not answer SERVICE_UNAVAILABLE", () => {
    const neo4jError = Object.assign(new Error("Could not perform discovery"), {
      code: "ServiceUnavailable",
    });
    const error = new GraphQLError("x", { originalError: neo4jError });
    expect(format(production, error).extensions?.code).toBe("SERVICE_UNAVAILABLE");
  });

  it("gives the supervisor's reason for a lost database, and a generic sentence when it knows none", () => {
    const lost = new GraphQLError("x", {
      originalError: Object.assign(new Error("connect ECONNREFUSED"), { code: "ServiceUnavailable" }),
    });
    const reason = "the embedded Neo4j (pid 41) exited: killed by SIGKILL at 2026-12-06T20:00:00.000Z";
    const recovering = createErrorFormatter({
      production: true,
      queryTimeoutMs: 1234,
      databaseHealth: () => ({ state: "recovering", reason, attempt: 2, maxAttempts: 8 }),
    });
    const answer = format(recovering, lost);
    expect(answer.message).toContain(reason);
    expect(answer.message).toContain("attempt 2 of 8");
    expect(answer.extensions).toEqual({
      code: "SERVICE_UNAVAILABLE",
      database: { state: "recovering", reason, attempt: 2, maxAttempts: 8 },
    });
    const failed = createErrorFormatter({
      production: true,
      queryTimeoutMs: 1234,
      databaseHealth: () => ({ state: "failed", reason }),
    });
    expect(format(failed, lost).message).toMatch(/restarting it failed/);
    expect(format(failed, lost).extensions?.database).toEqual({ state: "failed", reason });
    // Up (or no supervisor: an external Neo4j): nothing is known beyond the driver's error.
    const up = createErrorFormatter({
      production: true,
      queryTimeoutMs: 1234,
      databaseHealth: () => ({ state: "up" }),
    });
    expect(format(up, lost).extensions).toEqual({ code: "SERVICE_UNAVAILABLE" });
    expect(format(up, lost).message).not.toContain("ECONNREFUSED");
  });

  it("names a transaction time-out QUERY_TIMEOUT with the limit it hit", () => {
    const cause = Object.assign(new Error("timed out"), {
      code: "Neo.ClientError.Transaction.TransactionTimedOut",
    });
    expect(format(production, new GraphQLError("x", { originalError: cause })).extensions).toEqual({
      code: "QUERY_TIMEOUT",
      limit: "queryTimeoutMs",
      value: 1234,
    });
  });

  it("turns the library's own arithmetic check into BAD_USER_INPUT with its message", () => {
    const cause = new Error(
      "Failed to invoke procedure `apoc.util.validate`: Caused by: java.lang.RuntimeException: Overflow: Value returned from operator increment is larger than 32 bit integer\nmore",
    );
    expect(format(production, new GraphQLError("x", { originalError: cause }))).toEqual({
      message: "Overflow: Value returned from operator increment is larger than 32 bit integer",
      path: ["q"],
      extensions: { code: "BAD_USER_INPUT" },
    });
  });

  it("never throws, even on an error whose properties throw", () => {
    const hostile = {
      get originalError(): unknown {
        throw new Error("boom");
      },
    };
    expect(format(production, hostile, { message: "m" })).toEqual({
      message: "Unexpected error.",
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
  });
});
