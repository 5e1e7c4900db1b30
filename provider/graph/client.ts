/**
 * GraphClient: one keep-alive HTTP client per provider process, built on got, with our own retry loop.
 *
 * got's own retries are disabled (`retry.limit: 0`) and HTTP errors do not throw (`throwHttpErrors: false`), so every
 * retry decision goes through the pure strategies of ./retry.ts. Logs go through the redactor; bodies, tokens and
 * Authorization headers are never logged, and got's error objects (which carry the request options, including the
 * Authorization header) are never rethrown or attached as `cause`.
 */
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import * as tls from "node:tls";
import got from "got";
import { DEFAULT_API_VERSION, normalizeBaseUrl } from "./clouds";
import { GraphError, GraphNetworkError, GraphOutcomeUnknownError, parseGraphErrorBody } from "./errors";
import { redactSecrets, redactUrl } from "./redact";
import { ThrottleGate } from "./throttleGate";
import {
    certainlyNotProcessed,
    decideRetry,
    defaultStrategies,
    isIdempotent,
    parseRetryAfterMs,
    type RetryContext,
    type RetryStrategy,
} from "./retry";

/** One structured log line. Everything in it is already redacted. */
export interface LogEntry {
    readonly level: "debug";
    readonly message: string;
    readonly method: string;
    /** Redacted path relative to the version root, with allow-listed query values only. */
    readonly path: string;
    /** 1-based attempt number of this logical request. */
    readonly attempt: number;
    readonly clientRequestId: string;
    readonly status?: number;
    readonly requestId?: string;
    /** Graph error code or transport error code. */
    readonly errorCode?: string;
    /** Delay before the next attempt, when retrying. */
    readonly delayMs?: number;
    readonly durationMs?: number;
}

/**
 * Returns a bearer token. `rejectedToken`: Graph answered 401 to that token, so return a newly obtained one (or the
 * one that already replaced it). A plain `() => Promise<string>` fits.
 */
export type GetToken = (options?: { readonly rejectedToken?: string }) => Promise<string>;

/** Options of {@link GraphClient}. */
export interface GraphClientOptions {
    /** Graph root without version, e.g. https://graph.microsoft.com or an emulator https://127.0.0.1:8443. */
    readonly graphBaseUrl: string;
    /** Version segment; default "beta". */
    readonly apiVersion?: string;
    /** Bearer token source, called before every attempt (a cache makes that cheap). */
    readonly getToken: GetToken;
    /** Timeout of one attempt, ms. Default 30 000. */
    readonly timeoutMs?: number;
    /** Retries after the first attempt; default 6; an explicit 0 disables retries (a 401 token refresh still happens once). */
    readonly maxRetries?: number;
    /** Retries while Graph answers 429 (see RetryOptions.maxThrottledRetries). */
    readonly maxThrottledRetries?: number;
    /** Exponential back-off base, ms (default 1000). */
    readonly baseDelayMs?: number;
    /** Exponential back-off cap, ms (default 30 000). */
    readonly maxDelayMs?: number;
    /** Cap of one server-advertised wait, ms (default 60 000). */
    readonly maxRetryAfterMs?: number;
    /** Random source for jitter (tests). */
    readonly random?: () => number;
    /** Sleep (tests inject one that records delays and returns at once). */
    readonly sleep?: (ms: number) => Promise<void>;
    /** Structured debug log sink. Entries are redacted. */
    readonly logger?: (entry: LogEntry) => void;
    /** Extra trusted CA certificate(s), PEM, added to Node's roots (for a local emulator). */
    readonly ca?: string | Buffer;
    /** User-Agent header. */
    readonly userAgent?: string;
    /** Accept an http:// graphBaseUrl. Tests only; default false. */
    readonly allowInsecureHttp?: boolean;
    /** Extra secrets to scrub from log lines and error messages (client secret, ...). The current token is always scrubbed. */
    readonly secrets?: () => Iterable<string | undefined>;
    /** Replaces the default retry strategies (advanced; tests). */
    readonly strategies?: readonly RetryStrategy[];
}

/** Per-request options. */
export interface GraphRequestOptions {
    /** JSON body; serialized with JSON.stringify. */
    readonly body?: unknown;
    /**
     * Whether the request may be repeated after it possibly reached the server. Default: by method
     * (POST false, others true). Set true for a POST that is idempotent, e.g. an `assign` action replacing a list.
     */
    readonly idempotent?: boolean;
    /**
     * Computes the JSON body right before each attempt leaves (after any throttle wait), instead of `body`: for a
     * write whose content may still grow while it waits to be sent, e.g. an `assign` that takes in changes to its list
     * arriving during a 429 back-off. `attempt` counts from 1; a later attempt follows a wait, during which what the
     * body was built from may have changed (a list another writer edited): the callback may read again before answering.
     * Only for a request that may be repeated with a different body (`idempotent`).
     */
    readonly bodyAtSend?: (attempt: number) => unknown;
    /** Extra headers (e.g. ConsistencyLevel, Prefer, If-Match). Authorization and client-request-id cannot be overridden. */
    readonly headers?: Readonly<Record<string, string>>;
}

/** A 2xx answer. */
export interface GraphResponse<T> {
    readonly status: number;
    /** Parsed JSON body; undefined for 204 or an empty body. */
    readonly body: T | undefined;
    /** Graph's `request-id` response header. */
    readonly requestId?: string;
    /** The client-request-id we sent (same across retries of one request). */
    readonly clientRequestId: string;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_USER_AGENT = "pulumi-msgraph-assignments/0.1.0";

const PROTECTED_HEADERS = new Set(["authorization", "client-request-id", "return-client-request-id", "host", "content-length"]);

/**
 * Node's default trust store (bundled roots, NODE_EXTRA_CA_CERTS, and system CAs under --use-system-ca) plus `ca`.
 * Passing `ca` alone to an agent would replace the defaults instead of adding to them.
 */
export function withDefaultCAs(ca: string | Buffer): string[] {
    const defaults = typeof tls.getCACertificates === "function" ? tls.getCACertificates("default") : [...tls.rootCertificates];
    return [...defaults, ca.toString()];
}

/**
 * A keep-alive HTTPS agent that trusts Node's defaults plus `ca`, through one secure context built once. Handing an
 * agent `ca` instead would make Node fold the whole CA bundle (~150 roots) into the pool key of every request and
 * build a context per connection: ~1 ms of CPU per request, the largest cost of a create against a private CA.
 */
export function httpsAgentTrusting(ca: string | Buffer, options: { maxSockets?: number } = {}): https.Agent {
    return new https.Agent({ keepAlive: true, ...options, secureContext: tls.createSecureContext({ ca: withDefaultCAs(ca) }) });
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function firstHeader(v: string | string[] | undefined): string | undefined {
    return Array.isArray(v) ? v[0] : v;
}

interface Attempt {
    readonly response?: { status: number; headers: Record<string, string | string[] | undefined>; body: string };
    readonly error?: { code: string; notSent: boolean };
}

/**
 * HTTP client for Microsoft Graph. One instance per provider process (see getSharedGraphClient in ./auth):
 * it owns a keep-alive agent. Thread-safe for concurrent requests.
 */
export class GraphClient {
    /** Version root, e.g. https://graph.microsoft.com/beta (no trailing slash). */
    public readonly versionRoot: string;
    private readonly options: GraphClientOptions;
    private readonly strategies: readonly RetryStrategy[];
    private readonly sleep: (ms: number) => Promise<void>;
    /** Pacing after 429s, one gate for writes and one for reads (Graph limits them separately). */
    private readonly gates: { readonly write: ThrottleGate; readonly read: ThrottleGate };
    private readonly httpsAgent: https.Agent;
    private readonly httpAgent: http.Agent;
    private readonly timeoutMs: number;
    private lastToken: string | undefined;

    constructor(options: GraphClientOptions) {
        this.options = options;
        const base = normalizeBaseUrl(options.graphBaseUrl, "graphBaseUrl", options.allowInsecureHttp ?? false);
        const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
        if (!/^(beta|v\d+\.\d+)$/.test(apiVersion)) {
            throw new Error(`apiVersion must be "beta" or "vN.N" such as "v1.0"`);
        }
        this.versionRoot = `${base}/${apiVersion}`;
        this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        this.strategies =
            options.strategies ??
            defaultStrategies({
                maxRetries: options.maxRetries,
                maxThrottledRetries: options.maxThrottledRetries,
                baseDelayMs: options.baseDelayMs,
                maxDelayMs: options.maxDelayMs,
                maxRetryAfterMs: options.maxRetryAfterMs,
                random: options.random,
            });
        this.sleep = options.sleep ?? realSleep;
        this.gates = { write: new ThrottleGate({ sleep: this.sleep }), read: new ThrottleGate({ sleep: this.sleep }) };
        this.httpsAgent =
            options.ca === undefined ? new https.Agent({ keepAlive: true, maxSockets: 32 }) : httpsAgentTrusting(options.ca, { maxSockets: 32 });
        this.httpAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    }

    /** Releases the keep-alive sockets. */
    public close(): void {
        this.httpsAgent.destroy();
        this.httpAgent.destroy();
    }

    /** GET `path`. */
    public get<T>(path: string, opts?: Omit<GraphRequestOptions, "body">): Promise<GraphResponse<T>> {
        return this.request<T>("GET", path, opts);
    }

    /** POST `path` (not retried after it may have reached the server unless `idempotent: true`). */
    public post<T>(path: string, body?: unknown, opts?: Omit<GraphRequestOptions, "body">): Promise<GraphResponse<T>> {
        return this.request<T>("POST", path, { ...opts, body });
    }

    /** PATCH `path`. */
    public patch<T>(path: string, body: unknown, opts?: Omit<GraphRequestOptions, "body">): Promise<GraphResponse<T>> {
        return this.request<T>("PATCH", path, { ...opts, body });
    }

    /** PUT `path`. */
    public put<T>(path: string, body: unknown, opts?: Omit<GraphRequestOptions, "body">): Promise<GraphResponse<T>> {
        return this.request<T>("PUT", path, { ...opts, body });
    }

    /** DELETE `path`. A retried DELETE may answer 404 when the first attempt succeeded: callers treat 404 as gone. */
    public delete(path: string, opts?: Omit<GraphRequestOptions, "body">): Promise<GraphResponse<undefined>> {
        return this.request<undefined>("DELETE", path, opts);
    }

    /**
     * Sends one logical request with retries.
     * @param path already encoded, relative to the version root (`/deviceManagement/...`), may include `?query`;
     *   an absolute URL is accepted only under this client's version root (e.g. `@odata.nextLink`).
     * @throws GraphError on a non-2xx answer (404 included); GraphOutcomeUnknownError when a non-idempotent request
     *   was sent and then failed without a definite answer; GraphNetworkError when no answer could be obtained.
     */
    public async request<T>(method: string, path: string, opts: GraphRequestOptions = {}): Promise<GraphResponse<T>> {
        const m = method.toUpperCase();
        const { url, relative } = this.resolveUrl(path);
        const logPath = redactUrl(relative);
        const clientRequestId = randomUUID();
        const serialize = (body: unknown) => (body === undefined ? undefined : JSON.stringify(body));
        const fixedPayload = serialize(opts.body);
        const idempotent = isIdempotent(m, opts.idempotent);
        if (opts.bodyAtSend !== undefined && !idempotent) throw new Error(`bodyAtSend needs an idempotent request (${m} ${logPath})`);
        let retries = 0;
        let attempts = 0;
        let rejectedToken: string | undefined;
        let tokenRefreshed = false;

        const gate = m === "GET" || m === "HEAD" ? this.gates.read : this.gates.write;
        const ticket = gate.ticket(); // one place in line for all attempts: a retry is not sent behind later arrivals
        for (;;) {
            attempts += 1;
            await gate.turn(ticket);
            const token = await this.options.getToken(rejectedToken !== undefined ? { rejectedToken } : undefined);
            this.lastToken = token;
            const payload = opts.bodyAtSend !== undefined ? serialize(await opts.bodyAtSend(attempts)) : fixedPayload;
            const started = Date.now();
            const outcome = await this.send(m, url, token, clientRequestId, payload, opts.headers);
            const durationMs = Date.now() - started;
            const res = outcome.response;
            const requestId = res === undefined ? undefined : firstHeader(res.headers["request-id"]);

            if (res !== undefined && res.status >= 200 && res.status < 300) {
                this.log({
                    level: "debug",
                    message: `Graph ${m} ${logPath} -> ${res.status}`,
                    method: m, path: logPath, attempt: attempts, clientRequestId, status: res.status, requestId, durationMs,
                });
                return {
                    status: res.status,
                    body: this.parseBody<T>(m, logPath, res, requestId, clientRequestId),
                    requestId,
                    clientRequestId,
                };
            }

            const parsed = res === undefined ? undefined : parseGraphErrorBody(res.body);
            const ctx: RetryContext = {
                attempt: retries,
                method: m,
                idempotent,
                response: res === undefined ? undefined : { status: res.status, headers: res.headers, code: parsed?.code },
                error: outcome.error === undefined ? undefined : { code: outcome.error.code, notSent: outcome.error.notSent },
                tokenRefreshed,
            };
            const decision = decideRetry(ctx, this.strategies);
            const errorCode = parsed?.code ?? outcome.error?.code;
            const what = res !== undefined ? `${res.status}${parsed?.code !== undefined ? ` ${parsed.code}` : ""}` : errorCode;

            if (decision.action === "retry") {
                // A 429's wait is the gate's: every request of this client then queues behind it (see ThrottleGate).
                const throttled = res?.status === 429;
                if (throttled) gate.throttled(decision.delayMs);
                const delayMs = throttled ? gate.pendingMs() : decision.delayMs;
                this.log({
                    level: "debug",
                    message: `Graph ${m} ${logPath} -> ${what}; retrying in ${delayMs} ms` +
                        (decision.refreshToken === true ? " with a refreshed token" : ""),
                    method: m, path: logPath, attempt: attempts, clientRequestId, status: res?.status, requestId,
                    errorCode, delayMs, durationMs,
                });
                if (decision.refreshToken === true) {
                    rejectedToken = token;
                    tokenRefreshed = true;
                } else {
                    rejectedToken = undefined;
                    retries += 1;
                }
                if (delayMs > 0 && !throttled) {
                    await this.sleep(delayMs);
                }
                continue;
            }

            this.log({
                level: "debug",
                message: `Graph ${m} ${logPath} -> ${what}; giving up after ${attempts} attempt${attempts === 1 ? "" : "s"}`,
                method: m, path: logPath, attempt: attempts, clientRequestId, status: res?.status, requestId, errorCode, durationMs,
            });
            throw this.finalError(m, logPath, clientRequestId, idempotent, ctx, attempts, parsed, requestId);
        }
    }

    private finalError(
        method: string,
        path: string,
        clientRequestId: string,
        idempotent: boolean,
        ctx: RetryContext,
        attempts: number,
        parsed: ReturnType<typeof parseGraphErrorBody> | undefined,
        requestId: string | undefined,
    ): Error {
        const secrets = this.secretList();
        const scrub = (s: string | undefined): string | undefined => (s === undefined ? undefined : redactSecrets(s, secrets));
        const res = ctx.response;
        const uncertain = !idempotent && !certainlyNotProcessed(ctx);
        if (res !== undefined) {
            if (uncertain && (res.status >= 500 || res.status === 408)) {
                return new GraphOutcomeUnknownError({
                    method, path, clientRequestId, reason: `${res.status}${parsed?.code !== undefined ? ` ${parsed.code}` : ""}`,
                    status: res.status, code: parsed?.code, requestId: requestId ?? parsed?.requestId,
                });
            }
            const retryAfterMs = parseRetryAfterMs(res.headers);
            return new GraphError({
                status: res.status,
                method,
                path,
                code: scrub(parsed?.code),
                graphMessage: scrub(parsed?.message),
                requestId: requestId ?? parsed?.requestId,
                clientRequestId,
                ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
            });
        }
        const code = ctx.error?.code ?? "UNKNOWN";
        if (uncertain) {
            return new GraphOutcomeUnknownError({ method, path, clientRequestId, reason: code, code });
        }
        return new GraphNetworkError({ method, path, clientRequestId, code, attempts });
    }

    private parseBody<T>(
        method: string,
        path: string,
        res: NonNullable<Attempt["response"]>,
        requestId: string | undefined,
        clientRequestId: string,
    ): T | undefined {
        if (res.status === 204 || res.body.trim() === "") {
            return undefined;
        }
        const contentType = firstHeader(res.headers["content-type"]) ?? "";
        if (!/json/i.test(contentType)) {
            return res.body as unknown as T;
        }
        try {
            return JSON.parse(res.body) as T;
        } catch {
            throw new GraphError({
                status: res.status, method, path, code: "InvalidResponseBody",
                graphMessage: "the response body is not valid JSON", requestId, clientRequestId,
            });
        }
    }

    private resolveUrl(path: string): { url: string; relative: string } {
        if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith("//")) {
            if (path === this.versionRoot || path.startsWith(`${this.versionRoot}/`) || path.startsWith(`${this.versionRoot}?`)) {
                return { url: path, relative: path.slice(this.versionRoot.length) || "/" };
            }
            throw new Error("GraphClient: absolute URLs are accepted only under the client's Graph version root");
        }
        const relative = path.startsWith("/") ? path : `/${path}`;
        return { url: `${this.versionRoot}${relative}`, relative };
    }

    private async send(
        method: string,
        url: string,
        token: string,
        clientRequestId: string,
        payload: string | undefined,
        extraHeaders: Readonly<Record<string, string>> | undefined,
    ): Promise<Attempt> {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(extraHeaders ?? {})) {
            if (!PROTECTED_HEADERS.has(k.toLowerCase())) headers[k.toLowerCase()] = v;
        }
        headers["accept"] = headers["accept"] ?? "application/json";
        headers["user-agent"] = this.options.userAgent ?? DEFAULT_USER_AGENT;
        headers["authorization"] = `Bearer ${token}`;
        headers["client-request-id"] = clientRequestId;
        headers["return-client-request-id"] = "true";
        if (payload !== undefined) {
            headers["content-type"] = headers["content-type"] ?? "application/json";
        }
        const isHttps = url.startsWith("https:");
        try {
            const r = await got(url, {
                method: method as "GET",
                headers,
                ...(payload !== undefined ? { body: payload } : {}),
                agent: { https: this.httpsAgent, http: this.httpAgent },
                timeout: { request: this.timeoutMs },
                retry: { limit: 0 },
                throwHttpErrors: false,
                followRedirect: false,
                responseType: "text",
            });
            return { response: { status: r.statusCode, headers: r.headers, body: r.body ?? "" } };
        } catch (e: unknown) {
            // Keep only the code: got's error carries the request options (Authorization header included).
            const err = e as { code?: unknown; timings?: { connect?: number; secureConnect?: number; upload?: number } };
            const code = typeof err.code === "string" && /^[A-Z0-9_]+$/i.test(err.code) ? err.code : "ERR_UNKNOWN";
            const t = err.timings;
            // Not sent: the connection (TCP, and TLS for https) was never established. A reused keep-alive socket has
            // both timings set, so a reset on it counts as "maybe sent".
            const notSent =
                t !== undefined && t.upload === undefined && (t.connect === undefined || (isHttps && t.secureConnect === undefined));
            return { error: { code, notSent } };
        }
    }

    private secretList(): (string | undefined)[] {
        const extra = this.options.secrets === undefined ? [] : [...this.options.secrets()];
        return [this.lastToken, ...extra];
    }

    private log(entry: LogEntry): void {
        const logger = this.options.logger;
        if (logger === undefined) return;
        try {
            logger({ ...entry, message: redactSecrets(entry.message, this.secretList()) });
        } catch {
            // a failing logger must not fail the request
        }
    }
}
