// axe-core run inside the page. The source is handed to page.evaluate (the
// DevTools protocol), not added as a <script>: the pages' Content-Security-Policy
// allows only their own nonce'd scripts, and the check must not loosen it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AxeResults, Result } from "axe-core";
import type { Page } from "playwright-core";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** WCAG 2.0/2.1 A and AA, which universal design (likestillings- og diskrimineringsloven) requires, plus best practices. */
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

export async function axeViolations(page: Page): Promise<Result[]> {
  const injected = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== "undefined");
  if (!injected) await page.evaluate(axeSource);
  const results = await page.evaluate(
    (tags) => (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<AxeResults> } }).axe.run(document, { runOnly: { type: "tag", values: tags } }),
    TAGS,
  );
  return results.violations;
}

/** One readable block per violation: rule, impact, help, and each offending element with axe's own summary. */
export function formatViolations(where: string, violations: Result[]): string {
  if (violations.length === 0) return `${where}: no violations`;
  const lines = [`${where}: ${violations.length} accessibility violation(s)`];
  for (const v of violations) {
    lines.push(`- ${v.id} (${v.impact}): ${v.help} — ${v.helpUrl}`);
    for (const node of v.nodes.slice(0, 5)) {
      lines.push(`    ${node.target.join(" ")}: ${node.html.slice(0, 200)}`);
      if (node.failureSummary) lines.push(`      ${node.failureSummary.replace(/\n/g, "\n      ")}`);
    }
    if (v.nodes.length > 5) lines.push(`    … and ${v.nodes.length - 5} more`);
  }
  return lines.join("\n");
}

/**
 * axe on the page exactly as a browser without JavaScript has it.
 *
 * Not in that page itself: with JavaScript off (Playwright's
 * `javaScriptEnabled: false`, the DevTools protocol's
 * Emulation.setScriptExecutionDisabled) page.evaluate still runs and axe is
 * injected, but timers never fire, and axe.run schedules its checks with
 * setTimeout, so its promise never settles: the "hang". Turning scripting back
 * on for that page from a second DevTools session does not win over
 * Playwright's own, and stubbing timers would rest on axe's internals.
 *
 * So the DOM the no-JS page ended with (after its clicks and real form POSTs:
 * a form sent back with its errors, a confirmation) is serialised and served,
 * at the same URL (stylesheets, images and relative links resolve as before),
 * to a fresh JavaScript-enabled page of the same size in the same browser,
 * where axe runs as on every other page. That copy has its <script>s removed
 * and is served with `Content-Security-Policy: script-src 'none'`, so nothing
 * hydrates or changes the DOM; axe itself goes in through the DevTools
 * protocol, which a CSP does not stop. A copy that differs from the original
 * in its count of (non-script) elements or of loaded stylesheets, or a page
 * whose HTML holds a <noscript> (parsed as elements without JavaScript but as
 * text with it), is refused rather than checked wrongly.
 */
export async function axeViolationsWithoutJavaScript(noJsPage: Page): Promise<{ violations: Result[]; overflow: number }> {
  const url = noJsPage.url();
  const html = await noJsPage.content();
  if (/<noscript\b/i.test(html)) throw new Error(`${url} has a <noscript>, which a page with JavaScript parses as text: teach axeViolationsWithoutJavaScript to unwrap it`);
  // What the copy must match: the elements (but scripts) and the stylesheets that loaded.
  const shape = () => `${document.querySelectorAll("*:not(script)").length} elements, ${document.styleSheets.length} stylesheets`;
  const expected = await noJsPage.evaluate(shape);
  const browser = noJsPage.context().browser();
  if (!browser) throw new Error("axeViolationsWithoutJavaScript needs a page of a launched browser");
  const checker = await browser.newContext({ viewport: noJsPage.viewportSize(), locale: "nb-NO", timezoneId: "Europe/Oslo" });
  try {
    const page = await checker.newPage();
    const withoutScripts = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "");
    await page.route(
      (u) => u.href === url,
      (route) => route.fulfill({ status: 200, headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": "script-src 'none'" }, body: withoutScripts }),
      { times: 1 },
    );
    await page.goto(url, { waitUntil: "load" });
    const [found, hydrated] = await Promise.all([page.evaluate(shape), page.evaluate(() => "__remixContext" in window)]);
    if (found !== expected || hydrated) throw new Error(`The copy of ${url} is not the page without JavaScript: ${found} instead of ${expected}${hydrated ? ", and Remix ran" : ""}`);
    const violations = await axeViolations(page);
    // Reflow (WCAG 1.4.10) of the same copy, at the no-JS page's width.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    return { violations, overflow };
  } finally {
    await checker.close();
  }
}
