import { existsSync } from "node:fs";
import path from "node:path";
import express, { type Request, type Response, type Router } from "express";
import type { AnalysisContext } from "../analysis/analysis-context.js";
import { contractOf } from "./request-contract.js";
import { allow } from "./route-access.js";

/** The pages that Vite builds into web/dist (web/vite.config.ts), by the paths they are served at. */
const PAGES: Record<string, string> = {
  "/": "index.html",
  "/graphiql": "index.html",
  "/dashboard": "dashboard.html",
  // The curation page: public like the others (it holds no data); its calls to /admin/curate need an admin token.
  "/admin": "admin.html",
};

export const WEB_DIST_MISSING = "web/dist is missing: run npm run build";

/**
 * Ids that have an explore page (/explore/<id>), by prefix: country:DE, org:999866495, cordis:101137129,
 * project:p4-lucat, funder:isciii, consortium:icpermed, programme:horizon (web/src/shared/links.ts).
 */
const EXPLORABLE_ID = /^(country|org|cordis|project|funder|consortium|programme):[^\s/]+$/;

export interface WebRouteOptions {
  /**
   * Whether an entity with this id is in the graph: the explore page then answers 200, else 404 (the page
   * says what was not found). Pass it only when reads are open to anyone: a public page must not tell an
   * anonymous caller which ids exist when reading needs a token; without it every well-formed id gets 200
   * and the page (which asks /graphql under the caller's rights) says what it finds. It is given the
   * request contract's analysis context, so that its read has the request's timeout, metadata and timing.
   */
  entityExists?: (id: string, context: AnalysisContext) => Promise<boolean>;
}

/**
 * Everything the pages load comes from this origin, so the browser may refuse anything else: no CDN, font
 * host or remote worker can be pulled in by accident. Monaco and React set inline styles; GraphiQL's and
 * Monaco's icons are data: URLs; the Monaco workers are same-origin module scripts.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join("; ");

function securityHeaders(res: Response): void {
  res.setHeader("content-security-policy", CONTENT_SECURITY_POLICY);
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "same-origin");
}

/**
 * The web front end built by Vite (web/dist): the GraphiQL playground at / (and /graphiql) and the
 * dashboard at /dashboard, served from the API's own origin so that they work offline and on networks that
 * block CDNs. Hashed assets (/assets/*) are cached for a year as immutable; the pages are revalidated on
 * every load (ETag), so a new build shows at once. The build folder is looked up per request: when it is
 * missing, the pages and assets answer 503 saying how to build it, and a build made while the server
 * runs is served without a restart.
 */
export function webRoutes(distDir: string, options: WebRouteOptions = {}): Router {
  const router = express.Router();
  const built = (file = "index.html") => existsSync(path.join(distDir, file));
  const missing = (res: Response) => {
    res.status(503).setHeader("cache-control", "no-store").type("text/plain").send(`${WEB_DIST_MISSING}.\n`);
  };

  // Public in every auth mode: the files hold no data; the pages ask /graphql, which applies the rules.
  router.use("/assets", allow("public"), (_req, res, next) => {
    if (!built()) return missing(res);
    res.setHeader("x-content-type-options", "nosniff");
    next();
  });
  router.use(
    "/assets",
    express.static(path.join(distDir, "assets"), { immutable: true, maxAge: "365d", index: false }),
    // An asset of another build (a page cached before a deploy): a plain 404, never cached.
    (_req: Request, res: Response) => {
      res.status(404).setHeader("cache-control", "no-store").type("text/plain").send("Not found.\n");
    },
  );
  for (const [route, file] of Object.entries(PAGES)) {
    router.get(
      route === "/" ? ["/", "/index.html"] : [route, `${route}.html`],
      allow("public"),
      (_req, res, next) => {
        if (!built(file)) return missing(res);
        securityHeaders(res);
        res.setHeader("cache-control", "no-cache");
        res.sendFile(path.join(distDir, file), (error) => {
          if (error && !res.headersSent) next(error);
        });
      },
    );
  }
  // The explore pages (issue 20): one page whatever the entity; the status says whether there is one.
  router.get("/explore/:id", allow("public"), async (req, res, next) => {
    if (!built("explore.html")) return missing(res);
    const id = String(req.params.id);
    let found = EXPLORABLE_ID.test(id);
    if (found && options.entityExists) {
      try {
        found = await options.entityExists(id, contractOf(res).analysis);
      } catch {
        // Neo4j unavailable or too slow: serve the page, which reports the API's error itself.
      }
    }
    securityHeaders(res);
    res.setHeader("cache-control", "no-cache");
    res.status(found ? 200 : 404).sendFile(path.join(distDir, "explore.html"), (error) => {
      if (error && !res.headersSent) next(error);
    });
  });
  return router;
}
