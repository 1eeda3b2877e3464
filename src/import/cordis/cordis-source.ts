import { createReadStream, existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import yauzl from "yauzl";
import { FileRefusedError } from "../../util/input-problems.js";

/** The files of a CORDIS export, as published: a folder or the downloaded zip, read without unpacking. */
export const CORDIS_FILES = [
  "project.csv",
  "organization.csv",
  "topics.csv",
  "euroSciVoc.csv",
  "legalBasis.csv",
] as const;
export type CordisFileName = (typeof CORDIS_FILES)[number];

export interface CordisFile {
  name: CordisFileName;
  /** How the file is named in messages, e.g. seed/cordis/horizon/project.csv or export.zip!csv/project.csv. */
  displayName: string;
  /** Its size: a zip entry's as the zip declares it (what is inflated is counted as it is read). */
  size: number;
  /** A zip entry's compressed bytes (read from the zip file itself), to measure how much it inflates. */
  compressedSize?: number;
  open(): Promise<Readable>;
}

export interface CordisSource {
  location: string;
  files: Map<CordisFileName, CordisFile>;
  close(): void;
}

function fromFolder(folder: string, displayRoot: string): CordisSource {
  const files = new Map<CordisFileName, CordisFile>();
  const present = new Set(readdirSync(folder));
  for (const name of CORDIS_FILES) {
    if (!present.has(name)) continue;
    const full = path.join(folder, name);
    files.set(name, {
      name,
      displayName: path.relative(displayRoot, full),
      size: statSync(full).size,
      open: async () => createReadStream(full),
    });
  }
  return { location: folder, files, close: () => {} };
}

async function fromZip(zipPath: string, displayRoot: string): Promise<CordisSource> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false }, (error, file) =>
      error ? reject(error) : resolve(file!),
    ),
  );
  const entries = await new Promise<yauzl.Entry[]>((resolve, reject) => {
    const found: yauzl.Entry[] = [];
    zip.on("entry", (entry: yauzl.Entry) => {
      found.push(entry);
      zip.readEntry();
    });
    zip.once("end", () => resolve(found));
    zip.once("error", reject);
    zip.readEntry();
  });
  const files = new Map<CordisFileName, CordisFile>();
  for (const entry of entries) {
    // CORDIS zips keep the CSVs in a sub-folder (csv/project.csv): match on the base name.
    const base = path.posix.basename(entry.fileName) as CordisFileName;
    if (!(CORDIS_FILES as readonly string[]).includes(base)) continue;
    const earlier = files.get(base);
    if (earlier) {
      zip.close();
      throw new FileRefusedError({
        file: path.relative(displayRoot, zipPath),
        line: undefined,
        field: "(zip)",
        reason: `holds ${base} twice (${earlier.displayName.split("!")[1]} and ${entry.fileName}): which one is the export is unknown`,
      });
    }
    files.set(base, {
      name: base,
      displayName: `${path.relative(displayRoot, zipPath)}!${entry.fileName}`,
      size: entry.uncompressedSize,
      compressedSize: entry.compressedSize,
      open: () =>
        new Promise<Readable>((resolve, reject) =>
          zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream!))),
        ),
    });
  }
  return { location: zipPath, files, close: () => zip.close() };
}

/**
 * The CSV files of a CORDIS export, from a folder or a downloaded zip; file names shown relative to
 * `displayRoot`. Throws an Error naming `location` when it does not exist or holds no project.csv and
 * organization.csv. Call `close()` when done (it closes the zip).
 */
export async function openCordisSource(location: string, displayRoot = process.cwd()): Promise<CordisSource> {
  if (!existsSync(location)) throw new Error(`${location}: no such file or folder`);
  const source = statSync(location).isDirectory()
    ? fromFolder(location, displayRoot)
    : await fromZip(location, displayRoot);
  for (const required of ["project.csv", "organization.csv"] as const) {
    if (!source.files.has(required)) {
      source.close();
      throw new Error(
        `${location}: ${required} is missing (a CORDIS export has project.csv and organization.csv)`,
      );
    }
  }
  return source;
}
