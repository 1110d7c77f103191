// One shape for every message, rendered twice: as plain text and as HTML.
// Templates say what to tell; this file alone says how it looks, so the two
// parts cannot drift apart and every value passes the same escaping.
import { type Language, translate } from "~/i18n";
import { html, multiline, type SafeHtml, safeUrl } from "./html";
import { oneLine, paragraphText } from "./text";

export interface MailContent {
  subject: string;
  heading: string;
  /** The recipient's name for the greeting; none: a greeting without a name. */
  recipientName: string | null;
  paragraphs: string[];
  /** Label and value, e.g. ["Når", "torsdag 10. desember 2026 kl. 18:00–20:00"]; values may span lines. */
  facts?: [string, string][];
  /** A prominent value of its own, such as a one-time code. */
  highlight?: { label: string; value: string };
  action?: { label: string; url: string };
  /** Small print after the action. */
  notes?: string[];
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const colors = { text: "#1e2b3c", muted: "#4f5d6e", accent: "#0062ba", border: "#d2d9e1", box: "#f3f5f7" };

export function renderMail(lang: Language, content: MailContent): RenderedMail {
  const subject = oneLine(content.subject, 250);
  const greeting = content.recipientName
    ? translate(lang, "mail.greeting", { name: oneLine(content.recipientName, 100) })
    : translate(lang, "mail.greetingAnonymous");
  const paragraphs = content.paragraphs.map(paragraphText);
  const facts = (content.facts ?? []).map(([label, value]) => [oneLine(label), paragraphText(value)] as const);
  const notes = (content.notes ?? []).map(paragraphText);
  const action = content.action ? { label: oneLine(content.action.label), url: safeUrl(content.action.url) } : null;
  const highlight = content.highlight ? { label: paragraphText(content.highlight.label), value: oneLine(content.highlight.value) } : null;
  const footer = translate(lang, "mail.footer");

  const text = [
    greeting,
    oneLine(content.heading),
    ...paragraphs,
    ...(facts.length ? [facts.map(([l, v]) => `${l}: ${v.replace(/\n/g, "\n  ")}`).join("\n")] : []),
    ...(action ? [`${action.label}:\n${action.url}`] : []),
    ...(highlight ? [`${highlight.label}\n\n    ${highlight.value}`] : []),
    ...notes,
    `-- \n${footer}`,
  ].join("\n\n");

  const p = (body: SafeHtml | string) => html`<p style="margin:0 0 16px;line-height:1.5">${body}</p>`;
  const body = html`<!DOCTYPE html>
<html lang="${lang.code}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${subject}</title>
</head>
<body style="margin:0;padding:0;background:#ffffff;color:${colors.text};font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px">
<div style="max-width:600px;margin:0 auto;padding:24px 16px">
<p style="margin:0 0 24px;font-weight:bold;color:${colors.accent}">Flokk</p>
${p(greeting)}
<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3">${oneLine(content.heading)}</h1>
${paragraphs.map((x) => p(multiline(x)))}
${
  facts.length
    ? html`<table role="presentation" style="border-collapse:collapse;margin:0 0 16px;background:${colors.box};width:100%">${facts.map(
        ([l, v]) =>
          html`<tr><th scope="row" style="text-align:left;vertical-align:top;padding:8px 12px;white-space:nowrap">${l}</th><td style="padding:8px 12px">${multiline(v)}</td></tr>`,
      )}</table>`
    : ""
}
${
  action
    ? html`<p style="margin:24px 0"><a href="${action.url}" style="display:inline-block;background:${colors.accent};color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;font-weight:bold">${action.label}</a></p>`
    : ""
}
${
  highlight
    ? html`${p(multiline(highlight.label))}<p style="margin:0 0 16px;font-size:28px;letter-spacing:4px;font-weight:bold;font-family:monospace">${highlight.value}</p>`
    : ""
}
${notes.map((n) => html`<p style="margin:0 0 12px;line-height:1.5;color:${colors.muted};font-size:14px">${multiline(n)}</p>`)}
<hr style="border:none;border-top:1px solid ${colors.border};margin:24px 0">
<p style="margin:0;color:${colors.muted};font-size:13px;line-height:1.5">${footer}</p>
</div>
</body>
</html>
`;
  return { subject, text: `${text}\n`, html: body.value };
}
