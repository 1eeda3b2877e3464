import { ConfigError, loadConfig } from "./config/config.js";
import { MissingToolError } from "./db/launcher-build.js";
import { DEFAULT_STOP_PATIENCE } from "./db/stop-progress.js";
import { startAtlas } from "./startup.js";
import { createLogger } from "./util/logger.js";

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  let atlas: Awaited<ReturnType<typeof startAtlas>>;
  try {
    atlas = await startAtlas(config, log);
  } catch (error) {
    if (error instanceof MissingToolError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      log.fatal({ err: error }, "PerMed Atlas could not start");
      process.stderr.write(`PerMed Atlas could not start: ${(error as Error).message}\n`);
    }
    process.exit(1);
  }

  let shuttingDown = false;
  const shutdown = (signal: NodeJS.Signals) => {
    // A terminal's Ctrl-C reaches npm and this process, and npm forwards it again: a repeated signal
    // must not take Node's default action (exit at once, requests and Neo4j not drained).
    if (shuttingDown) {
      log.info({ signal }, "already shutting down");
      return;
    }
    shuttingDown = true;
    log.info({ signal }, "shutting down");
    // The embedded Neo4j's stop is waited for while it makes progress (its checkpoint) and is bounded
    // there; this bound only catches a stop that hangs elsewhere (the HTTP drain, the driver).
    const boundMs = DEFAULT_STOP_PATIENCE.maxMs + 60_000;
    const forced = setTimeout(() => {
      log.error({ boundMs }, "shutdown took longer than its bound; exiting");
      process.exit(1);
    }, boundMs);
    forced.unref();
    atlas.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, "error during shutdown");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

await main();
