/**
 * Retry decisions as small pure functions. The client's loop builds a {@link RetryContext} after every failed attempt
 * and applies {@link decideRetry}; every decision is testable without a network.
 */

/** What a strategy sees after one failed attempt. */
export interface RetryContext {
    /** Retries already made for this logical request: 0 after the first attempt failed. */
    readonly attempt: number;
    /** HTTP method, upper case. */
    readonly method: string;
    /** Overrides the method's idempotency (e.g. a POST action that replaces a whole list is idempotent). */
    readonly idempotent?: boolean;
    /** The answer, when there was one. */
    readonly response?: {
        readonly status: number;
        readonly headers: Readonly<Record<string, string | string[] | undefined>>;
        /** Graph `error.code` when the body was parsed. */
        readonly code?: string;
    };
    /** The transport failure, when there was no answer. */
    readonly error?: {
        /** Node/got code: ECONNRESET, ECONNREFUSED, ETIMEDOUT, ... */
        readonly code?: string;
        /**
         * Set by the client when it knows the request never left (no TCP/TLS connection was established). It makes a
         * transient error safe to retry for a POST; it does not make a permanent error (e.g. a TLS failure) transient.
         */
        readonly notSent?: boolean;
    };
    /** True once the token was force-refreshed for this request (401 is then final). */
    readonly tokenRefreshed?: boolean;
}

/** Retry after `delayMs`; `refreshToken` asks the loop to force-refresh the bearer token first. */
export interface RetryAfterDecision {
    readonly action: "retry";
    readonly delayMs: number;
    readonly refreshToken?: boolean;
}

/** Stop: the failure is final. */
export interface FailDecision {
    readonly action: "fail";
}

export type RetryDecision = RetryAfterDecision | FailDecision;

/** A strategy answers `undefined` when the failure is "not mine". */
export type RetryStrategy = (ctx: RetryContext) => RetryDecision | undefined;

/** Tunables shared by the strategies. */
export interface RetryOptions {
    /** Retries after the first attempt. Default {@link DEFAULT_MAX_RETRIES}; an explicit 0 disables retries. */
    readonly maxRetries?: number;
    /**
     * Cap on retries while Graph answers 429 (default 30, or 0 when maxRetries is explicitly 0). Throttling means
     * "not processed, come back later": under Intune's per-tenant write limits a pipeline must wait its turn, not
     * give up after a handful of tries.
     */
    readonly maxThrottledRetries?: number;
    /** Base of the exponential back-off, ms. Default 1000. */
    readonly baseDelayMs?: number;
    /** Cap of one exponential back-off step, ms. Default 30 000. */
    readonly maxDelayMs?: number;
    /** Cap of one server-advertised wait, ms: a longer Retry-After waits the cap. Default 60 000. */
    readonly maxRetryAfterMs?: number;
    /** Random source in [0, 1) for jitter. Default Math.random. */
    readonly random?: () => number;
    /** Clock for HTTP-date Retry-After, ms since epoch. Default Date.now. */
    readonly now?: () => number;
}

export const DEFAULT_MAX_RETRIES = 6;
export const DEFAULT_BASE_DELAY_MS = 1000;
export const DEFAULT_MAX_DELAY_MS = 30_000;
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/** Methods that may be repeated safely. */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"]);

/** True when the request may be repeated after it possibly reached the server. */
export function isIdempotent(method: string, override?: boolean): boolean {
    return override ?? IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/** Transport errors before any byte was sent: safe to retry even a POST. */
export const CONNECT_ERROR_CODES: ReadonlySet<string> = new Set([
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "ENETUNREACH",
    "EHOSTUNREACH",
]);

/** Transport errors worth retrying. */
export const TRANSIENT_ERROR_CODES: ReadonlySet<string> = new Set([
    ...CONNECT_ERROR_CODES,
    "ECONNRESET",
    "ETIMEDOUT",
    "ESOCKETTIMEDOUT",
    "EPIPE",
    "ECONNABORTED",
    "ERR_HTTP_CONTENT_LENGTH_MISMATCH",
    "ERR_STREAM_PREMATURE_CLOSE",
]);

/** Statuses worth retrying for idempotent requests. 501/505 are not transient. */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 500, 502, 503, 504]);

/**
 * True when the request certainly was not processed: a connect error, or a 429 answer. A 5xx (503 included) is not
 * proof: a gateway or a busy front end can answer 503 after the service behind it applied the request.
 */
export function certainlyNotProcessed(ctx: RetryContext): boolean {
    if (ctx.response !== undefined) {
        return ctx.response.status === 429;
    }
    if (ctx.error !== undefined) {
        return ctx.error.notSent === true || CONNECT_ERROR_CODES.has(ctx.error.code ?? "");
    }
    return false;
}

/** Response headers as Node presents them. */
export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

function header(headers: ResponseHeaders, name: string): string | undefined {
    for (const [k, v] of Object.entries(headers)) {
        if (k.toLowerCase() === name) {
            const s = Array.isArray(v) ? v[0] : v;
            return s === undefined ? undefined : String(s).trim();
        }
    }
    return undefined;
}

/**
 * Server-advertised delay in ms: `retry-after-ms`, then `x-ms-retry-after-ms`, then `Retry-After`
 * (integer or fractional seconds such as "2.128", or an HTTP date). Undefined when absent or unparseable.
 * A date in the past gives 0.
 */
export function parseRetryAfterMs(
    headers: ResponseHeaders,
    now: number = Date.now(),
): number | undefined {
    for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
        const v = header(headers, name);
        if (v !== undefined && /^\d+(\.\d+)?$/.test(v)) {
            return Math.ceil(Number(v));
        }
    }
    const ra = header(headers, "retry-after");
    if (ra === undefined || ra === "") {
        return undefined;
    }
    if (/^\d+(\.\d+)?$/.test(ra)) {
        return Math.ceil(Number(ra) * 1000);
    }
    const date = Date.parse(ra);
    if (Number.isNaN(date)) {
        return undefined;
    }
    return Math.max(0, date - now);
}

/** Jittered capped exponential back-off: `min(maxDelay, base * 2^attempt) * random[0.5, 1)`. */
export function exponentialDelayMs(attempt: number, options: RetryOptions = {}): number {
    const base = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    const max = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    const random = options.random ?? Math.random;
    const capped = Math.min(max, base * 2 ** Math.max(0, attempt));
    return Math.round(capped * (0.5 + 0.5 * random()));
}

/** Default cap on retries of throttled (429) requests. */
export const DEFAULT_MAX_THROTTLED_RETRIES = 30;

/** Stops when the attempt budget is spent (the larger throttling budget while Graph answers 429). */
export function attemptCapStrategy(options: RetryOptions = {}): RetryStrategy {
    const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    const maxThrottled = options.maxThrottledRetries ?? (options.maxRetries === 0 ? 0 : DEFAULT_MAX_THROTTLED_RETRIES);
    return (ctx) => {
        const cap = ctx.response?.status === 429 ? Math.max(maxRetries, maxThrottled) : maxRetries;
        return ctx.attempt >= cap ? { action: "fail" } : undefined;
    };
}

/** 401 InvalidAuthenticationToken (or any 401 without a code): retry once at once with a force-refreshed token. */
export function authRefreshStrategy(): RetryStrategy {
    return (ctx) => {
        if (ctx.response?.status !== 401) return undefined;
        if (ctx.tokenRefreshed === true) return { action: "fail" };
        const code = ctx.response.code;
        if (code === undefined || code === "InvalidAuthenticationToken" || code === "TokenExpired") {
            return { action: "retry", delayMs: 0, refreshToken: true };
        }
        return { action: "fail" };
    };
}

/**
 * Throttling: 429 (any request: it was not processed), and 503 with a retry-after header for a request that may be
 * repeated. Honours the advertised delay, capped at `maxRetryAfterMs`; a 429 without a header falls back to
 * exponential back-off. A non-idempotent request answered 503 is left to the transient strategy, which fails it:
 * its outcome is unknown (the caller reads back before sending it again).
 */
export function throttlingStrategy(options: RetryOptions = {}): RetryStrategy {
    const cap = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    return (ctx) => {
        const r = ctx.response;
        if (r === undefined || (r.status !== 429 && r.status !== 503)) return undefined;
        if (r.status === 503 && !isIdempotent(ctx.method, ctx.idempotent)) return undefined;
        const advertised = parseRetryAfterMs(r.headers, (options.now ?? Date.now)());
        if (advertised !== undefined) {
            return { action: "retry", delayMs: Math.min(cap, advertised) };
        }
        if (r.status === 429) {
            return { action: "retry", delayMs: exponentialDelayMs(ctx.attempt, options) };
        }
        return undefined; // 503 without a header: transient
    };
}

/**
 * Transient failures: statuses 408/500/502/503/504 and transport errors (reset, timeout, broken pipe, refused, DNS).
 * Jittered exponential back-off. A non-idempotent request is retried only when it certainly was not processed
 * (connect errors); after any 5xx the answer is "fail" and the caller reports an unknown outcome.
 */
export function transientStrategy(options: RetryOptions = {}): RetryStrategy {
    return (ctx) => {
        const transient =
            (ctx.response !== undefined && TRANSIENT_STATUSES.has(ctx.response.status)) ||
            (ctx.response === undefined && ctx.error !== undefined && TRANSIENT_ERROR_CODES.has(ctx.error.code ?? ""));
        if (!transient) return undefined;
        if (!isIdempotent(ctx.method, ctx.idempotent) && !certainlyNotProcessed(ctx)) {
            return { action: "fail" };
        }
        return { action: "retry", delayMs: exponentialDelayMs(ctx.attempt, options) };
    };
}

/**
 * The default chain, in order: token refresh (at most once, not counted against the cap), attempt cap,
 * throttling, transient.
 */
export function defaultStrategies(options: RetryOptions = {}): RetryStrategy[] {
    return [authRefreshStrategy(), attemptCapStrategy(options), throttlingStrategy(options), transientStrategy(options)];
}

/** Applies strategies in order; the first answer wins; no answer means "fail". */
export function decideRetry(ctx: RetryContext, strategies: readonly RetryStrategy[]): RetryDecision {
    for (const s of strategies) {
        const d = s(ctx);
        if (d !== undefined) return d;
    }
    return { action: "fail" };
}
