import v8 from "node:v8";
import { runsOf, TimeSlicer } from "../util/time-slices.js";
import type { ReadSheet, ReadWorkbook, WorkbookProblem } from "./workbook-shapes.js";

/**
 * A read workbook on its way from the worker that read it to the server's thread. Posted as it is, a
 * workbook near the limits (tens of MB of cell text in thousands of Maps) is copied by one structured
 * clone whose reading on the receiving thread is one uninterrupted task: 100 to 200 ms during which
 * /health/live and every other request wait. Packed, its rows and problems travel as v8-serialised
 * chunks of at most about CHUNK_CHARACTERS characters each in buffers that are transferred (moved, not
 * copied), and the server's thread reads them chunk by chunk, giving the event loop a turn between.
 */

/** Text characters (cell texts, problem reasons) per chunk: a chunk reads in a millisecond or two. */
const CHUNK_CHARACTERS = 256 * 1024;

/** A list packed as v8-serialised chunks (each an array of items). */
type PackedList = Uint8Array[];

export interface PackedWorkbook {
  fileName: string;
  sha256: string;
  sheets: { name: string; headers: ReadSheet["headers"]; rows: PackedList }[];
  problems: PackedList;
}

/** A buffer of its own (v8.serialize's may share a larger one), so that it can be transferred. */
function ownBuffer(bytes: Buffer): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength) return bytes;
  return new Uint8Array(bytes);
}

function packList(items: unknown[], transfer: ArrayBuffer[]): PackedList {
  return runsOf(items, CHUNK_CHARACTERS).map((run) => {
    const bytes = ownBuffer(v8.serialize(run));
    transfer.push(bytes.buffer as ArrayBuffer);
    return bytes;
  });
}

/**
 * On the worker: the workbook as a message and the buffers to transfer with it
 * (`parentPort.postMessage(message, transfer)`).
 */
export function packWorkbook(read: ReadWorkbook): { message: PackedWorkbook; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const message: PackedWorkbook = {
    fileName: read.fileName,
    sha256: read.sha256,
    sheets: [...read.sheets.values()].map((sheet) => ({
      name: sheet.name,
      headers: sheet.headers,
      rows: packList(sheet.rows, transfer),
    })),
    problems: packList(read.problems, transfer),
  };
  return { message, transfer };
}

async function unpackList<T>(chunks: PackedList, slicer: TimeSlicer): Promise<T[]> {
  const items: T[] = [];
  for (const chunk of chunks) {
    for (const item of v8.deserialize(chunk) as T[]) items.push(item);
    await slicer.pause();
  }
  return items;
}

/**
 * On the server's thread: the workbook as readWorkbook returned it on the worker (Maps and Dates
 * included), read chunk by chunk with turns of the event loop between (`slicer`).
 */
export async function unpackWorkbook(
  packed: PackedWorkbook,
  slicer = new TimeSlicer(),
): Promise<ReadWorkbook> {
  const sheets = new Map<string, ReadSheet>();
  for (const sheet of packed.sheets)
    sheets.set(sheet.name, {
      name: sheet.name,
      headers: sheet.headers,
      rows: await unpackList<ReadSheet["rows"][number]>(sheet.rows, slicer),
    });
  return {
    fileName: packed.fileName,
    sha256: packed.sha256,
    sheets,
    problems: await unpackList<WorkbookProblem>(packed.problems, slicer),
  };
}
