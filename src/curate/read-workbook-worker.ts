import { parentPort, workerData } from "node:worker_threads";
import { readWorkbook } from "./read-workbook.js";

// Worker entry (read-workbook.ts, readWorkbookOffThread): one workbook read off the main thread.
const { bytes, fileName } = workerData as { bytes: Uint8Array; fileName: string };
parentPort!.postMessage(
  await readWorkbook(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), fileName),
);
