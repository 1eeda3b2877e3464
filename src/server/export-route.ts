import type { Router } from "express";
import express from "express";
import { GraphQLError } from "graphql";
import type { AnalysisContext } from "../analysis/analysis-context.js";
import {
  checkedLimit,
  cutNetwork,
  type NetworkLevel,
  wholeNetwork,
} from "../analysis/collaboration-network.js";
import { EXPORT_CONTENT_TYPES, type ExportFormat, exportNetwork } from "../analysis/network-export.js";
import { metricsOf } from "../analysis/network-metrics.js";

const FORMATS: Record<string, ExportFormat> = { graphml: "GRAPHML", gexf: "GEXF", csv: "CSV" };
const LEVELS = new Set(["COUNTRY", "ORGANISATION", "FUNDER"]);
const LISTS = ["topicIds", "programmeIds"] as const;
const INTEGERS = ["fromYear", "toYear", "limit"] as const;
const NUMBERS = ["minWeight"] as const;
const PARAMETERS = new Set<string>(["level", ...LISTS, ...INTEGERS, ...NUMBERS]);

/** A query parameter that cannot be used: answered 400 with the parameter's name as argumentName. */
class BadParameter extends Error {
  constructor(
    readonly argumentName: string,
    reason: string,
  ) {
    super(`${argumentName}: ${reason}`);
  }
}

/**
 * A list parameter as browsers' forms and Python's `requests` send it (`?topicIds=A&topicIds=B`), as a
 * comma-separated value (`?topicIds=A,B`), or both.
 */
function list(name: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const values = Array.isArray(value) ? value : [value];
  if (!values.every((item) => typeof item === "string"))
    throw new BadParameter(name, "must be ids, as ?name=a&name=b or ?name=a,b");
  const ids = (values as string[])
    .flatMap((item) => item.split(","))
    .map((id) => id.trim())
    .filter(Boolean);
  return ids.length ? ids : undefined;
}

/** A single value: a repeated scalar parameter is refused rather than one of its values picked. */
function single(name: string, value: unknown): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string") throw new BadParameter(name, "must be given once");
  return value;
}

function number(name: string, value: unknown, integer: boolean): number | undefined {
  const text = single(name, value);
  if (text === undefined) return undefined;
  const parsed = Number(text);
  if (!Number.isFinite(parsed) || (integer && !Number.isInteger(parsed)))
    throw new BadParameter(name, `must be ${integer ? "a whole number" : "a number"}, got "${text}"`);
  return parsed;
}

/**
 * GET /export/network.{graphml,gexf,csv}?level=COUNTRY&topicIds=a&topicIds=b&fromYear=&toYear=&minWeight=&limit=
 * so that Gephi or Cytoscape can open a URL directly; the same as the GraphQL `export` query: the metrics
 * of the whole network, its heaviest `limit` edges. Unknown parameters and ids are refused with 400.
 */
export function exportRoute(context: AnalysisContext): Router {
  const router = express.Router();
  router.get("/export/network.:extension", async (req, res) => {
    const refuse = (argumentName: string, error: string) =>
      res.status(400).json({ error, code: "BAD_USER_INPUT", argumentName });
    const format = FORMATS[req.params.extension ?? ""];
    if (!format) {
      refuse("format", "format: use network.graphml, network.gexf or network.csv");
      return;
    }
    let args: Parameters<typeof wholeNetwork>[1];
    let limit: number;
    try {
      const unknown = Object.keys(req.query).find((name) => !PARAMETERS.has(name));
      if (unknown) throw new BadParameter(unknown, `unknown parameter; use ${[...PARAMETERS].join(", ")}`);
      const level = (single("level", req.query.level) ?? "COUNTRY").toUpperCase();
      if (!LEVELS.has(level)) throw new BadParameter("level", "must be COUNTRY, ORGANISATION or FUNDER");
      args = {
        level: level as NetworkLevel,
        topicIds: list("topicIds", req.query.topicIds),
        programmeIds: list("programmeIds", req.query.programmeIds),
        fromYear: number("fromYear", req.query.fromYear, true),
        toYear: number("toYear", req.query.toYear, true),
        minWeight: number("minWeight", req.query.minWeight, false),
      };
      limit = checkedLimit(number("limit", req.query.limit, true));
    } catch (error) {
      if (error instanceof BadParameter) refuse(error.argumentName, error.message);
      else if (error instanceof GraphQLError) refuse(String(error.extensions.argumentName), error.message);
      else throw error;
      return;
    }
    try {
      const whole = await wholeNetwork(context, args);
      const network = await cutNetwork(context, whole, limit);
      res
        .type(EXPORT_CONTENT_TYPES[format])
        .attachment(`permed-atlas-${args.level.toLowerCase()}-network.${req.params.extension}`)
        .send(exportNetwork(format, network, metricsOf(whole)));
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions.code === "BAD_USER_INPUT") {
        refuse(String(error.extensions.argumentName), error.message);
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
