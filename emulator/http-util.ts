/** Small helpers over node:http for reading bodies and writing JSON answers. */
import type { IncomingMessage, ServerResponse } from "node:http";

/** Graph's JSON content type (OData minimal metadata). */
export const GRAPH_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/** Largest request body accepted; Graph's own limit for JSON payloads is 4 MB. */
const MAX_BODY = 4 * 1024 * 1024;

/** Reads the whole request body. Rejects bodies over 4 MB. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Writes a JSON (or empty, when body is undefined) response. */
export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>, contentType = GRAPH_JSON): void {
  if (res.headersSent || res.destroyed) return;
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const all: Record<string, string | number> = { ...headers };
  if (payload) {
    all["Content-Type"] = contentType;
    all["Content-Length"] = payload.length;
  } else {
    all["Content-Length"] = 0;
  }
  res.writeHead(status, all);
  res.end(payload);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
