import path from "node:path";
import { defineConfig } from "vite";

/** The playground, built into web/dist and served by the API itself: every asset local, no CDN. */
export default defineConfig({
  root: path.resolve(import.meta.dirname),
  base: "/",
  esbuild: { jsx: "automatic" },
  // monaco-graphql's worker splits into chunks: only ES module workers can.
  worker: { format: "es" },
  build: {
    outDir: path.resolve(import.meta.dirname, "dist"),
    emptyOutDir: true,
    chunkSizeWarningLimit: 6000,
  },
  server: { fs: { allow: [path.resolve(import.meta.dirname, "..")] } },
});
