// People. A user is made the first time an address signs in; the address is
// unique without regard to case (citext).
import type { Kysely, Selectable, Transaction } from "kysely";
import type { DB, UsersTable } from "db/schema";
import { cleanText } from "~/booking/text";
import { gatherInvalid, InvalidInput } from "~/errors/domain-errors";
import { findLanguage } from "~/i18n";

export type User = Selectable<UsersTable>;

/** What pages may show of the signed-in person. */
export interface CurrentUser {
  id: number;
  email: string;
  name: string;
  locale: string;
}

/** The person a request's session belongs to. */
export interface SessionUser extends CurrentUser {
  /** Takes care of or administers at least one site: the header offers the caretaker pages. */
  managesSites: boolean;
  /** Administers at least one owner: the header offers the admin pages. */
  isAdmin: boolean;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Trimmed and checked; throws InvalidInput on `field`. Case is kept: the database compares without it. */
export function cleanEmail(field: string, input: unknown): string {
  const email = cleanText(field, input, { max: 254, required: true });
  if (!EMAIL_RE.test(email)) throw new InvalidInput({ [field]: "invalidEmail" });
  return email;
}

/** The user with this address, made now (with no name yet and this locale) if there is none. */
export async function findOrCreateUser(trx: Transaction<DB>, email: string, locale: string): Promise<User> {
  const created = await trx
    .insertInto("users")
    .values({ email, name: "", locale: findLanguage(locale)?.code ?? "nb" })
    .onConflict((oc) => oc.column("email").doNothing())
    .returningAll()
    .executeTakeFirst();
  return created ?? (await trx.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirstOrThrow());
}

/** Saves the language `locale` names ("en", "EN", "nb-NO"); returns its code, which the cookie must carry too. */
export async function setUserLocale(db: Kysely<DB>, userId: number, locale: string): Promise<string> {
  const lang = findLanguage(locale);
  if (!lang) throw new InvalidInput({ locale: "invalidLanguage" });
  await db.updateTable("users").set({ locale: lang.code }).where("id", "=", userId).execute();
  return lang.code;
}

/**
 * A phone number as people write them ("+47 912 34 567", "(0047) 912-34-567"):
 * at least eight digits, with spaces, dashes, dots, brackets and a leading +
 * between them; empty for none.
 */
export function cleanPhone(field: string, input: unknown): string {
  const phone = cleanText(field, input, { max: 30 });
  if (phone !== "" && (!/^\+?[\d\s().-]+$/.test(phone) || phone.replace(/\D/g, "").length < 8)) throw new InvalidInput({ [field]: "invalidPhone" });
  return phone;
}

/** The person's name and (when given) phone: caretakers see both on their bookings, to reach them. */
export async function setUserContact(db: Kysely<DB>, userId: number, contact: { name: unknown; phone: unknown }): Promise<void> {
  const problems: Record<string, string> = {};
  const name = gatherInvalid(problems, () => cleanText("name", contact.name, { max: 120, required: true }));
  const phone = contact.phone === undefined ? undefined : gatherInvalid(problems, () => cleanPhone("phone", contact.phone));
  if (name === null || phone === null) throw new InvalidInput(problems);
  await db.updateTable("users").set({ name, ...(phone === undefined ? {} : { phone }) }).where("id", "=", userId).execute();
}

export async function userPhone(db: Kysely<DB>, userId: number): Promise<string> {
  return (await db.selectFrom("users").select("phone").where("id", "=", userId).executeTakeFirst())?.phone ?? "";
}
