/**
 * Error classes of the Graph HTTP layer and the parser of Graph error bodies.
 *
 * Errors are branded by a property and recognized with `isInstance()`, because `instanceof` fails when two copies
 * of this module are loaded (a deserialized dynamic provider does exactly that).
 * Messages never contain raw response bodies, request bodies, tokens or query values.
 */
import { inspect } from "node:util";

/** Longest Graph message kept in an error, in characters. */
export const MAX_GRAPH_MESSAGE_LENGTH = 500;

/** What we keep of a Graph error body. */
export interface ParsedGraphError {
    readonly code?: string;
    readonly message?: string;
    readonly requestId?: string;
    readonly clientRequestId?: string;
    readonly date?: string;
}

function asString(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

/** Collapses whitespace and control characters, and caps the length. */
export function sanitizeMessage(text: string, max = MAX_GRAPH_MESSAGE_LENGTH): string {
    // eslint-disable-next-line no-control-regex
    const flat = text.replace(/[\u0000-\u001f\u007f]+/g, " ").replace(/\s+/g, " ").trim();
    return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * Intune often answers with a `message` that is itself an escaped JSON document
 * (`{"_version":3,"Message":"An error has occurred - Operation ID ...","CustomApiErrorPhrase":"",...}`),
 * sometimes after a short prefix. Returns the inner `Message` when there is one, else the text unchanged.
 */
export function unwrapIntuneMessage(message: string): string {
    const start = message.indexOf("{");
    const end = message.lastIndexOf("}");
    if (start < 0 || end <= start) {
        return message;
    }
    try {
        const inner: unknown = JSON.parse(message.slice(start, end + 1));
        if (inner !== null && typeof inner === "object") {
            const o = inner as Record<string, unknown>;
            const m = asString(o["Message"]) ?? asString(o["message"]);
            if (m !== undefined) {
                const prefix = message.slice(0, start).trim().replace(/[:\-\s]+$/, "");
                return prefix !== "" ? `${prefix}: ${m}` : m;
            }
        }
    } catch {
        // not JSON: keep the text as it is
    }
    return message;
}

/**
 * Parses a Graph error body `{"error":{"code","message","innerError":{"request-id","client-request-id","date"}}}`.
 * Tolerates a missing or non-JSON body (returns `{}`), `innerError`/`innererror`, and Intune's escaped-JSON message.
 * The returned message is unwrapped and sanitized (single line, capped).
 */
export function parseGraphErrorBody(body: string | undefined): ParsedGraphError {
    if (body === undefined || body.trim() === "") {
        return {};
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(body);
    } catch {
        return {};
    }
    if (parsed === null || typeof parsed !== "object") {
        return {};
    }
    const err = (parsed as Record<string, unknown>)["error"];
    if (err === null || typeof err !== "object") {
        return {};
    }
    const e = err as Record<string, unknown>;
    const innerRaw = e["innerError"] ?? e["innererror"];
    const inner = innerRaw !== null && typeof innerRaw === "object" ? (innerRaw as Record<string, unknown>) : {};
    const rawMessage = asString(e["message"]);
    return {
        code: asString(e["code"]),
        message: rawMessage === undefined ? undefined : sanitizeMessage(unwrapIntuneMessage(rawMessage)),
        requestId: asString(inner["request-id"]),
        clientRequestId: asString(inner["client-request-id"]),
        date: asString(inner["date"]),
    };
}

function correlation(requestId: string | undefined, clientRequestId: string | undefined): string {
    const parts: string[] = [];
    if (requestId !== undefined) parts.push(`request-id: ${requestId}`);
    if (clientRequestId !== undefined) parts.push(`client-request-id: ${clientRequestId}`);
    return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

/** Fields of a {@link GraphError}. */
export interface GraphErrorInit {
    readonly status: number;
    readonly method: string;
    /** Redacted request path (no query values that could be secret). */
    readonly path: string;
    readonly code?: string;
    readonly graphMessage?: string;
    readonly requestId?: string;
    readonly clientRequestId?: string;
    /** Delay advertised by the server (Retry-After) when the request was given up, in ms. */
    readonly retryAfterMs?: number;
}

/**
 * Graph answered with a non-2xx status. `status` 404 means not found (see {@link isNotFound}); callers decide.
 * The message reads `Graph PATCH /path failed: 400 BadRequest: <message> (request-id: …, client-request-id: …)`.
 */
export class GraphError extends Error {
    /** Brand checked by {@link GraphError.isInstance}. */
    public readonly __msgraphGraphError = true;
    public override readonly name = "GraphError";
    public readonly status: number;
    /** Graph `error.code`, e.g. `BadRequest`, `ResourceNotFound`, `TooManyRequests`. */
    public readonly code?: string;
    /** Graph `error.message`, unwrapped (Intune) and sanitized. */
    public readonly graphMessage?: string;
    public readonly requestId?: string;
    public readonly clientRequestId?: string;
    public readonly method: string;
    public readonly path: string;
    public readonly retryAfterMs?: number;

    constructor(init: GraphErrorInit) {
        const codePart = init.code !== undefined ? ` ${init.code}` : "";
        const msgPart = init.graphMessage !== undefined ? `: ${init.graphMessage}` : "";
        super(
            `Graph ${init.method} ${init.path} failed: ${init.status}${codePart}${msgPart}` +
                correlation(init.requestId, init.clientRequestId),
        );
        this.status = init.status;
        this.code = init.code;
        this.graphMessage = init.graphMessage;
        this.requestId = init.requestId;
        this.clientRequestId = init.clientRequestId;
        this.method = init.method;
        this.path = init.path;
        this.retryAfterMs = init.retryAfterMs;
    }

    /** True when `x` is a GraphError from any copy of this module. */
    public static isInstance(x: unknown): x is GraphError {
        return x !== null && typeof x === "object" && (x as Record<string, unknown>)["__msgraphGraphError"] === true;
    }

    [inspect.custom](): string {
        return `${this.name}: ${this.message}`;
    }
}

/** Fields of a {@link GraphOutcomeUnknownError}. */
export interface GraphOutcomeUnknownErrorInit {
    readonly method: string;
    readonly path: string;
    readonly clientRequestId: string;
    /** What happened after the request was sent: e.g. `ECONNRESET`, `ETIMEDOUT`, `502`. */
    readonly reason: string;
    readonly status?: number;
    readonly code?: string;
    readonly requestId?: string;
}

/**
 * A non-idempotent request (POST) was sent, and then the connection broke, timed out, or the server answered 5xx:
 * Graph may or may not have applied it. Callers should read back (e.g. list assignments) before creating again.
 */
export class GraphOutcomeUnknownError extends Error {
    public readonly __msgraphGraphOutcomeUnknownError = true;
    public override readonly name = "GraphOutcomeUnknownError";
    public readonly method: string;
    public readonly path: string;
    public readonly clientRequestId: string;
    public readonly reason: string;
    public readonly status?: number;
    public readonly code?: string;
    public readonly requestId?: string;

    constructor(init: GraphOutcomeUnknownErrorInit) {
        super(
            `Graph ${init.method} ${init.path}: outcome unknown after ${init.reason}; ` +
                `the request was sent and may or may not have been applied` +
                correlation(init.requestId, init.clientRequestId),
        );
        this.method = init.method;
        this.path = init.path;
        this.clientRequestId = init.clientRequestId;
        this.reason = init.reason;
        this.status = init.status;
        this.code = init.code;
        this.requestId = init.requestId;
    }

    public static isInstance(x: unknown): x is GraphOutcomeUnknownError {
        return (
            x !== null &&
            typeof x === "object" &&
            (x as Record<string, unknown>)["__msgraphGraphOutcomeUnknownError"] === true
        );
    }

    [inspect.custom](): string {
        return `${this.name}: ${this.message}`;
    }
}

/** Fields of a {@link GraphNetworkError}. */
export interface GraphNetworkErrorInit {
    readonly method: string;
    readonly path: string;
    readonly clientRequestId: string;
    /** Node/got error code such as `ECONNREFUSED`, `ETIMEDOUT`, `DEPTH_ZERO_SELF_SIGNED_CERT`. */
    readonly code: string;
    /** Total attempts made. */
    readonly attempts: number;
}

/** No HTTP answer could be obtained (after retries, when the failure was retryable). */
export class GraphNetworkError extends Error {
    public readonly __msgraphGraphNetworkError = true;
    public override readonly name = "GraphNetworkError";
    public readonly method: string;
    public readonly path: string;
    public readonly clientRequestId: string;
    public readonly code: string;
    public readonly attempts: number;

    constructor(init: GraphNetworkErrorInit) {
        super(
            `Graph ${init.method} ${init.path} failed: network error ${init.code} after ` +
                `${init.attempts} attempt${init.attempts === 1 ? "" : "s"}` +
                correlation(undefined, init.clientRequestId),
        );
        this.method = init.method;
        this.path = init.path;
        this.clientRequestId = init.clientRequestId;
        this.code = init.code;
        this.attempts = init.attempts;
    }

    public static isInstance(x: unknown): x is GraphNetworkError {
        return x !== null && typeof x === "object" && (x as Record<string, unknown>)["__msgraphGraphNetworkError"] === true;
    }

    [inspect.custom](): string {
        return `${this.name}: ${this.message}`;
    }
}

/** True when `err` is a {@link GraphError} with status 404. */
export function isNotFound(err: unknown): boolean {
    return GraphError.isInstance(err) && err.status === 404;
}

/** True when `err` is a {@link GraphError} with status 429 (throttled even after retries). */
export function isThrottled(err: unknown): boolean {
    return GraphError.isInstance(err) && err.status === 429;
}
