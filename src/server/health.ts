import type { Router } from "express";
import express from "express";
import type { Driver } from "neo4j-driver";
import { readServerInfo } from "../db/connection.js";
import type { DatabaseHealth } from "../db/neo4j-supervisor.js";
import { allow } from "./route-access.js";

const READINESS_TIMEOUT_MS = 3_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer from Neo4j within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * /health/live says the process can still serve (for restarts): 200 `{status: "ok"}`, or 503
 * `{status: "failed", reason}` once the supervisor gave up restarting the embedded Neo4j (the server
 * cannot recover by itself). /health/ready says it can answer queries (for load balancers): 503
 * `{status: "unavailable", reason}` at once while Neo4j is known dead, restarting or stopping, else it
 * asks the database each time rather than trusting a cached state. `databaseHealth` is the supervisor's
 * view (neo4j-supervisor.ts); without it the database counts as up and only the question decides.
 * Both are public in every auth mode: probes carry no token, and neither reads the graph.
 */
export function healthRoutes(
  driver: Driver,
  database: string,
  databaseHealth: () => DatabaseHealth = () => ({ state: "up" }),
): Router {
  const router = express.Router();
  router.get("/health/live", allow("public"), (_req, res) => {
    const health = databaseHealth();
    if (health.state === "failed") {
      res.status(503).json({ status: "failed", reason: health.reason });
      return;
    }
    res.json({ status: "ok" });
  });
  router.get("/health/ready", allow("public"), async (_req, res) => {
    const health = databaseHealth();
    if (health.state !== "up") {
      res.status(503).json({ status: "unavailable", reason: health.reason });
      return;
    }
    try {
      const neo4j = await withTimeout(readServerInfo(driver, database), READINESS_TIMEOUT_MS);
      res.json({ status: "ok", neo4j });
    } catch (error) {
      res
        .status(503)
        .json({ status: "unavailable", reason: `Neo4j is not answering: ${(error as Error).message}` });
    }
  });
  return router;
}
