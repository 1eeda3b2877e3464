import { Writable } from "node:stream";

/**
 * A stream to hand createLogger: it keeps each JSON log line as written, for tests that assert what the
 * product logged (retries, errors with request ids, transaction settings).
 */
export function logCapture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(
        ...String(chunk)
          .split("\n")
          .filter((line) => line.trim()),
      );
      done();
    },
  });
  return { stream, lines };
}
