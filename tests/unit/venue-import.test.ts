// The CSV venue import's pure part: reading the file (delimiters, BOM, quotes,
// line numbers as the file shows them), the opening-hours cell, and each
// problem the file alone can reveal, in both languages.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeCsv, IMPORT_LIMITS, type ImportProblem, parseVenueCsv, withHeaders } from "~/admin/import-csv";
import { parseOpeningHours } from "~/admin/import-hours";
import { describeProblem, problemLine } from "~/admin/import-report";
import { getLanguage } from "~/i18n";

const nb = getLanguage("nb");
const en = getLanguage("en");
const HEADER = "site;name;kind;capacity";
const codes = (problems: ImportProblem[]) => problems.map((p) => [p.line, p.column, p.code]);

describe("reading the file", () => {
  it("reads the sample file without a problem, with its parts, defaults and hours", () => {
    const { rows, problems } = parseVenueCsv(readFileSync("docs/import/venues-sample.csv", "utf8"));
    expect(problems).toEqual([]);
    expect(rows.map((r) => [r.line, r.slug, r.partOf])).toEqual([
      [2, "nordbyhallen", ""],
      [4, "nordbyhallen-a", "nordbyhallen"],
      [5, "nordbyhallen-b", "nordbyhallen"],
      [6, "moterom-eika", ""],
      [7, "kulturhuskjokkenet", ""],
    ]);
    const hall = rows[0]!;
    expect(hall.input).toMatchObject({ kind: "sports-hall", capacity: 300, amenities: ["changing-rooms", "sound-system"], stepFree: true, approvalMode: "manual" });
    expect(hall.input!.description).toBe("Full håndballbane med tribune for 200.\nLei hele hallen, eller én halvdel.");
    expect(hall.hours).toContainEqual({ weekday: 6, opens: "09:00", closes: "20:00" });
    // Empty rule cells take the form's defaults.
    expect(rows[1]!.input).toMatchObject({ horizonDays: 180, minNoticeMinutes: 60, weeklyQuotaMinutes: null });
  });

  it("takes ';' or ',' (or tab) from the header line, strips a BOM and trims cells", () => {
    for (const [text, sep] of [
      ["\uFEFFsite;name;kind;capacity\r\n Skole ; Rom 1 ;meeting-room; 12 \r\n", ";"],
      ["site,name,kind,capacity\nSkole,Rom 1,meeting-room,12\n", ","],
      ["site\tname\tkind\tcapacity\nSkole\tRom 1\tmeeting-room\t12", "\t"],
    ] as const) {
      const { rows, problems } = parseVenueCsv(text);
      expect(problems, sep).toEqual([]);
      expect(rows.map((r) => [r.line, r.site, r.input?.name, r.input?.capacity, r.slug])).toEqual([[2, "Skole", "Rom 1", 12, "rom-1"]]);
    }
  });

  it("keeps separators and line breaks inside quotes, and counts lines as the file shows them", () => {
    const text = `${HEADER};description\nSkole;"Sal; stor";hall;50;"Linje en\nlinje to"\n\n;;;;\nSkole;Rom;meeting-room;x;\n`;
    const { rows, problems } = parseVenueCsv(text);
    expect(rows[0]!.input?.name).toBe("Sal; stor");
    expect(rows[0]!.input?.description).toBe("Linje en\nlinje to");
    // The blank line and the line of empty cells are skipped, not counted as venues.
    expect(rows.map((r) => r.line)).toEqual([2, 6]);
    expect(codes(problems)).toEqual([[6, "capacity", "wholeNumber"]]);
  });

  it("accepts Norwegian headers and kind labels", () => {
    const { rows, problems } = parseVenueCsv("Sted;Navn;Type;Kapasitet;Åpningstider\nSkole;Gymsal;Idrettshall;80;daglig 08:00-22:00\n");
    expect(problems).toEqual([]);
    expect(rows[0]!.input?.kind).toBe("sports-hall");
    expect(rows[0]!.hours).toHaveLength(7);
    // Problems name the column as the file writes it, and read as the form's messages.
    const bad = parseVenueCsv("Sted;Navn;Type;Kapasitet\nSkole;Gymsal;Idrettshall;mange\n");
    const [problem] = withHeaders(bad.problems, bad.headers);
    expect(problem).toEqual({ line: 2, column: "capacity", header: "Kapasitet", code: "wholeNumber" });
    expect(problemLine(nb, problem!)).toBe("Linje 2, Kapasitet: Kapasitet må være et helt tall.");
  });

  it("turns bytes into text only when they are UTF-8", () => {
    expect(decodeCsv(new TextEncoder().encode("site;name\nØvre;Sal"))).toBe("site;name\nØvre;Sal");
    expect(decodeCsv(Uint8Array.from([0x73, 0x3b, 0xd8, 0x76]))).toBeNull(); // "s;Øv" in Latin-1
    expect(decodeCsv(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00]))).toBeNull(); // a zip (.xlsx)
  });
});

describe("opening hours", () => {
  it("reads day ranges, lists, English names and several intervals a day", () => {
    const r = parseOpeningHours("man-fre 08:00-12:00, 17:00-22:00; sat,sun 9.00 - 15:00");
    expect(r.ok && r.rules).toEqual([
      ...[1, 2, 3, 4, 5].flatMap((weekday) => [
        { weekday, opens: "08:00", closes: "12:00" },
        { weekday, opens: "17:00", closes: "22:00" },
      ]),
      { weekday: 6, opens: "09:00", closes: "15:00" },
      { weekday: 7, opens: "09:00", closes: "15:00" },
    ]);
    expect(parseOpeningHours("fre-man 18:00-24:00")).toMatchObject({ ok: true, rules: [5, 6, 7, 1].sort().map((weekday) => ({ weekday, opens: "18:00", closes: "24:00" })) });
    expect(parseOpeningHours("")).toEqual({ ok: true, rules: [] });
  });

  it("names what is wrong", () => {
    expect(parseOpeningHours("16:00-22:00")).toMatchObject({ ok: false, problem: "invalidHours" });
    expect(parseOpeningHours("man-fre 16-22")).toMatchObject({ ok: false, problem: "invalidHours" });
    expect(parseOpeningHours("mandag-fredgad 16:00-22:00")).toMatchObject({ ok: false, problem: "unknownDay", params: { day: "fredgad" } });
    // Which time, as the admin wrote it, and how to write one past midnight (the message said neither).
    expect(parseOpeningHours("man 22:00-16:00")).toMatchObject({ ok: false, problem: "closesNotAfterOpens", params: { hours: "man 22:00-16:00" } });
    expect(parseOpeningHours("man-fre 16:00-22:00; lør 10:00-09:00")).toMatchObject({ ok: false, problem: "closesNotAfterOpens", params: { hours: "lør 10:00-09:00" } });
    expect(parseOpeningHours("man 25:00-26:00")).toMatchObject({ ok: false, problem: "invalidTime" });
    expect(parseOpeningHours("man-fre 08:00-12:00; ons 11:00-13:00")).toMatchObject({ ok: false, problem: "overlapsInterval" });
  });
});

describe("problems", () => {
  it("reports every bad cell of every line, each with its line and column", () => {
    const text = [
      `${HEADER};slug;step_free;amenities;min_duration_minutes;max_duration_minutes;opening_hours`,
      "Skole;Sal;hall;50;sal;ja;wifi;60;240;man 08:00-16:00",
      ';;boat;-3;Sal Ø;kanskje;"wifi;jetpack";90;30;man 8-16',
      "Skole;Sal 2;hall;50;sal-2;nei;;90;30;",
    ].join("\n");
    const { problems } = parseVenueCsv(text);
    expect(codes(problems)).toEqual([
      [3, "site", "required"],
      [3, "name", "required"],
      [3, "slug", "invalidSlug"],
      [3, "kind", "invalidChoice"],
      [3, "capacity", "wholeNumber"],
      [3, "amenities", "invalidChoice"],
      [3, "step_free", "invalidYesNo"],
      [3, "opening_hours", "invalidHours"],
      // Rules across fields are checked once each field is fine on its own.
      [4, "max_duration_minutes", "maxBelowMin"],
    ]);
  });

  it("refuses a site name or address too long to be one (a new site is made from them)", () => {
    const { problems } = parseVenueCsv(`${HEADER};address\n${"S".repeat(121)};Sal;hall;10;${"a".repeat(201)}\n`);
    expect(codes(problems)).toEqual([
      [2, "site", "tooLong"],
      [2, "address", "tooLong"],
    ]);
  });

  it("refuses control characters in the site, the address and the venue's name, as the venue form does", () => {
    const { problems } = parseVenueCsv(`${HEADER};address\nSkolen\u0007;Sal\u0000;hall;10;Vei 1\u001b\n`);
    expect(codes(problems)).toEqual([
      [2, "site", "controlCharacters"],
      [2, "address", "controlCharacters"],
      [2, "name", "controlCharacters"],
    ]);
  });

  it("finds duplicate slugs (typed or made from the name) and parts in the wrong place", () => {
    const text = [
      `${HEADER};slug;part_of`,
      "Skole;Sal;hall;50;;", // slug "sal"
      "Skole;Annen sal;hall;50;sal;", // duplicate of line 2
      "Skole;Halvdel;hall;20;halvdel;sal",
      "Skole;Kvart;hall;10;kvart;halvdel", // part of a part
      "Annet sted;Fjern del;hall;10;fjern;sal", // at another site
      "Skole;Tidlig del;hall;10;tidlig;senere", // whole venue later in the file
      "Skole;Senere;hall;10;senere;",
      "Skole;Selv;hall;10;selv;selv",
    ].join("\n");
    expect(codes(parseVenueCsv(text).problems)).toEqual([
      [3, "slug", "duplicateSlug"],
      [5, "part_of", "partOfPart"],
      [6, "part_of", "partOfOtherSite"],
      [7, "part_of", "partOfLater"],
      [9, "part_of", "partOfItself"],
    ]);
  });

  it("checks the header: missing, unknown and repeated columns", () => {
    const { problems, rows } = parseVenueCsv("site;name;capacity;colour;Name\nSkole;Sal;10;red;Sal\n");
    expect(rows).toEqual([]);
    expect(codes(problems)).toEqual([
      [1, "colour", "unknownColumn"],
      [1, "Name", "duplicateColumn"],
      [1, "kind", "missingColumn"],
    ]);
  });

  it("calls a column named like a property of every object unknown", () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const { problems } = parseVenueCsv(`site;name;kind;capacity;${name}\nSkole;Sal;hall;10;x\n`);
      expect(codes(problems), name).toEqual([[1, name, "unknownColumn"]]);
    }
  });

  it("refuses an empty file, a header alone, too many rows, extra cells and broken quotes", () => {
    expect(codes(parseVenueCsv("").problems)).toEqual([[null, null, "empty"]]);
    expect(codes(parseVenueCsv("\uFEFF\n\n").problems)).toEqual([[null, null, "empty"]]);
    expect(codes(parseVenueCsv(`${HEADER}\n`).problems)).toEqual([[null, null, "noRows"]]);
    const many = `${HEADER}\n${"Skole;Rom;meeting-room;5\n".repeat(IMPORT_LIMITS.maxRows + 1)}`;
    expect(parseVenueCsv(many).problems).toEqual([{ line: null, column: null, code: "tooManyRows", params: { count: 501, max: 500 } }]);
    expect(codes(parseVenueCsv(`${HEADER}\nSkole;Rom;meeting-room;5;wifi;projector\n`).problems)).toEqual([[2, null, "extraCells"]]);
    expect(codes(parseVenueCsv(`${HEADER}\nSkole;Rom;meeting-room;5\nSkole;"Rom 2;meeting-room;5\nSkole;Rom 3;meeting-room;5\n`).problems)).toEqual([[3, null, "quoteNotClosed"]]);
    expect(codes(parseVenueCsv(`${HEADER}\nSkole;Ro"m;meeting-room;5\n`).problems)).toEqual([[2, null, "badQuote"]]);
  });

  it("says each problem in the admin's language", () => {
    const capacity: ImportProblem = { line: 3, column: "capacity", code: "wholeNumber" };
    expect(describeProblem(nb, capacity)).toBe("Kapasitet må være et helt tall.");
    expect(describeProblem(en, capacity)).toBe("Capacity must be a whole number.");
    expect(problemLine(nb, capacity)).toBe("Linje 3, capacity: Kapasitet må være et helt tall.");
    const dup: ImportProblem = { line: 3, column: "slug", code: "duplicateSlug", params: { slug: "sal", line: 2 } };
    expect(describeProblem(nb, dup)).toBe("Adressenavnet «sal» er brukt på linje 2 også.");
    const hours: ImportProblem = { line: 4, column: "opening_hours", code: "unknownDay", params: { day: "fredgad" } };
    expect(describeProblem(en, hours)).toContain("“fredgad”");
    expect(describeProblem(nb, { line: null, column: null, code: "tooManyRows", params: { count: 600, max: 500 } })).toBe(
      "Fila har 600 lokaler. Du kan importere høyst 500 om gangen; del den opp.",
    );
  });
});
