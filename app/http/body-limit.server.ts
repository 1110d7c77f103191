// Uploads have a ceiling: a request body is read up to `maxBytes` and no
// further, whatever Content-Length claims (it may be absent or lie), so a
// huge upload costs neither memory nor a 500. Returns the same request with
// the body buffered, for request.formData() (multipart included) and the CSRF
// check; null when the body is too large.
export async function limitBody(request: Request, maxBytes: number): Promise<Request | null> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (Number.isFinite(declared) && declared > maxBytes) return null;
  if (!request.body) return request;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return new Request(request.url, { method: request.method, headers: request.headers, body: Buffer.concat(chunks), signal: request.signal });
}
