import path from "node:path";
import { defineConfig } from "vite";

const web = path.resolve(import.meta.dirname);

/**
 * The playground (index.html, served at /) and the dashboard (dashboard.html, served at /dashboard),
 * built into web/dist and served by the API itself (src/server/web-routes.ts): every asset local, no CDN.
 * React's JSX goes through esbuild (no React plugin).
 */
export default defineConfig({
  root: web,
  base: "/",
  esbuild: { jsx: "automatic" },
  resolve: {
    alias: [
      // GraphiQL imports all of "monaco-editor", whose entry registers ~80 languages and the CSS, HTML and
      // TypeScript services. The playground needs the editor, GraphQL (monaco-graphql registers it) and JSON.
      { find: /^monaco-editor$/, replacement: path.join(web, "src", "monaco-slim.ts") },
    ],
  },
  // monaco-graphql's worker splits into chunks: only ES module workers can.
  worker: { format: "es" },
  build: {
    outDir: path.join(web, "dist"),
    emptyOutDir: true,
    chunkSizeWarningLimit: 6000,
    rollupOptions: {
      input: {
        playground: path.join(web, "index.html"),
        dashboard: path.join(web, "dashboard.html"),
        explore: path.join(web, "explore.html"),
        admin: path.join(web, "admin.html"),
      },
      onwarn(warning, warn) {
        // framer-motion (via GraphiQL) marks its modules "use client"; meaningless in a client bundle.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
    },
  },
  server: {
    fs: { allow: [path.resolve(web, "..")] },
    // `vite --config web/vite.config.ts` beside a running API (npm start): pages hot-reload, /graphql is the API's.
    proxy: { "/graphql": "http://127.0.0.1:4000" },
  },
});
