import { existsSync } from "node:fs";
import path from "node:path";
import express, { type Router } from "express";

/**
 * The playground built by Vite (web/dist), served from the API's own origin so that it works on
 * networks that block CDNs. Hashed assets are cached for a year; the page itself is revalidated.
 */
export function webRoutes(distDir: string): Router {
  const router = express.Router();
  if (!existsSync(path.join(distDir, "index.html"))) {
    router.get("/", (_req, res) => {
      res
        .status(503)
        .type("text/plain")
        .send("The playground is not built (web/dist is missing): run npm run build.");
    });
    return router;
  }
  router.use(
    "/assets",
    express.static(path.join(distDir, "assets"), { immutable: true, maxAge: "365d", index: false }),
  );
  router.get(["/", "/graphiql"], (_req, res) => {
    res.setHeader("cache-control", "no-cache");
    res.sendFile(path.join(distDir, "index.html"));
  });
  return router;
}
