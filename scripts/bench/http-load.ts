// A small HTTP load generator for the benchmark: N keep-alive connections,
// each running one request after another, every response read to its end, the
// latency of each recorded. node:http directly, so the client's own overhead
// stays small and the number of connections is exactly N.
import http from "node:http";

export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpRequest {
  method?: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export class HttpClient {
  readonly agent: http.Agent;
  constructor(
    readonly base: URL,
    connections: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  }

  send(req: HttpRequest, keepBody = true): Promise<HttpReply> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...req.headers };
      if (req.body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(req.body));
      const r = http.request(
        { host: this.base.hostname, port: this.base.port, method: req.method ?? "GET", path: req.path, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => keepBody && chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: keepBody ? Buffer.concat(chunks).toString("utf8") : "" }));
          res.on("error", reject);
        },
      );
      r.on("error", reject);
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface LoadResult {
  perSecond: number;
  count: number;
  /** Responses the check refused (wrong status, missing redirect …). */
  failures: number;
  /** Latencies in ms of every request, completion order. */
  latencies: number[];
  firstFailure: string | null;
}

/**
 * `workers` loops, each sending `make(worker)` and checking the reply with
 * `ok`, until `ms` has passed. Requests/s counts every completed request.
 */
export async function load(
  client: HttpClient,
  workers: number,
  ms: number,
  make: (worker: number) => HttpRequest,
  ok: (reply: HttpReply) => boolean,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | null = null;
  const deadline = performance.now() + ms;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (performance.now() < deadline) {
        const req = make(w);
        const t0 = performance.now();
        const reply = await client.send(req);
        latencies.push(performance.now() - t0);
        if (!ok(reply)) {
          failures++;
          firstFailure ??= `${req.method ?? "GET"} ${req.path} → ${reply.status} ${reply.headers.location ?? ""}\n${reply.body.slice(0, 500)}`;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { perSecond: latencies.length / elapsed, count: latencies.length, failures, latencies, firstFailure };
}

/** The cookie pairs (name=value) a response sets, to send back. */
export function cookiePairs(headers: http.IncomingHttpHeaders): string[] {
  return (headers["set-cookie"] ?? []).map((line) => line.split(";")[0]!.trim()).filter((pair) => !pair.endsWith("="));
}
