// A form refused for a stale token comes back with what was in it
// (app/accounts/csrf.server.ts, staleOrRefused): how the pages find it in the
// error they show. Plain, so the page title (app/i18n/meta.ts) can ask too.
import type { FormToResend } from "~/accounts/csrf.server";

export function resendOf(data: unknown): FormToResend | null {
  if (typeof data !== "object" || data === null || !("resend" in data)) return null;
  const r = data.resend as Partial<FormToResend> | null;
  const valid =
    r && typeof r.action === "string" && r.action.startsWith("/") && typeof r.token === "string" && Array.isArray(r.fields) && typeof r.signedIn === "boolean";
  return valid ? (r as FormToResend) : null;
}
