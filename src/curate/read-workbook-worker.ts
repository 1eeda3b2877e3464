import { parentPort, workerData } from "node:worker_threads";
import { readWorkbook } from "./read-workbook.js";
import { packWorkbook } from "./workbook-transfer.js";

// Worker entry (read-workbook.ts, readWorkbookOffThread): one workbook read off the main thread, and
// posted packed (workbook-transfer.ts), its buffers moved rather than cloned.
const { bytes, fileName } = workerData as { bytes: Uint8Array; fileName: string };
const { message, transfer } = packWorkbook(
  await readWorkbook(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), fileName),
);
parentPort!.postMessage(message, transfer);
