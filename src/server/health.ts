import type { Router } from "express";
import express from "express";
import type { Driver } from "neo4j-driver";
import { readServerInfo } from "../db/connection.js";
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
 * /health/live says the process runs (for restarts); /health/ready says it can answer queries
 * (for load balancers), by asking the database each time rather than trusting a cached state.
 * Both are public in every auth mode: probes carry no token, and neither reads the graph.
 */
export function healthRoutes(driver: Driver, database: string): Router {
  const router = express.Router();
  router.get("/health/live", allow("public"), (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/health/ready", allow("public"), async (_req, res) => {
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
