import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The direction of dependencies between the folders of src/, as the README's layout describes it:
 * config → database → model → importers and analytics beside the schema → schema → server. A folder may
 * import only the folders listed for it; no file may take part in an import cycle. Checked here rather
 * than by reading, so that a change that runs back up fails in seconds.
 */
const ALLOWED: Record<string, readonly string[]> = {
  util: [],
  config: ["util"],
  generated: [],
  db: ["util", "config"],
  model: ["util"],
  identity: ["util", "db", "model"],
  classify: ["util", "db", "model"],
  import: ["util", "db", "model", "classify", "identity", "generated"],
  curate: ["util", "db", "model", "classify", "identity", "import", "generated"],
  analysis: ["util", "db", "model", "identity", "generated"],
  graphql: ["util", "db", "model", "analysis", "generated"],
  server: ["util", "config", "db", "model", "analysis", "graphql", "curate", "generated"],
  cli: [
    "util",
    "config",
    "db",
    "model",
    "classify",
    "identity",
    "import",
    "curate",
    "analysis",
    "graphql",
    "generated",
  ],
};

const SRC = path.resolve("src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") || entry.name.endsWith(".tsx") ? [full] : [];
  });
}

interface Import {
  target: string;
}

/** The src/ files a file imports (relative imports only; `.js` specifiers name `.ts` files). */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, "utf8");
  return [
    ...text.matchAll(/(import|export)\s[^;"]*?from\s*"(\.{1,2}\/[^"]+)"|import\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g),
  ].map((match) => ({
    target: path.resolve(path.dirname(file), (match[2] ?? match[3])!).replace(/\.js$/, ".ts"),
  }));
}

/** The folder of src/ a file belongs to; the files directly in src/ (main, startup) are "top". */
const folderOf = (file: string) => {
  const parts = path.relative(SRC, file).split(path.sep);
  return parts.length > 1 ? parts[0]! : "top";
};

describe("the layers of src/", () => {
  const files = sourceFiles(SRC).filter((file) => folderOf(file) !== "generated");
  const graph = new Map(
    files.map((file) => [file, importsOf(file).filter(({ target }) => target.startsWith(SRC))]),
  );

  it("imports only downwards: each folder from the folders it may use", () => {
    const wrong: string[] = [];
    for (const [file, targets] of graph) {
      const from = folderOf(file);
      if (from === "top") continue;
      for (const { target } of targets) {
        const to = folderOf(target);
        if (to !== from && !(ALLOWED[from] ?? []).includes(to))
          wrong.push(`${path.relative(SRC, file)} -> ${path.relative(SRC, target)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  // Type imports count too: they are erased at run time, but two files that need each other's types
  // cannot be read, changed or moved apart, which is what a cycle costs.
  it("has no cycle of imports between files, type imports included", () => {
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const trail: string[] = [];
    const visit = (file: string) => {
      state.set(file, "open");
      trail.push(file);
      for (const { target } of graph.get(file) ?? []) {
        if (state.get(target) === "open") {
          cycles.push(
            trail
              .slice(trail.indexOf(target))
              .concat(target)
              .map((f) => path.relative(SRC, f))
              .join(" -> "),
          );
        } else if (!state.has(target)) {
          visit(target);
        }
      }
      trail.pop();
      state.set(file, "done");
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});
