import path from "node:path";
import express, { type RequestHandler, type Router } from "express";
import { type CurationReport, checkWorkbook, loadWorkbook } from "../curate/load-workbook.js";
import { formatWorkbookProblem, LIMITS, WorkbookRefusedError } from "../curate/read-workbook.js";
import { templateWorkbook } from "../curate/template.js";
import { hasControlCharacters } from "../util/control-characters.js";
import { codedError, ERROR_CODES } from "../util/error-codes.js";
import { jsonInSlices } from "../util/json-slices.js";
import type { Logger } from "../util/logger.js";
import { contractOf } from "./request-contract.js";
import { httpRequestLog } from "./request-log.js";
import { allow } from "./route-access.js";

/** The media type of an .xlsx workbook; `application/octet-stream` is taken too (what some clients send). */
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The name a workbook is recorded under (its Source's fileName) when the request gives none. */
const DEFAULT_FILE_NAME = "workbook.xlsx";

const rawBody = express.raw({ type: [XLSX_TYPE, "application/octet-stream"], limit: LIMITS.fileBytes });

/**
 * The workbook's bytes as the body, up to the reader's own file limit (read-workbook.ts), so that a
 * file the reader would refuse is refused before it is held in memory, in the one error shape.
 */
const workbookBody: RequestHandler = (req, res, next) => {
  rawBody(req, res, (error?: unknown) => {
    if ((error as { type?: string } | undefined)?.type === "entity.too.large") {
      contractOf(res).sendError(
        res,
        codedError(
          ERROR_CODES.PAYLOAD_TOO_LARGE,
          `The workbook is larger than the limit of ${LIMITS.fileBytes} bytes (${LIMITS.fileBytes / 2 ** 20} MB).`,
          { limit: "workbookBytes", value: LIMITS.fileBytes },
        ),
      );
      return;
    }
    next(error);
  });
};

/** A request's workbook: its bytes and the file name to record, or the reason it cannot be read. */
function workbookOf(req: express.Request): { bytes: Buffer; fileName: string } {
  if (!Buffer.isBuffer(req.body) || req.body.length === 0)
    throw codedError(
      ERROR_CODES.BAD_REQUEST,
      `Send the workbook's bytes as the request body, with content-type ${XLSX_TYPE}.`,
    );
  const name = req.query.name;
  if (name !== undefined && (typeof name !== "string" || name.length > 255 || hasControlCharacters(name)))
    throw codedError(
      ERROR_CODES.BAD_USER_INPUT,
      "name: the workbook's file name, once, up to 255 characters",
      {
        argumentName: "name",
      },
    );
  // Only the base name is recorded: a browser sends no folders, and a path would say nothing useful.
  const fileName = name ? path.basename(name.replaceAll("\\", "/")) || DEFAULT_FILE_NAME : DEFAULT_FILE_NAME;
  return { bytes: req.body, fileName };
}

/**
 * Answers a curation report as JSON (the same text as `res.json`), written in slices: the report of a
 * large workbook lists tens of thousands of changes, megabytes that one JSON.stringify would write in
 * one task of the server's thread. No ETag: hashing megabytes is another such task, and a POST's
 * answer is not cached.
 */
async function sendReport(res: express.Response, report: CurationReport): Promise<void> {
  const text = await jsonInSlices(report);
  res.status(200).type("json").end(text);
}

/**
 * The curation routes of the admin page (web/src/admin), the same as `curate template|check|load`:
 * - `GET /admin/curate/template.xlsx`: the template workbook;
 * - `POST /admin/curate/check?name=<file name>`: the workbook as the body; answers the check's report
 *   (`CurationReport`: problems as `sheet!cell: reason`, matches, rows already recorded, the changes a
 *   load would make). A workbook with problems is a report too (status REFUSED), not an error. Writes nothing.
 * - `POST /admin/curate/load?name=<file name>`: checks again and writes in one transaction; answers the
 *   report of what was written (LOADED, or UNCHANGED for a workbook already loaded). A workbook with
 *   problems writes nothing and is answered 400 BAD_USER_INPUT with the problems in `extensions.problems`.
 * Every route needs a token with the admin role in every auth mode (rule `admin`), runs its transaction
 * with the request's timeout and metadata, and logs a line as the export route does.
 */
export function curateRoutes(log: Logger): Router {
  const router = express.Router();
  router.get("/admin/curate/template.xlsx", allow("admin"), httpRequestLog(log), async (_req, res) => {
    try {
      const bytes = await templateWorkbook();
      res.attachment("curation-template.xlsx").type(XLSX_TYPE).setHeader("cache-control", "no-store");
      res.send(bytes);
    } catch (error) {
      contractOf(res).sendError(res, error);
    }
  });
  router.post("/admin/curate/check", allow("admin"), httpRequestLog(log), workbookBody, async (req, res) => {
    const contract = contractOf(res);
    try {
      const { bytes, fileName } = workbookOf(req);
      await sendReport(
        res,
        await checkWorkbook(contract.driver, contract.database, bytes, fileName, contract.transaction),
      );
    } catch (error) {
      contract.sendError(res, error);
    }
  });
  router.post("/admin/curate/load", allow("admin"), httpRequestLog(log), workbookBody, async (req, res) => {
    const contract = contractOf(res);
    try {
      const { bytes, fileName } = workbookOf(req);
      await sendReport(
        res,
        await loadWorkbook(contract.driver, contract.database, bytes, fileName, contract.transaction),
      );
    } catch (error) {
      contract.sendError(
        res,
        error instanceof WorkbookRefusedError
          ? codedError(
              ERROR_CODES.BAD_USER_INPUT,
              `${error.problems.length} problem(s) in the workbook; nothing was written.`,
              { problems: error.problems.map(formatWorkbookProblem) },
            )
          : error,
      );
    }
  });
  return router;
}
