// What a refused form's page shows of what was written (app/components/resend-form.tsx):
// values read as the form showed them, in the person's language.
import { describe, expect, it } from "vitest";
import { shownValue } from "~/components/resend-form";
import { isSecretField, nameWords, writtenLabel } from "~/forms/resend";
import { translate } from "~/i18n";
import { getLanguage } from "~/i18n";
import { titleMeta } from "~/i18n/meta";

const nb = getLanguage("nb");
const en = getLanguage("en");

describe("a refused form's values", () => {
  it("reads dates and weekdays as the form showed them", () => {
    expect(shownValue(nb, "date", "2026-12-11")).toBe("11. desember 2026");
    expect(shownValue(en, "until", "2027-06-18")).toBe("18 June 2027");
    expect(shownValue(nb, "weekday", "3")).toBe("Onsdag");
    expect(shownValue(en, "weekday", "7")).toBe("Sunday");
  });

  it("shows anything else, or a value that is not what the field takes, as it was sent", () => {
    expect(shownValue(nb, "title", "Korøving 2026-12-11")).toBe("Korøving 2026-12-11");
    expect(shownValue(nb, "weekday", "8")).toBe("8");
    expect(shownValue(nb, "durationMinutes", "lenge")).toBe("lenge");
    // The form asks "Varighet i minutter": the number typed, not "1 time og 30 minutter" under that label.
    expect(shownValue(nb, "durationMinutes", "90")).toBe("90");
    expect(shownValue(nb, "date", "11.12.2026")).toBe("11.12.2026");
  });
});

describe("a refused form's labels", () => {
  const label = (lang: typeof nb, action: string, name: string, intent?: string) => {
    const key = writtenLabel(action, intent ? [["intent", intent]] : [], name);
    return key && translate(lang, key);
  };

  it("are the ones its form shows, not the wording of error sentences", () => {
    const cases: [string, string, string | undefined, string, string][] = [
      // path, field, intent, bokmål, English
      ["/admin/venues/7/hours", "startsOn", "closure", "Fra og med", "From"],
      ["/admin/venues/7/hours", "endsOn", "closure", "Til og med", "Until (inclusive)"],
      ["/venues/storsalen/book?date=2030-01-07&start=18:00", "start", undefined, "Fra klokka", "From"],
      ["/venues/storsalen/book", "purpose", undefined, "Formål (valgfritt)", "Purpose (optional)"],
      ["/venues/storsalen/series", "from", undefined, "Første dato", "First date"],
      ["/venues/storsalen/series", "durationMinutes", undefined, "Varighet i minutter", "Duration in minutes"],
      ["/bookings/abc/move", "end", undefined, "Til klokka", "To"],
      ["/bookings/abc/cancel", "reason", undefined, "Begrunnelse (valgfritt)", "Reason (optional)"],
      ["/caretaker/requests", "reason", "reject", "Begrunnelse for avslaget", "Reason for rejecting"],
      ["/caretaker/block", "start", undefined, "Fra klokken", ""],
      ["/associations/new", "contactEmail", undefined, "E-postadresse til laget", ""],
      ["/associations/new", "orgNumber", undefined, "Organisasjonsnummer", ""],
      ["/associations/12", "email", "invite", "E-postadresse", "E-mail address"],
      ["/admin/people", "email", "giveAdmin", "Ny administrator (e-post)", "New admin (e-mail)"],
      ["/admin/venues/new", "description", undefined, "Beskrivelse", ""],
      ["/admin/venues/7", "accessibilityNotes", "save", "Om tilgjengelighet", "Accessibility notes"],
      ["/account", "phone", "name", "Telefon (valgfritt)", "Phone (optional)"],
      ["/signin?index", "email", undefined, "E-postadresse", ""],
    ];
    for (const [path, name, intent, bokmål, english] of cases) {
      expect(label(nb, path, name, intent), `${path} ${name}`).toBe(bokmål);
      if (english) expect(label(en, path, name, intent), `${path} ${name}`).toBe(english);
    }
  });

  it("fall back to the field's name in error sentences for a form not listed, and to none for an unknown field", () => {
    expect(label(nb, "/somewhere/else", "title")).toBe("Tittel");
    expect(label(nb, "/venues/storsalen/book", "nonsense")).toBeNull();
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

  it("are found in a name written as one lowercase word too, by its stem or ending", () => {
    for (const name of ["newpassword", "userpasswd", "signincode", "otpcode", "pincode", "accesstoken", "csrftoken", "clientsecret", "apitokens"]) {
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
