import type { Router } from "express";
import express from "express";
import type { AnalysisContext } from "../analysis/analysis-context.js";
import { cachedWholeNetwork } from "../analysis/answer-cache.js";
import {
  checkedLimit,
  cutNetwork,
  type NetworkDefinition,
  type NetworkLevel,
} from "../analysis/collaboration-network.js";
import {
  EXPORT_CONTENT_TYPES,
  EXPORT_DEFAULT_LIMIT,
  type ExportFormat,
  exportCut,
  exportNetwork,
  GEXF_VERSIONS,
  type GexfVersion,
} from "../analysis/network-export.js";
import { metricsOf } from "../analysis/network-metrics.js";
import { spellYears, yearSpells } from "../analysis/network-spells.js";
import { codedError, ERROR_CODES } from "../util/error-codes.js";
import type { Logger } from "../util/logger.js";
import { contractOf } from "./request-contract.js";
import { httpRequestLog } from "./request-log.js";
import { allow } from "./route-access.js";

const FORMATS: Record<string, ExportFormat> = { graphml: "GRAPHML", gexf: "GEXF", csv: "CSV" };
const LEVELS = new Set(["COUNTRY", "ORGANISATION", "FUNDER"]);
const LISTS = ["topicIds", "programmeIds", "funderIds", "pmRelevance"] as const;
const INTEGERS = ["fromYear", "toYear", "limit"] as const;
const NUMBERS = ["minWeight"] as const;
const PARAMETERS = new Set<string>(["level", "version", "spells", ...LISTS, ...INTEGERS, ...NUMBERS]);

/** Whether a dynamic GEXF is asked (`?spells=year`, GEXF only): each node and edge with its years. */
function yearSpellsAsked(format: ExportFormat, value: unknown): boolean {
  const text = single("spells", value);
  if (text === undefined) return false;
  if (format !== "GEXF") throw new BadParameter("spells", "only network.gexf has spells (spells=year)");
  if (text !== "year") throw new BadParameter("spells", `must be year, got "${text}"`);
  return true;
}

/** The GEXF version asked (`?version=1.2|1.3`, GEXF only), 1.2 when none. */
function gexfVersion(format: ExportFormat, value: unknown): GexfVersion {
  const text = single("version", value);
  if (text === undefined) return "1.2";
  if (format !== "GEXF") throw new BadParameter("version", "only network.gexf has versions (1.2 or 1.3)");
  if (!(GEXF_VERSIONS as readonly string[]).includes(text))
    throw new BadParameter("version", `must be ${GEXF_VERSIONS.join(" or ")}, got "${text}"`);
  return text as GexfVersion;
}

/** A query parameter that cannot be used: answered 400 with the parameter's name as argumentName. */
class BadParameter extends Error {
  constructor(
    readonly argumentName: string,
    readonly reason: string,
  ) {
    super(`${argumentName}: ${reason}`);
  }
}

const badInput = (argumentName: string, message: string) =>
  codedError(ERROR_CODES.BAD_USER_INPUT, `${argumentName}: ${message}`, { argumentName });

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
 * GET /export/network.{graphml,gexf,csv}?level=COUNTRY&topicIds=a&topicIds=b&funderIds=f&pmRelevance=CORE&fromYear=&toYear=&minWeight=&limit=&version=&spells=
 * so that Gephi, Cytoscape, networkx or pandas can open a URL directly; the same as the GraphQL `export`
 * query (the metrics of the whole network, its heaviest `limit` edges), with the same default (`limit`
 * EXPORT_DEFAULT_LIMIT, 5,000, the most allowed; a cut file says so, and the header `X-Atlas-Truncated` is `true` with the
 * counts, else `false`). `version` (GEXF only): 1.2 (default) or 1.3. `spells=year` (GEXF only): a
 * dynamic graph whose nodes and edges have the years they are present in as spells (network-spells.ts;
 * no start year among the filtered projects: a static file). Under the same request contract: the read rule, the
 * transaction timeout and metadata, `dbMs`, and errors in the GraphQL error shape
 * (`{"errors": [{"message", "extensions": {"code", "argumentName"}}]}`). Unknown parameters and ids are
 * refused with 400 BAD_USER_INPUT.
 */
export function exportRoute(log: Logger): Router {
  const router = express.Router();
  router.get("/export/network.:extension", allow("read"), httpRequestLog(log), async (req, res) => {
    const contract = contractOf(res);
    const extension = String(req.params.extension ?? "");
    const format = FORMATS[extension];
    if (!format) {
      contract.sendError(res, badInput("format", "use network.graphml, network.gexf or network.csv"));
      return;
    }
    let args: NetworkDefinition;
    let limit: number;
    let version: GexfVersion;
    let dynamic: boolean;
    try {
      const unknown = Object.keys(req.query).find((name) => !PARAMETERS.has(name));
      if (unknown) throw new BadParameter(unknown, `unknown parameter; use ${[...PARAMETERS].join(", ")}`);
      const level = (single("level", req.query.level) ?? "COUNTRY").toUpperCase();
      if (!LEVELS.has(level)) throw new BadParameter("level", "must be COUNTRY, ORGANISATION or FUNDER");
      args = {
        level: level as NetworkLevel,
        topicIds: list("topicIds", req.query.topicIds),
        programmeIds: list("programmeIds", req.query.programmeIds),
        funderIds: list("funderIds", req.query.funderIds),
        pmRelevance: list("pmRelevance", req.query.pmRelevance),
        fromYear: number("fromYear", req.query.fromYear, true),
        toYear: number("toYear", req.query.toYear, true),
        minWeight: number("minWeight", req.query.minWeight, false),
      };
      limit = checkedLimit(number("limit", req.query.limit, true) ?? EXPORT_DEFAULT_LIMIT);
      version = gexfVersion(format, req.query.version);
      dynamic = yearSpellsAsked(format, req.query.spells);
    } catch (error) {
      contract.sendError(
        res,
        error instanceof BadParameter ? badInput(error.argumentName, error.reason) : error,
      );
      return;
    }
    try {
      const context: AnalysisContext = contract.analysis;
      const whole = await cachedWholeNetwork(contract.answers, context, args);
      const network = cutNetwork(whole, limit);
      const metrics = await metricsOf(whole);
      const cut = exportCut(network, metrics);
      const years = dynamic ? await spellYears(context, args, whole.coverageRequest) : null;
      const spells = years
        ? await yearSpells(args, years, (definition) =>
            cachedWholeNetwork(contract.answers, context, definition),
          )
        : undefined;
      // attachment() sets the type from the file name's extension, which express does not know for
      // .graphml and .gexf (application/octet-stream, issue 16.7): the XML type is set after it.
      res
        .attachment(`permed-atlas-${args.level.toLowerCase()}-network.${extension}`)
        .type(EXPORT_CONTENT_TYPES[format])
        .set(
          "X-Atlas-Truncated",
          cut
            ? `true; edges=${cut.fileEdges}/${cut.totalEdges}; nodes=${cut.fileNodes}/${cut.totalNodes}`
            : "false",
        )
        .send(
          exportNetwork(format, network, metrics, { gexfVersion: version, ...(spells ? { spells } : {}) }),
        );
    } catch (error) {
      contract.sendError(res, error);
    }
  });
  return router;
}
