// The HTTP server's last word on an error that reached Express rather than
// Remix. A client's mistake that Express's own parts catch — a path such as
// /feeds/venues/%ff.ics, which express.static cannot decode — carries a 4xx
// status: it is answered with that status and a short text, and not logged
// (Express's default handler printed a URIError stack for every such
// request, so anyone could fill the log). Anything else is ours: logged, 500.
import type { ErrorRequestHandler } from "express";

function clientStatus(err: unknown): number | null {
  if (typeof err !== "object" || err === null) return null;
  const { status, statusCode } = err as { status?: unknown; statusCode?: unknown };
  const code = typeof status === "number" ? status : typeof statusCode === "number" ? statusCode : null;
  return code !== null && code >= 400 && code < 500 ? code : null;
}

export function answerClientErrors(log: (message: string) => void = console.error): ErrorRequestHandler {
  return (err, _req, res, next) => {
    if (res.headersSent) return next(err);
    const status = clientStatus(err);
    if (status === null) log(`request failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    res.status(status ?? 500).set({ "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
    res.send(status === null ? "Internal Server Error" : "Bad Request");
  };
}
