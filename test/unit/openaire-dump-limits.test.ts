import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { type DumpFile, nestedDeeperThan, readDumpLines } from "../../src/import/openaire/openaire-source.js";
import { FileRefusedError } from "../../src/util/input-problems.js";

/**
 * An OpenAIRE dump file that is not what it claims is refused while it is read, naming the file and the
 * line: a line far longer than any record, a .gz that inflates like a compression bomb. Small limits
 * here so that the files stay small; the defaults are the same code.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), "atlas-openaire-limits-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dump(name: string, content: Buffer | string, gzip = false): DumpFile {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return { path: file, displayName: name, size: Buffer.byteLength(content), part: "project", gzip };
}

async function readAll(
  file: DumpFile,
  limits = { maxLineChars: 1_000, maxNesting: 8, maxInflation: 50, inflationFloorBytes: 100_000 },
) {
  const lines: number[] = [];
  for await (const batch of readDumpLines(file, undefined, limits).batches)
    for (const l of batch) lines.push(l.line);
  return lines;
}

describe("OpenAIRE dump limits", () => {
  it("reads lines within the limits", async () => {
    expect(await readAll(dump("ok.jsonl", '{"a":1}\n\n{"b":2}\r\n{"c":3}'))).toEqual([1, 3, 4]);
  });

  it("refuses a line longer than the limit, with or without a newline after it, naming its line", async () => {
    for (const [name, content, line] of [
      ["long-middle.jsonl", `{"a":1}\n{"t":"${"x".repeat(5_000)}"}\n{"b":2}\n`, 2],
      ["long-last.jsonl", `{"a":1}\n{"t":"${"x".repeat(5_000)}`, 2],
    ] as const) {
      const refused = await readAll(dump(name, content)).catch((error: unknown) => error);
      expect(refused, name).toBeInstanceOf(FileRefusedError);
      expect((refused as FileRefusedError).problem).toMatchObject({ file: name, line, field: "(line)" });
    }
  });

  it("refuses a .gz that inflates like a compression bomb, and reads an ordinary .gz", async () => {
    const bomb = gzipSync(Buffer.from("{}\n".repeat(400_000)));
    expect(bomb.length * 50).toBeLessThan(1_200_000);
    const refused = await readAll(dump("bomb.jsonl.gz", bomb, true)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(FileRefusedError);
    expect((refused as FileRefusedError).problem.field).toBe("(gzip)");
    expect((refused as FileRefusedError).message).toMatch(/compression bomb/);
    // Varied records compress a few times only: read whole.
    const varied = Array.from({ length: 20_000 }, (_, i) =>
      JSON.stringify({ id: i, title: `t${(i * 7919) % 10007}` }),
    ).join("\n");
    expect(await readAll(dump("varied.jsonl.gz", gzipSync(Buffer.from(varied)), true))).toHaveLength(20_000);
  });

  it("refuses a record nested deeper than the limit, naming its line; brackets inside strings do not count", async () => {
    const deep = (levels: number) => `${'{"a":['.repeat(levels)}1${"]}".repeat(levels)}`;
    // 4 levels of {"a":[ ... ]} are 8 brackets: at the limit. 5 are 10: past it.
    expect(await readAll(dump("at-limit.jsonl", `{"x":1}\n${deep(4)}\n`))).toEqual([1, 2]);
    for (const [name, content, line] of [
      ["deep-middle.jsonl", `{"x":1}\n${deep(5)}\n{"y":2}\n`, 2],
      ["deep-last.jsonl", `{"x":1}\n{"y":2}\n${deep(100)}`, 3],
    ] as const) {
      const refused = await readAll(dump(name, content)).catch((error: unknown) => error);
      expect(refused, name).toBeInstanceOf(FileRefusedError);
      expect((refused as FileRefusedError).problem).toMatchObject({ file: name, line, field: "(json)" });
      expect((refused as Error).message).toContain("nested deeper than 8 levels");
    }
    expect(nestedDeeperThan(`{"t":"${"[".repeat(100)}\\"{{{"}`, 8)).toBe(false);
    expect(nestedDeeperThan("[[[[[[[[[]]]]]]]]]", 8)).toBe(true);
  });
});
