/**
 * What the playground needs of Monaco, aliased as "monaco-editor" in vite.config.ts: the editor core with
 * its standard features (edcore.main) and the JSON language service (variables, headers, the response;
 * it sets languages.json, which GraphiQL configures). GraphQL comes from monaco-graphql, which registers
 * its own language. Leaving out the full entry point (every basic language, CSS, HTML and TypeScript
 * services) makes the build about half as big.
 */
import "monaco-editor/esm/vs/editor/edcore.main.js";
import "monaco-editor/esm/vs/language/json/monaco.contribution.js";

export * from "monaco-editor/esm/vs/editor/editor.api.js";
