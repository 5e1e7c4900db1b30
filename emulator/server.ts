/**
 * The HTTPS request pipeline: dispatches to the admin API, Entra or Graph, and around Graph applies latency,
 * authentication, throttling and faults, in that order, then the route's permission check and handler.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleAdmin, AdminError, type EmulatorAdmin } from "./admin";
import type { TokenKeys } from "./access-tokens";
import { EntraError, entraErrorBody, graphErrorBody, GraphError, intuneMessage } from "./errors";
import { EntraService, looksLikeTenant, type TokenGrant } from "./entra";
import type { FaultController } from "./faults";
import { forbidden, GraphApi, isWriteMethod, SERVICE_ROLES, type GraphService } from "./graph";
import { readBody, send, sleep } from "./http-util";
import { newGuid } from "./ids";
import type { AzureDevOpsOidcService, GitHubOidcService } from "./pipeline-oidc";
import { ADO_OIDC_PREFIX, GITHUB_OIDC_PATH } from "./pipeline-oidc";
import type { RequestLog, RequestLogEntry } from "./request-log";

/** What the pipeline needs from the emulator. */
export interface PipelineParts {
  readonly graph: GraphApi;
  readonly entra: EntraService;
  readonly keys: TokenKeys;
  readonly faults: FaultController;
  readonly log: RequestLog;
  readonly admin: EmulatorAdmin;
  /** The CI OIDC token services (workload identity federation). */
  readonly githubOidc: GitHubOidcService;
  readonly azureDevOpsOidc: AzureDevOpsOidcService;
  /** The port actually listened on (known only after listen). */
  readonly port: () => number;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/** Creates the request listener. */
export function createRequestHandler(parts: PipelineParts): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(parts, req, res).catch((err: unknown) => {
      // Last resort: a bug in a handler must not leave the client hanging.
      send(res, 500, { error: { code: "InternalServerError", message: err instanceof Error ? err.message : String(err) } }, {});
    });
  };
}

async function handle(parts: PipelineParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const requestId = newGuid();
  const clientRequestId = headerValue(req, "client-request-id");
  const url = new URL(req.url ?? "/", "https://127.0.0.1");
  const path = url.pathname;
  const method = (req.method ?? "GET").toUpperCase();
  const raw = await readBody(req);

  if (path === "/_emulator" || path.startsWith("/_emulator/")) {
    return adminRequest(parts, req, res, method, path.slice("/_emulator".length), raw);
  }

  const base = baseUrl(req, parts.port());
  const isToken = /\/oauth2\/v2\.0\/token$/i.test(path);
  const isOidc = path === GITHUB_OIDC_PATH || path.startsWith(ADO_OIDC_PREFIX);
  const entry = parts.log.add({
    time: new Date(started).toISOString(), method, path, query: Object.fromEntries(url.searchParams),
    body: isToken ? tokenLogBody(raw) : isOidc ? undefined : jsonOrUndefined(raw), status: 0, clientRequestId, requestId, durationMs: 0,
  });
  const finish = (status: number, fault?: RequestLogEntry["fault"]) => {
    entry.status = status;
    if (fault) entry.fault = fault;
    entry.durationMs = Date.now() - started;
  };
  const headers: Record<string, string> = { "request-id": requestId, "client-request-id": clientRequestId ?? requestId };

  const version = /^\/(beta|v1\.0)(\/.*)?$/i.exec(path);
  if (version) {
    await graphRequest(parts, req, res, { method, version: version[1].toLowerCase(), path: version[2] ?? "/", query: url.searchParams, raw, base, requestId, clientRequestId, headers, finish });
    return;
  }
  if (isOidc) {
    const reply = path === GITHUB_OIDC_PATH
      ? await parts.githubOidc.handle(method, url.searchParams, headerValue(req, "authorization"))
      : await parts.azureDevOpsOidc.handle(method, path, url.searchParams, headerValue(req, "authorization"));
    send(res, reply.status, reply.body, { "x-vss-e2eid": requestId, "Cache-Control": "no-store" }, "application/json; charset=utf-8");
    finish(reply.status);
    return;
  }
  await entraRequest(parts, res, method, path, raw, base, requestId, clientRequestId, finish, entry);
}

interface GraphCall {
  method: string;
  version: string;
  path: string;
  query: URLSearchParams;
  raw: Buffer;
  base: string;
  requestId: string;
  clientRequestId: string | undefined;
  headers: Record<string, string>;
  finish: (status: number, fault?: RequestLogEntry["fault"]) => void;
}

async function graphRequest(parts: PipelineParts, req: IncomingMessage, res: ServerResponse, call: GraphCall): Promise<void> {
  const { faults } = parts;
  let service: GraphService | undefined;
  const reply = (status: number, body: unknown, extra: Record<string, string> = {}) => {
    send(res, status, body, { ...call.headers, ...extra, "OData-Version": "4.0", "Strict-Transport-Security": "max-age=31536000",
      "x-ms-ags-diagnostic": JSON.stringify({ ServerInfo: { DataCenter: "Local Emulator", Slice: "E", Ring: "0", ScaleUnit: "000", RoleInstance: "EMU" } }) });
    call.finish(status);
  };
  const fail = (err: GraphError) => {
    let message = err.message;
    if (service === "intune" && !err.plain && err.status < 500) message = intuneMessage(message, call.requestId);
    const shaped = new GraphError(err.status, err.code, message, err.headers);
    reply(err.status, graphErrorBody(shaped, call.requestId, call.clientRequestId), { ...err.headers });
  };
  try {
    await sleep(faults.latencyMs());
    const claims = await parts.keys.verify(headerValue(req, "authorization"));
    const write = isWriteMethod(call.method);
    const decision = faults.before(claims.tid, write);
    if (decision.kind === "reset") {
      call.finish(0, "reset");
      req.socket.destroy();
      return;
    }
    if (decision.kind === "throttle") {
      const seconds = String(decision.retryAfterSeconds);
      throw new GraphError(429, "TooManyRequests", `Too many requests. Retry after ${seconds} seconds.`, { "Retry-After": seconds });
    }
    if (decision.kind === "serverError") {
      throw decision.status === 503
        ? new GraphError(503, "ServiceUnavailable", "The service is temporarily unavailable. Please retry later.")
        : new GraphError(504, "GatewayTimeout", "The gateway did not receive a response from the backend service in time.");
    }
    let body: unknown;
    if (call.raw.length > 0) {
      try {
        body = JSON.parse(call.raw.toString("utf8"));
      } catch {
        throw new GraphError(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
      }
    }
    const route = parts.graph.match({ method: call.method, version: call.version, path: call.path, query: call.query, body, base: call.base });
    service = route.service;
    const allowed = write ? SERVICE_ROLES[service].write : SERVICE_ROLES[service].read;
    if (!claims.roles.some((r) => allowed.includes(r))) throw forbidden(service, write);
    const result = route.run();
    if (write && result.status < 300 && faults.dropAfterCommit()) {
      // The write is applied (and persisted); only the answer is lost, as when a connection breaks mid-response.
      call.finish(result.status, "dropped");
      req.socket.destroy();
      return;
    }
    reply(result.status, result.body, { ...result.headers });
  } catch (err) {
    if (GraphError.isInstance(err)) return fail(err);
    fail(new GraphError(500, "generalException", `An internal error occurred: ${err instanceof Error ? err.message : String(err)}`));
  }
}

async function entraRequest(
  parts: PipelineParts, res: ServerResponse, method: string, path: string, raw: Buffer, base: string,
  requestId: string, clientRequestId: string | undefined, finish: (status: number) => void, entry: RequestLogEntry,
): Promise<void> {
  const headers: Record<string, string> = { "x-ms-request-id": requestId, "client-request-id": clientRequestId ?? requestId, "Cache-Control": "no-store, no-cache" };
  const json = "application/json; charset=utf-8";
  const reply = (status: number, body: unknown) => {
    send(res, status, body, headers, json);
    finish(status);
  };
  const segments = path.split("/").filter(Boolean);
  const tenant = segments[0] ?? "";
  const rest = segments.slice(1).join("/").toLowerCase();
  try {
    if (method === "GET" && tenant.toLowerCase() === "common" && rest === "discovery/instance") {
      return reply(200, parts.entra.instanceDiscovery(base));
    }
    if (looksLikeTenant(tenant)) {
      if (method === "GET" && (rest === "v2.0/.well-known/openid-configuration" || rest === ".well-known/openid-configuration")) {
        return reply(200, parts.entra.openIdConfiguration(tenant, base));
      }
      if (method === "GET" && (rest === "discovery/v2.0/keys" || rest === "discovery/keys")) return reply(200, parts.entra.jwks());
      if (method === "POST" && rest === "oauth2/v2.0/token") {
        const tokenUrls = [`https://127.0.0.1:${parts.port()}`, `https://localhost:${parts.port()}`].map((h) => `${h}/${tenant}/oauth2/v2.0/token`);
        const granted = (grant: TokenGrant) => Object.assign(entry, grant);
        return reply(200, await parts.entra.token(tenant, new URLSearchParams(raw.toString("utf8")), tokenUrls, granted));
      }
    }
    reply(404, { error: "not_found", error_description: `The emulator has no endpoint ${method} ${path}.` });
  } catch (err) {
    if (!EntraError.isInstance(err)) throw err;
    reply(err.status, entraErrorBody(err, requestId, clientRequestId ?? requestId));
  }
}

function adminRequest(parts: PipelineParts, req: IncomingMessage, res: ServerResponse, method: string, path: string, raw: Buffer): void {
  const json = "application/json; charset=utf-8";
  if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) {
    return send(res, 403, { error: { code: "Forbidden", message: "the admin API answers loopback clients only" } }, {}, json);
  }
  try {
    const body = raw.length > 0 ? JSON.parse(raw.toString("utf8")) : undefined;
    const result = handleAdmin(parts.admin, parts.log, method, path, body);
    send(res, result.status, result.body, {}, json);
  } catch (err) {
    const status = AdminError.isInstance(err) ? err.status : 400;
    send(res, status, { error: { code: status === 404 ? "NotFound" : "BadRequest", message: err instanceof Error ? err.message : String(err) } }, {}, json);
  }
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The base URL the client used, when it is one of ours (so @odata.context and Location point back at it). */
function baseUrl(req: IncomingMessage, port: number): string {
  const host = headerValue(req, "host");
  if (host === `localhost:${port}` || host === `127.0.0.1:${port}`) return `https://${host}`;
  return `https://127.0.0.1:${port}`;
}

function jsonOrUndefined(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    return raw.toString("utf8").slice(0, 1024);
  }
}

/** Token requests carry secrets and assertions; only these fields are recorded. */
function tokenLogBody(raw: Buffer): unknown {
  const form = new URLSearchParams(raw.toString("utf8"));
  const keep: Record<string, string> = {};
  for (const k of ["grant_type", "client_id", "scope", "client_assertion_type"]) {
    const v = form.get(k);
    if (v !== null) keep[k] = v;
  }
  return keep;
}
