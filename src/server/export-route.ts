import type { Router } from "express";
import express from "express";
import { collaborationNetwork, type NetworkLevel } from "../analysis/collaboration-network.js";
import { EXPORT_CONTENT_TYPES, type ExportFormat, exportNetwork } from "../analysis/network-export.js";
import { metricsOf } from "../analysis/network-metrics.js";
import { codedError, ERROR_CODES } from "../util/error-codes.js";
import type { Logger } from "../util/logger.js";
import { contractOf } from "./request-contract.js";
import { httpRequestLog } from "./request-log.js";
import { allow } from "./route-access.js";

const FORMATS: Record<string, ExportFormat> = { graphml: "GRAPHML", gexf: "GEXF", csv: "CSV" };
const LEVELS = new Set(["COUNTRY", "ORGANISATION", "FUNDER"]);

const list = (value: unknown) => (typeof value === "string" && value ? value.split(",") : undefined);
const int = (value: unknown) => (typeof value === "string" && value !== "" ? Number(value) : undefined);

const badInput = (argumentName: string, message: string) =>
  codedError(ERROR_CODES.BAD_USER_INPUT, `${argumentName}: ${message}`, { argumentName });

/**
 * GET /export/network.{graphml,gexf,csv}?level=COUNTRY&topicIds=a,b&fromYear=&toYear=&minWeight=&limit=
 * so that Gephi or Cytoscape can open a URL directly; the same as the GraphQL `export` query, under the
 * same request contract: the read rule, the transaction timeout and metadata, `dbMs`, and errors in the
 * GraphQL error shape (`{"errors": [{"message", "extensions": {"code", "argumentName"}}]}`).
 */
export function exportRoute(log: Logger): Router {
  const router = express.Router();
  router.get("/export/network.:extension", allow("read"), httpRequestLog(log), async (req, res) => {
    const contract = contractOf(res);
    const extension = String(req.params.extension ?? "");
    const format = FORMATS[extension];
    const level = String(req.query.level ?? "COUNTRY").toUpperCase();
    if (!format) {
      contract.sendError(res, badInput("format", "use network.graphml, network.gexf or network.csv"));
      return;
    }
    if (!LEVELS.has(level)) {
      contract.sendError(res, badInput("level", "must be COUNTRY, ORGANISATION or FUNDER"));
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
      contract.sendError(res, badInput(bad[0], "must be a number"));
      return;
    }
    try {
      const network = await collaborationNetwork(contract.analysis, {
        level: level as NetworkLevel,
        topicIds: list(req.query.topicIds),
        programmeIds: list(req.query.programmeIds),
        ...numbers,
      });
      res
        .type(EXPORT_CONTENT_TYPES[format])
        .attachment(`permed-atlas-${level.toLowerCase()}-network.${extension}`)
        .send(exportNetwork(format, network, metricsOf(network)));
    } catch (error) {
      contract.sendError(res, error);
    }
  });
  return router;
}
