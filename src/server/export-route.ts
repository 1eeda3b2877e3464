import type { Router } from "express";
import express from "express";
import { GraphQLError } from "graphql";
import type { AnalysisContext } from "../analysis/analysis-context.js";
import { collaborationNetwork, type NetworkLevel } from "../analysis/collaboration-network.js";
import { EXPORT_CONTENT_TYPES, type ExportFormat, exportNetwork } from "../analysis/network-export.js";
import { metricsOf } from "../analysis/network-metrics.js";

const FORMATS: Record<string, ExportFormat> = { graphml: "GRAPHML", gexf: "GEXF", csv: "CSV" };
const LEVELS = new Set(["COUNTRY", "ORGANISATION", "FUNDER"]);

const list = (value: unknown) => (typeof value === "string" && value ? value.split(",") : undefined);
const int = (value: unknown) => (typeof value === "string" && value !== "" ? Number(value) : undefined);

/**
 * GET /export/network.{graphml,gexf,csv}?level=COUNTRY&topicIds=a,b&fromYear=&toYear=&minWeight=&limit=
 * so that Gephi or Cytoscape can open a URL directly; the same as the GraphQL `export` query.
 */
export function exportRoute(context: AnalysisContext): Router {
  const router = express.Router();
  router.get("/export/network.:extension", async (req, res) => {
    const format = FORMATS[req.params.extension ?? ""];
    const level = String(req.query.level ?? "COUNTRY").toUpperCase();
    if (!format) {
      res
        .status(400)
        .json({ error: "format: use network.graphml, network.gexf or network.csv", code: "BAD_USER_INPUT" });
      return;
    }
    if (!LEVELS.has(level)) {
      res
        .status(400)
        .json({ error: "level: must be COUNTRY, ORGANISATION or FUNDER", code: "BAD_USER_INPUT" });
      return;
    }
    const numbers = {
      fromYear: int(req.query.fromYear),
      toYear: int(req.query.toYear),
      minWeight: int(req.query.minWeight),
      limit: int(req.query.limit),
    };
    const bad = Object.entries(numbers).find(([, value]) => value !== undefined && !Number.isFinite(value));
    if (bad) {
      res.status(400).json({ error: `${bad[0]}: must be a number`, code: "BAD_USER_INPUT" });
      return;
    }
    try {
      const network = await collaborationNetwork(context, {
        level: level as NetworkLevel,
        topicIds: list(req.query.topicIds),
        programmeIds: list(req.query.programmeIds),
        ...numbers,
      });
      res
        .type(EXPORT_CONTENT_TYPES[format])
        .attachment(`permed-atlas-${level.toLowerCase()}-network.${req.params.extension}`)
        .send(exportNetwork(format, network, metricsOf(network)));
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions.code === "BAD_USER_INPUT") {
        res.status(400).json({ error: error.message, code: "BAD_USER_INPUT" });
      } else {
        res.status(503).json({
          error: "the export could not be computed: the database did not answer",
          code: "SERVICE_UNAVAILABLE",
        });
      }
    }
  });
  return router;
}
