// Where a redirect may go after sign-in or a language change: only a path on
// this site, so that nobody can craft a link to Flokk that lands elsewhere.

/** The path itself, or "/" for anything that is not plainly a path on this site. */
export function safeBackPath(back: string | null | undefined): string {
  // "//evil.example" and "/\evil.example" are treated as another host by browsers.
  if (!back?.startsWith("/") || back.startsWith("//") || back.startsWith("/\\")) return "/";
  // Control characters (including newlines) have no place in a Location header.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(back)) return "/";
  if (back.length > 2000) return "/";
  return back;
}
