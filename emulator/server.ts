/**
 * The HTTPS request pipeline: dispatches to the admin API, Entra or Graph, and around Graph applies authentication,
 * latency, throttling and faults, in that order (the fault switches of the token's tenant), then the route's
 * permission check and handler. A JSON batch sends each of its requests through the same steps.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleAdmin, AdminError, type EmulatorAdmin } from "./admin";
import type { AccessTokenClaims, TokenKeys } from "./access-tokens";
import { itemBody, parseBatch, runBatch, type BatchItem, type BatchItemResponse } from "./batch";
import { EntraError, entraErrorBody, graphErrorBody, GraphError, intuneMessage } from "./errors";
import { EntraService, looksLikeTenant, type TokenGrant } from "./entra";
import type { FaultController } from "./faults";
import { forbidden, GraphApi, isWriteMethod, SERVICE_ROLES, type GraphService } from "./graph";
import { GRAPH_JSON, readBody, send, sleep } from "./http-util";
import { newGuid } from "./ids";
import type { AzureDevOpsOidcService, GitHubOidcService } from "./pipeline-oidc";
import { ADO_OIDC_PREFIX, GITHUB_OIDC_PATH } from "./pipeline-oidc";
import type { RequestLog, RequestLogEntry } from "./request-log";

/** What the pipeline needs from the emulator. */
export interface PipelineParts {
  /** The Graph API of a tenant's own directory (the token's `tid`); undefined for a tenant the emulator does not host. */
  readonly graphFor: (tenantId: string) => GraphApi | undefined;
  readonly entra: EntraService;
  readonly keys: TokenKeys;
  /** The default tenant's fault switches: also those of a request whose token names no hosted tenant, or fails. */
  readonly faults: FaultController;
  /** A hosted tenant's fault switches (the token's `tid`); undefined for a tenant the emulator does not host. */
  readonly faultsFor: (tenantId: string) => FaultController | undefined;
  readonly log: RequestLog;
  readonly admin: EmulatorAdmin;
  /** The admin of a hosted tenant's directory (admin routes under /_emulator/tenants/{tenantId}/…). */
  readonly adminFor: (tenantId: string) => EmulatorAdmin | undefined;
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
    await graphRequest(parts, req, res, { method, version: version[1].toLowerCase(), path: version[2] ?? "/", query: url.searchParams, raw, base, requestId, clientRequestId, headers, finish, entry });
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
  /** The log entry of this request (the batch envelope gets its size recorded). */
  entry: RequestLogEntry;
}

/** One Graph request after authentication, as both standalone requests and batch items present it. */
interface GraphInput {
  readonly method: string;
  readonly version: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Parses the request body; throws GraphError 400 for a body that is not JSON (checked after the fault dice, as Graph does). */
  readonly body: () => unknown;
  readonly base: string;
  readonly requestId: string;
  readonly clientRequestId: string | undefined;
}

/**
 * What one Graph request came to: an answer, a connection reset before handling ("reset": nothing was done), or
 * a write that was applied and whose answer is lost ("dropped").
 */
type GraphOutcome =
  | GraphAnswer
  | { readonly kind: "reset" }
  | { readonly kind: "dropped"; readonly status: number };

/** An answer to send (or to put into a batch answer). */
interface GraphAnswer {
  readonly kind: "answer";
  readonly status: number;
  readonly body?: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

/** Graph's headers on every answer of this emulator. */
function graphHeaders(base: Record<string, string>, extra: Readonly<Record<string, string>>): Record<string, string> {
  return { ...base, ...extra, "OData-Version": "4.0", "Strict-Transport-Security": "max-age=31536000",
    "x-ms-ags-diagnostic": JSON.stringify({ ServerInfo: { DataCenter: "Local Emulator", Slice: "E", Ring: "0", ScaleUnit: "000", RoleInstance: "EMU" } }) };
}

/** The answer for a Graph error, in the service's message style (Intune wraps its messages; routing errors stay plain). */
function errorAnswer(err: unknown, service: GraphService | undefined, requestId: string, clientRequestId: string | undefined): GraphAnswer {
  const graphErr = GraphError.isInstance(err)
    ? err
    : new GraphError(500, "generalException", `An internal error occurred: ${err instanceof Error ? err.message : String(err)}`);
  let message = graphErr.message;
  if (service?.startsWith("intune") && !graphErr.plain && graphErr.status < 500) message = intuneMessage(message, requestId);
  const shaped = new GraphError(graphErr.status, graphErr.code, message, graphErr.headers);
  return { kind: "answer", status: graphErr.status, body: graphErrorBody(shaped, requestId, clientRequestId), headers: { ...graphErr.headers } };
}

/**
 * The part of the pipeline every Graph request goes through, standalone or inside a batch, once its token is
 * verified: reset → throttle (429) → 503/504 → body → route → role (403) → handler → commit-then-drop.
 */
function executeGraph(parts: PipelineParts, input: GraphInput, claims: AccessTokenClaims): GraphOutcome {
  const faults = faultsOf(parts, claims);
  const write = isWriteMethod(input.method);
  let service: GraphService | undefined;
  try {
    const decision = faults.before(claims.tid, write);
    if (decision.kind === "reset") return { kind: "reset" };
    if (decision.kind === "throttle") {
      const seconds = String(decision.retryAfterSeconds);
      throw new GraphError(429, "TooManyRequests", `Too many requests. Retry after ${seconds} seconds.`, { "Retry-After": seconds });
    }
    if (decision.kind === "serverError") throw serverError(decision.status);
    const body = input.body();
    const graph = parts.graphFor(claims.tid);
    if (graph === undefined) throw new GraphError(401, "InvalidAuthenticationToken", "Access token validation failure: the token's tenant is not hosted here.");
    const route = graph.match({ method: input.method, version: input.version, path: input.path, query: input.query, body, base: input.base });
    service = route.service;
    const allowed = write ? SERVICE_ROLES[service].write : SERVICE_ROLES[service].read;
    if (faults.permissionsRevoked() || !claims.roles.some((r) => allowed.includes(r))) throw forbidden(service, write);
    const result = route.run();
    // The write is applied (and persisted); only the answer is lost, as when a connection breaks mid-response.
    if (write && result.status < 300 && faults.dropAfterCommit()) return { kind: "dropped", status: result.status };
    return { kind: "answer", status: result.status, body: result.body, headers: { ...result.headers } };
  } catch (err) {
    return errorAnswer(err, service, input.requestId, input.clientRequestId);
  }
}

/** The fault switches of the token's tenant (each hosted tenant has its own). */
function faultsOf(parts: PipelineParts, claims: AccessTokenClaims): FaultController {
  return parts.faultsFor(claims.tid) ?? parts.faults;
}

function serverError(status: 503 | 504): GraphError {
  return status === 503
    ? new GraphError(503, "ServiceUnavailable", "The service is temporarily unavailable. Please retry later.")
    : new GraphError(504, "GatewayTimeout", "The gateway did not receive a response from the backend service in time.");
}

async function graphRequest(parts: PipelineParts, req: IncomingMessage, res: ServerResponse, call: GraphCall): Promise<void> {
  const reply = (outcome: GraphOutcome, fault?: RequestLogEntry["fault"]) => {
    if (outcome.kind !== "answer") {
      call.finish(outcome.kind === "dropped" ? outcome.status : 0, outcome.kind);
      req.socket.destroy();
      return;
    }
    send(res, outcome.status, outcome.body, graphHeaders(call.headers, outcome.headers));
    call.finish(outcome.status, fault);
  };
  const isBatch = /^\/\$batch\/?$/i.test(call.path);
  let claims: AccessTokenClaims;
  try {
    try {
      claims = await parts.keys.verify(headerValue(req, "authorization"));
    } catch (err) {
      // No tenant to take the latency from: the default tenant's.
      if (!isBatch) await sleep(parts.faults.latencyMs());
      throw err;
    }
    // The latency of the token's tenant; a batch adds none of its own: each of its requests gets its own, below.
    if (!isBatch) await sleep(faultsOf(parts, claims).latencyMs());
    if (isBatch && call.method !== "POST") {
      throw new GraphError(405, "Request_BadRequest", `The HTTP method '${call.method}' is not allowed for this resource.`, { Allow: "POST" });
    }
  } catch (err) {
    return reply(errorAnswer(err, undefined, call.requestId, call.clientRequestId));
  }
  if (isBatch) return batchRequest(parts, call, claims, reply);
  reply(executeGraph(parts, {
    method: call.method, version: call.version, path: call.path, query: call.query, base: call.base,
    requestId: call.requestId, clientRequestId: call.clientRequestId, body: () => parseJson(call.raw),
  }, claims));
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw new GraphError(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
  }
}

/**
 * `POST /{version}/$batch`. The envelope is one round trip: it can be reset before anything runs, and its answer
 * can be lost after its writes were applied, but it does not count against the throttling budgets. Each request
 * in it goes through {@link executeGraph} with the envelope's token, counts against the budgets, gets its own
 * latency, request-id and log entry (with `batchId`), and turns faults into its own answer: reset → 503 (not
 * applied), commit-then-drop → 504 (applied).
 */
async function batchRequest(
  parts: PipelineParts, call: GraphCall, claims: AccessTokenClaims,
  reply: (outcome: GraphOutcome, fault?: RequestLogEntry["fault"]) => void,
): Promise<void> {
  let items: BatchItem[];
  try {
    items = parseBatch(parseJson(call.raw));
  } catch (err) {
    return reply(errorAnswer(err, undefined, call.requestId, call.clientRequestId));
  }
  call.entry.batchSize = items.length;
  const faults = faultsOf(parts, claims);
  if (faults.resetsConnection()) return reply({ kind: "reset" });
  let applied = false;
  const runItem = async (item: BatchItem): Promise<BatchItemResponse> => {
    const started = Date.now();
    const requestId = newGuid();
    const clientRequestId = item.headers["client-request-id"];
    const write = isWriteMethod(item.method);
    await sleep(faults.latencyMs());
    const entry = parts.log.add({
      time: new Date(started).toISOString(), method: item.method, path: `/${call.version}${item.path}`,
      query: Object.fromEntries(item.query), body: item.body, status: 0, clientRequestId, requestId, durationMs: 0,
      batchId: call.requestId, batchRequestId: item.id,
    });
    const outcome = executeGraph(parts, {
      method: item.method, version: call.version, path: item.path, query: item.query, base: call.base,
      requestId, clientRequestId, body: () => itemBody(item),
    }, claims);
    // Behind Graph's gateway a lost backend connection becomes the request's own 5xx: 503 when nothing was done,
    // 504 when the write was applied and its answer lost (the client cannot tell it from one that was not).
    let answer: GraphAnswer;
    if (outcome.kind === "answer") answer = outcome;
    else {
      entry.fault = outcome.kind;
      answer = errorAnswer(serverError(outcome.kind === "reset" ? 503 : 504), undefined, requestId, clientRequestId);
    }
    if (write && (outcome.kind === "dropped" || (outcome.kind === "answer" && outcome.status < 300))) applied = true;
    entry.status = answer.status;
    entry.durationMs = Date.now() - started;
    return batchItemResponse(item.id, answer);
  };
  const skipped = (item: BatchItem, dependency: string): BatchItemResponse => {
    const requestId = newGuid();
    const clientRequestId = item.headers["client-request-id"];
    parts.log.add({
      time: new Date().toISOString(), method: item.method, path: `/${call.version}${item.path}`, query: Object.fromEntries(item.query),
      body: item.body, status: 424, clientRequestId, requestId, durationMs: 0, batchId: call.requestId, batchRequestId: item.id,
    });
    const failed = new GraphError(424, "FailedDependency", `The request was not run because request '${dependency}', which it depends on, failed.`);
    return batchItemResponse(item.id, errorAnswer(failed, undefined, requestId, clientRequestId));
  };
  const responses = await runBatch(items, runItem, skipped);
  if (applied && faults.dropAfterCommit()) return reply({ kind: "dropped", status: 200 });
  reply({ kind: "answer", status: 200, body: { responses }, headers: {} });
}

function batchItemResponse(id: string, outcome: GraphAnswer): BatchItemResponse {
  const headers: Record<string, string> = { ...outcome.headers };
  if (outcome.body !== undefined) headers["Content-Type"] = GRAPH_JSON;
  return outcome.body === undefined ? { id, status: outcome.status, headers } : { id, status: outcome.status, headers, body: outcome.body };
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
    const scoped = /^\/tenants\/([^/]+)(\/.*)?$/.exec(path);
    const admin = scoped ? parts.adminFor(decodeURIComponent(scoped[1])) : parts.admin;
    if (!admin) throw new AdminError(404, `the emulator hosts no tenant ${scoped![1]}`);
    const result = handleAdmin(admin, parts.log, method, scoped ? scoped[2] ?? "/" : path, body);
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
