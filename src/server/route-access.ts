import { METHODS } from "node:http";
import type { Express, RequestHandler } from "express";
import { contractOf } from "./request-contract.js";

/**
 * The access rule of an HTTP route:
 * - `public`: answers the same to everyone and reads no data (health probes, the web pages' files);
 * - `read`: reads data (the export route): the caller must be allowed to read;
 * - `graphql`: every operation reads, so the caller must be allowed to read; a mutation must also be
 *   allowed to write, checked once the operation is known (operation-access.ts);
 * - `admin`: the admin routes (curation uploads): the caller must be allowed to write, whatever the
 *   route does, in every auth mode (the same rule as a GraphQL mutation).
 */
export type RouteAccess = "public" | "read" | "graphql" | "admin";

const ACCESS = Symbol.for("permed-atlas.route-access");

type Guard = RequestHandler & { [ACCESS]: RouteAccess };

/**
 * The first handler of every route (`app.get(path, allow("read"), handler)`): it enforces the rule,
 * answering a refusal in the GraphQL error shape, and marks the route so that `listRoutes` can tell
 * which rule it has. A route without it makes `startHttpServer` fail.
 */
export function allow(access: RouteAccess): Guard {
  const guard: RequestHandler = (_req, res, next) => {
    if (access === "public") return next();
    const contract = contractOf(res);
    try {
      contract.authorize(access === "admin" ? "write" : "read");
    } catch (error) {
      contract.sendError(res, error);
      return;
    }
    next();
  };
  return Object.assign(guard, { [ACCESS]: access });
}

/** A route as the express app has it: methods ("ALL" for app.all and app.use), path, and its rule. */
export interface RegisteredRoute {
  methods: string[];
  path: string;
  access: RouteAccess | undefined;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean>; stack: Layer[] };
  handle: { stack?: Layer[]; [ACCESS]?: RouteAccess };
  rawPath?: string | string[] | RegExp;
  slash?: boolean;
}

const accessOf = (layer: Layer | undefined) => layer?.handle[ACCESS];

const paths = (path: string | string[] | RegExp | undefined) =>
  Array.isArray(path) ? path.map(String) : [String(path ?? "/")];

function join(prefix: string, path: string): string {
  if (path === "/") return prefix || "/";
  return `${prefix}${path}`;
}

function walk(stack: Layer[], prefix: string, out: RegisteredRoute[]): void {
  // A mount (`router.use("/assets", ...)`) has one layer per handler: the rule of the first one counts.
  const mountAccess = new Map<string, RouteAccess | undefined>();
  for (const layer of stack) {
    if (layer.route) {
      const listed = Object.keys(layer.route.methods).map((m) => m.toUpperCase());
      // `app.all` lists every method node knows.
      const methods = METHODS.every((m) => listed.includes(m)) ? ["ALL"] : listed;
      for (const path of paths(layer.route.path)) {
        out.push({ methods, path: join(prefix, path), access: accessOf(layer.route.stack[0]) });
      }
      continue;
    }
    for (const path of paths(layer.rawPath)) {
      if (layer.handle.stack) {
        walk(layer.handle.stack, join(prefix, path === "/" ? "" : path), out);
      } else if (!layer.slash) {
        // A handler mounted on a path answers requests under it: it is a route too.
        const full = join(prefix, path);
        if (!mountAccess.has(full)) {
          mountAccess.set(full, accessOf(layer));
          out.push({ methods: ["ALL"], path: full, access: accessOf(layer) });
        }
      }
      // Handlers mounted on "/" without a path (compression, the contract, the error handler) are
      // middleware of every route, not routes.
    }
  }
}

/** Every route and path-mounted handler the app registers, in registration order, read from the app. */
export function listRoutes(app: Express): RegisteredRoute[] {
  const out: RegisteredRoute[] = [];
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, "", out);
  return out;
}

/** Throws, naming them, when routes have no rule: an unguarded route must not be served. */
export function assertEveryRouteHasARule(app: Express): void {
  const missing = listRoutes(app).filter((route) => !route.access);
  if (missing.length) {
    throw new Error(
      `routes without an access rule (add allow("public" | "read" | "graphql" | "admin") as their first handler): ${missing
        .map((route) => `${route.methods.join(",")} ${route.path}`)
        .join("; ")}`,
    );
  }
}
