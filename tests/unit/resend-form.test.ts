// What a refused form's page shows of what was written (app/components/resend-form.tsx):
// values read as the form showed them, in the person's language.
import { describe, expect, it } from "vitest";
import { shownValue } from "~/components/resend-form";
import { isSecretField, nameWords } from "~/forms/resend";
import { getLanguage } from "~/i18n";
import { titleMeta } from "~/i18n/meta";

const nb = getLanguage("nb");
const en = getLanguage("en");

describe("a refused form's values", () => {
  it("reads dates, weekdays and lengths as the form showed them", () => {
    expect(shownValue(nb, "date", "2026-12-11")).toBe("11. desember 2026");
    expect(shownValue(en, "until", "2027-06-18")).toBe("18 June 2027");
    expect(shownValue(nb, "weekday", "3")).toBe("Onsdag");
    expect(shownValue(en, "weekday", "7")).toBe("Sunday");
    expect(shownValue(nb, "durationMinutes", "90")).toBe("1 time og 30 minutter");
  });

  it("shows anything else, or a value that is not what the field takes, as it was sent", () => {
    expect(shownValue(nb, "title", "Korøving 2026-12-11")).toBe("Korøving 2026-12-11");
    expect(shownValue(nb, "weekday", "8")).toBe("8");
    expect(shownValue(nb, "durationMinutes", "lenge")).toBe("lenge");
    expect(shownValue(nb, "date", "11.12.2026")).toBe("11.12.2026");
  });
});

describe("fields that hold a secret", () => {
  it("are found by whole words of the name, split at non-letters and where camelCase starts a word", () => {
    expect(nameWords("signInCode")).toEqual(["sign", "in", "code"]);
    expect(nameWords("csrf_token")).toEqual(["csrf", "token"]);
    expect(nameWords("APIToken")).toEqual(["api", "token"]);
    expect(nameWords("code2")).toEqual(["code"]);
    for (const name of ["password", "Password", "PASSWORD", "newPassword", "password_confirm", "pass", "passcode", "code", "signInCode", "sign-in-code", "csrf_token", "accessToken", "tokenId", "clientSecret", "pin", "otp"]) {
      expect(isSecretField(name), name).toBe(true);
    }
  });

  it("are not plain words that only contain one (they were refused a resend)", () => {
    for (const name of ["postcode", "barcode", "passengers", "passage", "compass", "bypass", "encoder", "tokenism", "secretary", "pinned", "title", "idempotencyKey"]) {
      expect(isSecretField(name), name).toBe(false);
    }
  });
});

describe("the page title", () => {
  const routeError = (data: unknown) => ({ status: 403, statusText: "Forbidden", internal: false, data });
  const args = (error: unknown) => ({ data: { lang: "nb" }, matches: [], error });
  const title = (error: unknown) => titleMeta(args(error), () => ["meta.homeTitle"])[0]!.title;

  it("says the form was not sent when it comes back to be sent again, and error on any other error", () => {
    const resend = { action: "/account", fields: [["name", "Kari"]], token: "x", signedInAs: "Kari" };
    expect(title(routeError({ message: "…", resend }))).toBe("Skjemaet ble ikke sendt – Flokk");
    expect(title(routeError({ message: "…" }))).toBe("Feil – Flokk");
    // A resend whose path would lead to another host is not one.
    expect(title(routeError({ message: "…", resend: { ...resend, action: "//evil.example/x" } }))).toBe("Feil – Flokk");
    // An action's error keeps the page's data: the title still follows the error, not the page.
    expect(title(new Error("boom"))).toBe("Feil – Flokk");
    expect(title(undefined)).toBe(getLanguage("nb").messages["meta.homeTitle"]);
  });
});
