import { Command, CommanderError } from "commander";
import { ConfigError, loadConfig } from "../config/config.js";
import { MissingToolError } from "../db/launcher-build.js";
import { ImportInterruptedError, ImportTooLargeError, InputValidationError } from "../util/input-problems.js";
import { createLogger } from "../util/logger.js";
import { registerClassifyCommand } from "./classify-command.js";
import { registerCurateCommand } from "./curate-command.js";
import { registerDbCommands } from "./db-commands.js";
import { registerIdentifyCommand } from "./identify-command.js";
import { registerImportCommand } from "./import-command.js";
import { registerSeedCommand } from "./seed-command.js";
import type { CliServices } from "./services.js";
import { registerTokenCommand } from "./token-command.js";

/** The command line of PerMed Atlas: `npm run cli -- <command>`; each command validates its options first. */
const program = new Command()
  .name("atlas")
  .description("PerMed Atlas command line: database status, seeding, imports and topic classification")
  .exitOverride()
  .showHelpAfterError();

const services: CliServices = {
  config: () => loadConfig(),
  logger: (level: string) => createLogger(level),
};
registerDbCommands(program, services);
registerSeedCommand(program, services);
registerImportCommand(program, services);
registerClassifyCommand(program, services);
registerIdentifyCommand(program, services);
registerCurateCommand(program, services);
registerTokenCommand(program, services);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ImportInterruptedError) {
    // 128 + SIGINT, as a shell reports a command stopped by Ctrl-C. Exit now: the abandoned read of the
    // export would otherwise keep the process alive until it finished.
    process.exit(130);
  } else if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else if (
    error instanceof ConfigError ||
    error instanceof MissingToolError ||
    error instanceof InputValidationError ||
    error instanceof ImportTooLargeError
  ) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
