// The pure parts of mail: escaping, one-line header text, addresses, the
// layout's text and HTML, backoff, settings from the environment.
import { describe, expect, it } from "vitest";
import { getLanguage } from "../../app/i18n";
import { mailSettings, messageIdFor } from "../../app/notifications/settings.server";
import { escapeHtml, html, multiline, safeUrl } from "../../app/notifications/templates/html";
import { renderMail } from "../../app/notifications/templates/layout";
import { oneLine, paragraphText, plainAddress } from "../../app/notifications/templates/text";
import { backoffDelay } from "../../app/notifications/worker.server";
import type { Env } from "../../app/config/env.server";

describe("HTML", () => {
  it("escapes every interpolated value and keeps only its own markup", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    const title = "<img src=x onerror=alert(1)>";
    expect(html`<p title="${title}">${title}</p>`.value).toBe(
      '<p title="&lt;img src=x onerror=alert(1)&gt;">&lt;img src=x onerror=alert(1)&gt;</p>',
    );
    expect(html`<ul>${["<a>", html`<li>${"&"}</li>`]}</ul>`.value).toBe("<ul>&lt;a&gt;<li>&amp;</li></ul>");
    expect(multiline("a<b\nc").value).toBe("a&lt;b<br>c");
  });

  it("lets only absolute http(s) links through", () => {
    expect(safeUrl("https://flokk.example/a?b=1")).toBe("https://flokk.example/a?b=1");
    expect(() => safeUrl("javascript:alert(1)")).toThrow();
    expect(() => safeUrl("/relative")).toThrow();
    expect(() => safeUrl("data:text/html,<script>")).toThrow();
  });
});

describe("text for headers and bodies", () => {
  it("turns every control character into a space in one-line text", () => {
    expect(oneLine("Møte\r\nBcc: x@y\u0000\u2028end")).toBe("Møte Bcc: x@y end");
    expect(oneLine("a".repeat(300), 10)).toBe(`${"a".repeat(9)}…`);
    expect(paragraphText("a\r\nb\rc\u0007d")).toBe("a\nb\nc d");
  });

  it("accepts one plain address and nothing that could become a second header or recipient", () => {
    expect(plainAddress(" kari@flokk.example ")).toBe("kari@flokk.example");
    expect(plainAddress("kari@flokk.example\r\nBcc: evil@x.example")).toBeNull();
    expect(plainAddress("kari@flokk.example, evil@x.example")).toBeNull();
    expect(plainAddress("Kari <kari@flokk.example>")).toBeNull();
    expect(plainAddress("kari")).toBeNull();
  });
});

describe("the layout", () => {
  it("renders the same content as text and as HTML, escaped, in the language given", () => {
    const lang = getLanguage("en");
    const mail = renderMail(lang, {
      subject: "Confirmed:\r\nBcc: evil@x.example",
      heading: "Your <booking>",
      recipientName: "Kari & Per",
      paragraphs: ["Line one\nline two"],
      facts: [["What", "<b>Quiz</b>"]],
      action: { label: "Open", url: "https://flokk.example/v?a=1&b=2" },
      notes: ["Small print"],
    });
    expect(mail.subject).toBe("Confirmed: Bcc: evil@x.example");
    expect(mail.text).toContain("Hello Kari & Per,");
    expect(mail.text).toContain("What: <b>Quiz</b>");
    expect(mail.text).toContain("Open:\nhttps://flokk.example/v?a=1&b=2");
    expect(mail.html).toContain('<html lang="en">');
    expect(mail.html).toContain("Hello Kari &amp; Per,");
    expect(mail.html).toContain("Your &lt;booking&gt;");
    expect(mail.html).toContain("&lt;b&gt;Quiz&lt;/b&gt;");
    expect(mail.html).toContain("Line one<br>line two");
    expect(mail.html).toContain('href="https://flokk.example/v?a=1&amp;b=2"');
    expect(mail.html).not.toContain("<b>");
  });
});

describe("backoff", () => {
  it("doubles with every attempt up to the cap, with at most 20 % jitter", () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, 30_000, 600_000, mid))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000]);
    expect(backoffDelay(12, 30_000, 600_000, mid)).toBe(600_000);
    expect(backoffDelay(1, 30_000, 600_000, () => 0)).toBe(24_000);
    expect(backoffDelay(1, 30_000, 600_000, () => 0.999999)).toBeLessThanOrEqual(36_000);
  });
});

describe("settings", () => {
  const base = { MAIL_FROM: "Flokk i Løvstad <post@lovstad.example>", PORT: 3000, REMINDER_HOURS: 24 } as Env;

  it("derives the sender, the organizer address and the Message-ID domain from MAIL_FROM", () => {
    const s = mailSettings(base);
    expect(s.fromAddress).toBe("post@lovstad.example");
    expect(s.fromName).toBe("Flokk i Løvstad");
    expect(messageIdFor(123, s)).toBe("<outbox-123@lovstad.example>");
    expect(s.publicUrl).toBe("http://localhost:3000");
    expect(mailSettings({ ...base, PUBLIC_URL: "https://flokk.lovstad.example/" }).publicUrl).toBe("https://flokk.lovstad.example");
  });

  it("refuses a MAIL_FROM that is no address", () => {
    expect(() => mailSettings({ ...base, MAIL_FROM: "Flokk" })).toThrow(/MAIL_FROM/);
  });
});
