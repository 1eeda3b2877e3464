import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import neo4j, { type Driver } from "neo4j-driver";
import { inject } from "vitest";
import { TEST_DATABASE } from "./database.js";

/** Open transactions of the CORDIS import of process `pid` (the importer names itself in their metadata). */
async function importTransactions(driver: Driver, pid: number): Promise<number> {
  const { records } = await driver.executeQuery(
    "SHOW TRANSACTIONS YIELD metaData WHERE metaData.job = 'import cordis' AND metaData.pid = $pid RETURN count(*) AS open",
    { pid: neo4j.int(pid) },
    { database: TEST_DATABASE },
  );
  return Number(records[0]!.get("open"));
}

/**
 * Runs `import cordis <folder>` as a child process and kills it with SIGKILL at the moment `trigger`
 * accepts a line of its stderr (debug logs and progress). To prove that the kill lands inside the
 * import's transaction, the child is frozen (SIGSTOP) at that moment and Neo4j is asked whether the
 * transaction is open; then it is killed, and this returns once Neo4j has rolled the transaction back
 * (polled, not slept). Fails when the import ends before the trigger.
 */
export async function killImportMidTransaction(
  driver: Driver,
  folder: string,
  trigger: (stderrLine: string) => boolean,
): Promise<{ transactionOpenAtKill: number; trigger: string }> {
  const { uri, password } = inject("neo4j");
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "import", "cordis", folder], {
    env: { ...process.env, NEO4J_URI: uri, NEO4J_PASSWORD: password, LOG_LEVEL: "debug" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const fired = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr! });
    lines.on("line", (line) => {
      if (trigger(line)) {
        child.kill("SIGSTOP");
        lines.close();
        resolve(line);
      }
    });
    void exited.then((code) => reject(new Error(`the import exited (${code}) before the trigger line`)));
  });
  const transactionOpenAtKill = await importTransactions(driver, child.pid!);
  child.kill("SIGKILL");
  await exited;
  const deadline = Date.now() + 120_000;
  while ((await importTransactions(driver, child.pid!)) > 0) {
    if (Date.now() > deadline) throw new Error("Neo4j did not roll back the killed import within 120 s");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { transactionOpenAtKill, trigger: fired };
}

/** A trigger on the n-th "import batch written" debug line of the importer. */
export const afterBatch = (n: number) => {
  let seen = 0;
  return (line: string) => line.includes('"import batch written"') && ++seen === n;
};
