/**
 * The curation routes of the API (src/server/curate-routes.ts), over HTTP only: the page meets the
 * server as any client does. The report is the JSON of the server's `CurationReport`
 * (src/curate/load-workbook.ts), restated here because the web build does not import server code.
 */

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export type ChangeKind = "ADDED" | "CHANGED" | "REMOVED" | "KEPT";

export interface CurationReport {
  status: "REFUSED" | "CHECKED" | "LOADED" | "UNCHANGED";
  file: string;
  sha256: string;
  source: string;
  rowsRead: number;
  /** Each as `sheet!cell: reason` (or `sheet: reason` for a whole sheet or file). */
  problems: string[];
  matches: { sheet: string; cell: string; text: string; id: string; name: string }[];
  alreadyRecorded: { sheet: string; row: number; record: string }[];
  changes: { change: ChangeKind; record: string; sheet?: string; row?: number; detail?: string }[];
  counts: { added: number; changed: number; removed: number; kept: number; matched: number };
  importRun?: string;
}

/** An answer in the API's one error shape, kept whole: its code, and the problems of a refused load. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

/** The admin token is kept for this tab only: sessionStorage, never localStorage or a cookie. */
const TOKEN_KEY = "permed-atlas.admin-token";

export const storedToken = (): string => sessionStorage.getItem(TOKEN_KEY) ?? "";

export function storeToken(token: string): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** A pasted token, with or without its "Bearer " prefix and stray white space. */
const bearer = (token: string) => `Bearer ${token.trim().replace(/^Bearer\s+/i, "")}`;

async function refusal(response: Response): Promise<ApiError> {
  let body: { errors?: { message?: string; extensions?: { code?: string; problems?: string[] } }[] } = {};
  try {
    body = await response.json();
  } catch {
    // Not the API's JSON (a proxy's page): the status says enough.
  }
  const first = body.errors?.[0];
  return new ApiError(
    first?.message ?? `The server answered HTTP ${response.status}.`,
    response.status,
    first?.extensions?.code,
    first?.extensions?.problems ?? [],
  );
}

/** The template workbook's bytes. */
export async function fetchTemplate(token: string): Promise<Blob> {
  const response = await fetch("/admin/curate/template.xlsx", { headers: { authorization: bearer(token) } });
  if (!response.ok) throw await refusal(response);
  return response.blob();
}

/** Checks (`check`) or loads (`load`) a workbook; the report, or the API's refusal as an ApiError. */
export async function sendWorkbook(
  action: "check" | "load",
  token: string,
  fileName: string,
  bytes: ArrayBuffer,
): Promise<CurationReport> {
  const response = await fetch(`/admin/curate/${action}?name=${encodeURIComponent(fileName)}`, {
    method: "POST",
    headers: { authorization: bearer(token), "content-type": XLSX_TYPE },
    body: bytes,
  });
  if (!response.ok) throw await refusal(response);
  return (await response.json()) as CurationReport;
}
