// The venue import (issue 4, decision 017): a CSV file becomes venues at the
// admin's owner, all of them or none. The file is checked as a whole first
// (app/admin/import-csv.ts, then what needs the database: sites, slugs in
// use, existing whole venues); only a file without a single problem is
// written, in one transaction through createVenue, so the form and the import
// share every rule, the authorization and the audit row. Should the database
// still refuse something (another admin took a slug a moment ago), the whole
// transaction rolls back and the report names the line.
import type { Transaction } from "kysely";
import type { Database } from "db/client";
import type { DB } from "db/schema";
import { requireAdminOwner } from "~/admin/access.server";
import { type ImportProblem, type ImportRow, parseVenueCsv, sortProblems, withHeaders } from "~/admin/import-csv";
import { createVenue } from "~/admin/venues.server";
import { writeAudit } from "~/booking/booking-repository.server";
import { DomainError, InvalidInput } from "~/errors/domain-errors";

export interface ImportedVenue {
  line: number;
  /** Null in a dry run. */
  id: number | null;
  name: string;
  slug: string;
  site: string;
  partOf: string;
}

export interface ImportReport {
  owner: { id: number; name: string };
  dryRun: boolean;
  rowCount: number;
  problems: ImportProblem[];
  /** What was (or, in a dry run, would be) created; empty when there are problems. */
  venues: ImportedVenue[];
  /** Sites the file creates (a site name that is new, with an address). */
  newSites: string[];
}

export interface ImportRequest {
  actorId: number;
  /** The owner to import for (?owner=, --owner); the admin's first owner when null. */
  ownerId?: number | null;
  text: string;
  dryRun: boolean;
  /** A problem found before there was text to read (no file, not UTF-8, too large): reported once authorized. */
  refused?: ImportProblem;
}

interface Plan {
  /** Row line → existing site id, or the key of a site to create. */
  siteOf: Map<number, number | string>;
  newSites: Map<string, { name: string; address: string }>;
  /** Row line → existing whole venue id (a part_of not in the file). */
  existingParent: Map<number, number>;
}

const key = (name: string) => name.trim().toLowerCase();

/** Everything the database must say about the rows, as problems; and where each row goes. */
async function plan(db: Database, ownerId: number, rows: ImportRow[], problems: ImportProblem[]): Promise<Plan> {
  const sites = await db.selectFrom("sites").select(["id", "name"]).where("owner_id", "=", ownerId).execute();
  const p: Plan = { siteOf: new Map(), newSites: new Map(), existingParent: new Map() };
  for (const row of rows) {
    if (row.site === "") continue;
    const matches = sites.filter((s) => key(s.name) === key(row.site));
    if (matches.length === 1) p.siteOf.set(row.line, matches[0]!.id);
    else if (matches.length > 1) problems.push({ line: row.line, column: "site", code: "ambiguousSite", params: { site: row.site } });
    else if (row.address !== "" || p.newSites.has(key(row.site))) {
      if (!p.newSites.has(key(row.site))) p.newSites.set(key(row.site), { name: row.site, address: row.address });
      p.siteOf.set(row.line, key(row.site));
    } else problems.push({ line: row.line, column: "site", code: "unknownSite", params: { site: row.site } });
  }

  const slugs = rows.flatMap((r) => (r.slug ? [r.slug] : []));
  const taken = slugs.length === 0 ? [] : await db.selectFrom("venues").select("slug").where("slug", "in", slugs).execute();
  const takenSet = new Set(taken.map((t) => t.slug));
  for (const row of rows) if (row.slug && takenSet.has(row.slug)) problems.push({ line: row.line, column: "slug", code: "slugInUse", params: { slug: row.slug } });

  const inFile = new Set(slugs);
  const outside = [...new Set(rows.map((r) => r.partOf).filter((s) => s !== "" && !inFile.has(s)))];
  const parents =
    outside.length === 0
      ? []
      : await db
          .selectFrom("venues as v")
          .innerJoin("sites as s", "s.id", "v.site_id")
          .select(["v.id", "v.slug", "v.site_id", "v.parent_id", "v.archived_at"])
          .where("v.slug", "in", outside)
          // Only the owner's venues: the report must not tell anything about another owner's.
          .where("s.owner_id", "=", ownerId)
          .execute();
  for (const row of rows) {
    if (row.partOf === "" || inFile.has(row.partOf)) continue;
    const parent = parents.find((v) => v.slug === row.partOf);
    const site = p.siteOf.get(row.line);
    if (!parent || parent.archived_at !== null) problems.push({ line: row.line, column: "part_of", code: "partOfNotFound", params: { slug: row.partOf } });
    else if (parent.parent_id !== null) problems.push({ line: row.line, column: "part_of", code: "partOfPart" });
    else if (site !== undefined && site !== parent.site_id) problems.push({ line: row.line, column: "part_of", code: "partOfOtherSite" });
    else p.existingParent.set(row.line, parent.id);
  }
  return p;
}

/** A row the database refused while writing: the transaction is rolled back by throwing this. */
class RowRefused extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super("row refused");
  }
}

const COLUMN_OF_FIELD: Record<string, string> = { slug: "slug", parentId: "part_of", siteId: "site" };

async function write(trx: Transaction<DB>, actorId: number, ownerId: number, rows: ImportRow[], p: Plan): Promise<Map<number, number>> {
  const siteIds = new Map<string, number>();
  for (const [k, s] of p.newSites) {
    const site = await trx.insertInto("sites").values({ owner_id: ownerId, name: s.name, address: s.address }).returningAll().executeTakeFirstOrThrow();
    await writeAudit(trx, actorId, "site", String(site.id), "created", null, site);
    siteIds.set(k, site.id);
  }
  const idOfSlug = new Map<string, number>();
  const created = new Map<number, number>();
  for (const row of rows) {
    const site = p.siteOf.get(row.line)!;
    const parentId = row.partOf === "" ? null : (idOfSlug.get(row.partOf) ?? p.existingParent.get(row.line) ?? null);
    try {
      const venue = await createVenue(trx, {
        actorId,
        siteId: typeof site === "number" ? site : siteIds.get(site)!,
        parentId,
        // Never numbered here: other rows name this one by its slug (part_of), and a taken one is reported above.
        input: { ...row.input!, slugFromName: false },
        hours: row.hours ?? [],
      });
      idOfSlug.set(venue.slug, venue.id);
      created.set(row.line, venue.id);
    } catch (e) {
      if (e instanceof InvalidInput) {
        throw new RowRefused(Object.entries(e.fields).map(([field, code]) => ({ line: row.line, column: COLUMN_OF_FIELD[field] ?? null, code })));
      }
      // A constraint the checks above did not foresee: name the line, keep nothing.
      if (!(e instanceof DomainError) && typeof (e as { code?: unknown }).code === "string") {
        throw new RowRefused([{ line: row.line, column: null, code: "dbRefused" }]);
      }
      throw e;
    }
  }
  return created;
}

/**
 * Checks the file and, unless it is a dry run or anything is wrong, creates
 * every venue in it. Forbidden for anyone who does not administer the owner.
 */
export async function importVenues(db: Database, req: ImportRequest): Promise<ImportReport> {
  const owner = await requireAdminOwner(db, req.actorId, req.ownerId);
  if (req.refused) return { owner: { id: owner.id, name: owner.name }, dryRun: req.dryRun, rowCount: 0, problems: [req.refused], venues: [], newSites: [] };
  const parsed = parseVenueCsv(req.text);
  const problems = [...parsed.problems];
  const rows = parsed.rows;
  const p = await plan(db, owner.id, rows, problems);
  const report: ImportReport = {
    owner: { id: owner.id, name: owner.name },
    dryRun: req.dryRun,
    rowCount: rows.length,
    problems: withHeaders(sortProblems(problems), parsed.headers),
    venues: [],
    newSites: [...p.newSites.values()].map((s) => s.name),
  };
  if (problems.length > 0) return { ...report, newSites: [] };
  const venues = (ids: Map<number, number> | null): ImportedVenue[] =>
    rows.map((r) => ({ line: r.line, id: ids?.get(r.line) ?? null, name: r.input!.name, slug: r.input!.slug, site: r.site, partOf: r.partOf }));
  if (req.dryRun) return { ...report, venues: venues(null) };
  try {
    const ids = await db.transaction().execute((trx) => write(trx, req.actorId, owner.id, rows, p));
    return { ...report, venues: venues(ids) };
  } catch (e) {
    if (e instanceof RowRefused) return { ...report, problems: withHeaders(e.problems, parsed.headers), newSites: [] };
    throw e;
  }
}
