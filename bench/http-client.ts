import http from "node:http";
import { gunzipSync } from "node:zlib";

/**
 * The benchmarks' HTTP client: HTTP/1.1 with kept-alive connections through `node:http`, as load
 * generators (autocannon, wrk, k6) send requests.
 *
 * Why not the global `fetch`: Node's fetch (undici's WHATWG layer: Request, Headers, web streams) spends
 * about half a millisecond to a millisecond of the benchmark's CPU per request, and on a 2-core machine
 * that time is taken from the server and Neo4j being measured. On the seed store, 1,500 generated
 * lookups one at a time (2026-12-07, quiet machine): fetch p50 3.8-3.9 ms and 0.9-1.1 ms of client CPU
 * per request, this client 2.5-3.4 ms and 0.4-0.5 ms. A dashboard's browser pays neither: its fetch
 * is native. The raw Cypher side has no such layer either (the driver writes to its socket).
 *
 * It asks for gzip as a browser does, so that the server compresses what it would compress for a
 * dashboard (answers over compression's threshold, cached answers from their kept gzip).
 */
export class HttpClient {
  private readonly agent: http.Agent;

  /** `connections`: sockets kept open to the server (one per concurrent caller). */
  constructor(connections = 1) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  }

  /**
   * POSTs `body` as JSON to `url` and resolves with the parsed JSON answer.
   * Rejects on a socket error or when the answer is not JSON; the HTTP status is returned beside it,
   * not thrown, since GraphQL errors come with 200 and with 4xx alike.
   */
  postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
    const text = JSON.stringify(body);
    const target = new URL(url);
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          method: "POST",
          agent: this.agent,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(text),
            "accept-encoding": "gzip",
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () => {
            try {
              const bytes = Buffer.concat(chunks);
              const answer = (
                response.headers["content-encoding"] === "gzip" ? gunzipSync(bytes) : bytes
              ).toString("utf8");
              resolve({ status: response.statusCode ?? 0, json: JSON.parse(answer) });
            } catch (error) {
              reject(new Error(`${url} answered ${response.statusCode} with no readable JSON: ${error}`));
            }
          });
        },
      );
      request.on("error", reject);
      request.end(text);
    });
  }

  /** Closes the kept sockets, so that the process can exit. */
  close(): void {
    this.agent.destroy();
  }
}
