import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../util/project-root.js";

/** The folder of the hand-written type definitions: <project root>/schema. */
export const schemaDir = () => path.join(projectRoot(), "schema");

/** The hand-written type definitions, one file per area, in a stable order. */
export function loadTypeDefs(dir = schemaDir()): string {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".graphql"))
    .sort()
    .map((name) => `# ${name}\n${readFileSync(path.join(dir, name), "utf8")}`)
    .join("\n");
}
