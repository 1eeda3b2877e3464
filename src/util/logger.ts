import { type Logger, pino } from "pino";

export type { Logger };

/** Structured JSON logs; secrets are redacted wherever they appear under these keys. */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    {
      name: "permed-atlas",
      level,
      redact: {
        paths: [
          "password",
          "*.password",
          "*.*.password",
          "authorization",
          "*.authorization",
          "req.headers.authorization",
        ],
        censor: "[redacted]",
      },
    },
    destination as pino.DestinationStream,
  );
}
