// Every page with an action shows its own errors (components/error-page.tsx):
// with only the root's boundary, a failed form came back without the person's
// language or their signed-in header, since Remix then runs no loader at all.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROUTES = path.resolve("app/routes");

const pages = readdirSync(ROUTES)
  .map((name) => ({ name, source: readFileSync(path.join(ROUTES, name), "utf8") }))
  // A page renders something (a default export); a resource route answers with a Response of its own.
  .filter(({ source }) => /^export default /m.test(source));
const withAction = pages.filter(({ source }) => /^export (async function|const|function) action\b/m.test(source));

describe("error boundaries of the pages", () => {
  it("finds the pages that take a form", () => {
    expect(withAction.length).toBeGreaterThanOrEqual(20);
  });

  it.each(withAction.map((p) => [p.name, p.source]))(
    "%s shows the errors of its action itself",
    (_name, source) => {
      expect(source).toMatch(/^export \{ ErrorPage as ErrorBoundary \} from "~\/components\/error-page";$/m);
    },
  );
});
