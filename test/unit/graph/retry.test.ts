import assert from "node:assert/strict";
import {
    attemptCapStrategy,
    authRefreshStrategy,
    certainlyNotProcessed,
    decideRetry,
    defaultStrategies,
    exponentialDelayMs,
    isIdempotent,
    parseRetryAfterMs,
    throttlingStrategy,
    transientStrategy,
    type RetryContext,
} from "../../../provider/graph/retry";

const fixed = (r: number) => () => r;

function resp(status: number, headers: Record<string, string> = {}): RetryContext["response"] {
    return { status, headers };
}

describe("parseRetryAfterMs", () => {
    it("reads retry-after-ms first", () => {
        assert.equal(parseRetryAfterMs({ "retry-after-ms": "250", "x-ms-retry-after-ms": "900", "retry-after": "7" }), 250);
    });
    it("reads x-ms-retry-after-ms before Retry-After", () => {
        assert.equal(parseRetryAfterMs({ "x-ms-retry-after-ms": "900", "retry-after": "7" }), 900);
    });
    it("reads Retry-After integer seconds", () => {
        assert.equal(parseRetryAfterMs({ "retry-after": "7" }), 7000);
    });
    it("reads Retry-After fractional seconds", () => {
        assert.equal(parseRetryAfterMs({ "retry-after": "2.128" }), 2128);
    });
    it("reads Retry-After as an HTTP date relative to now", () => {
        const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
        assert.equal(parseRetryAfterMs({ "Retry-After": "Wed, 21 Oct 2015 07:28:10 GMT" }, now), 10_000);
    });
    it("gives 0 for an HTTP date in the past", () => {
        const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
        assert.equal(parseRetryAfterMs({ "retry-after": "Wed, 21 Oct 2015 07:27:00 GMT" }, now), 0);
    });
    it("is case-insensitive on header names and takes the first of an array", () => {
        assert.equal(parseRetryAfterMs({ "Retry-After": ["3", "9"] } as never), 3000);
    });
    it("ignores absent or garbage values", () => {
        assert.equal(parseRetryAfterMs({}), undefined);
        assert.equal(parseRetryAfterMs({ "retry-after": "soon" }), undefined);
        assert.equal(parseRetryAfterMs({ "retry-after-ms": "-5", "retry-after": "1" }), 1000);
    });
});

describe("exponentialDelayMs", () => {
    it("stays within [0.5, 1] of min(max, base*2^attempt)", () => {
        const opts = { baseDelayMs: 1000, maxDelayMs: 30_000 };
        assert.equal(exponentialDelayMs(0, { ...opts, random: fixed(0) }), 500);
        assert.equal(exponentialDelayMs(0, { ...opts, random: fixed(0.999999) }), 1000);
        assert.equal(exponentialDelayMs(3, { ...opts, random: fixed(0) }), 4000);
        assert.equal(exponentialDelayMs(3, { ...opts, random: fixed(0.999999) }), 8000);
        for (let i = 0; i < 200; i++) {
            const d = exponentialDelayMs(2, opts);
            assert.ok(d >= 2000 && d <= 4000, `delay ${d}`);
        }
    });
    it("caps at maxDelayMs", () => {
        assert.equal(exponentialDelayMs(20, { baseDelayMs: 1000, maxDelayMs: 30_000, random: fixed(0.999999) }), 30_000);
        assert.equal(exponentialDelayMs(20, { baseDelayMs: 1000, maxDelayMs: 30_000, random: fixed(0) }), 15_000);
    });
});

describe("isIdempotent", () => {
    it("treats POST as non-idempotent unless overridden", () => {
        assert.equal(isIdempotent("post"), false);
        assert.equal(isIdempotent("POST", true), true);
        for (const m of ["GET", "PATCH", "DELETE", "PUT"]) assert.equal(isIdempotent(m), true);
        assert.equal(isIdempotent("PATCH", false), false);
    });
});

describe("attemptCapStrategy", () => {
    it("fails once the budget is spent", () => {
        const s = attemptCapStrategy({ maxRetries: 2 });
        assert.equal(s({ attempt: 1, method: "GET" }), undefined);
        assert.deepEqual(s({ attempt: 2, method: "GET" }), { action: "fail" });
    });
    it("respects an explicit maxRetries of 0", () => {
        const d = decideRetry({ attempt: 0, method: "GET", response: resp(429, { "retry-after": "1" }) }, defaultStrategies({ maxRetries: 0 }));
        assert.deepEqual(d, { action: "fail" });
    });
    it("defaults to 6 retries", () => {
        const strategies = defaultStrategies({ random: fixed(0) });
        assert.equal(decideRetry({ attempt: 5, method: "GET", response: resp(503) }, strategies).action, "retry");
        assert.equal(decideRetry({ attempt: 6, method: "GET", response: resp(503) }, strategies).action, "fail");
    });
});

describe("throttlingStrategy", () => {
    const s = throttlingStrategy({ random: fixed(0), baseDelayMs: 1000 });
    it("honours Retry-After on 429", () => {
        assert.deepEqual(s({ attempt: 0, method: "GET", response: resp(429, { "retry-after": "2.128" }) }), { action: "retry", delayMs: 2128 });
    });
    it("honours Retry-After on 503", () => {
        assert.deepEqual(s({ attempt: 0, method: "GET", response: resp(503, { "retry-after": "4" }) }), { action: "retry", delayMs: 4000 });
    });
    it("leaves 503 without a header to the transient strategy", () => {
        assert.equal(s({ attempt: 0, method: "GET", response: resp(503) }), undefined);
    });
    it("backs off exponentially on 429 without a header", () => {
        assert.deepEqual(s({ attempt: 2, method: "GET", response: resp(429) }), { action: "retry", delayMs: 2000 });
    });
    it("caps a single wait at maxRetryAfterMs", () => {
        const capped = throttlingStrategy({ maxRetryAfterMs: 60_000 });
        assert.deepEqual(capped({ attempt: 0, method: "GET", response: resp(429, { "retry-after": "3600" }) }), { action: "retry", delayMs: 60_000 });
    });
    it("retries a POST answered 429 (not processed)", () => {
        const d = decideRetry({ attempt: 0, method: "POST", response: resp(429, { "retry-after": "1" }) }, defaultStrategies());
        assert.deepEqual(d, { action: "retry", delayMs: 1000 });
    });
    it("ignores other statuses", () => {
        assert.equal(s({ attempt: 0, method: "GET", response: resp(500, { "retry-after": "1" }) }), undefined);
    });
});

describe("transientStrategy", () => {
    const s = transientStrategy({ random: fixed(0), baseDelayMs: 100 });
    it("retries idempotent requests on 500/502/503/504/408", () => {
        for (const status of [408, 500, 502, 503, 504]) {
            assert.deepEqual(s({ attempt: 1, method: "PATCH", response: resp(status) }), { action: "retry", delayMs: 100 });
        }
    });
    it("does not claim 4xx or 501", () => {
        for (const status of [400, 401, 403, 404, 409, 501]) {
            assert.equal(s({ attempt: 0, method: "GET", response: resp(status) }), undefined);
        }
    });
    it("retries idempotent requests on network errors", () => {
        for (const code of ["ECONNRESET", "ETIMEDOUT", "EPIPE", "ECONNREFUSED"]) {
            assert.equal(s({ attempt: 0, method: "DELETE", error: { code } })?.action, "retry");
        }
    });
    it("does not claim unknown transport errors such as TLS failures", () => {
        assert.equal(s({ attempt: 0, method: "GET", error: { code: "DEPTH_ZERO_SELF_SIGNED_CERT" } }), undefined);
        assert.equal(s({ attempt: 0, method: "POST", error: { code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE", notSent: true } }), undefined);
    });
    it("fails a POST after it was sent (reset, timeout, 5xx)", () => {
        assert.deepEqual(s({ attempt: 0, method: "POST", error: { code: "ECONNRESET" } }), { action: "fail" });
        assert.deepEqual(s({ attempt: 0, method: "POST", error: { code: "ETIMEDOUT" } }), { action: "fail" });
        assert.deepEqual(s({ attempt: 0, method: "POST", response: resp(502) }), { action: "fail" });
        assert.deepEqual(s({ attempt: 0, method: "POST", response: resp(500) }), { action: "fail" });
    });
    it("retries a POST that certainly did not reach the server", () => {
        assert.equal(s({ attempt: 0, method: "POST", error: { code: "ECONNREFUSED" } })?.action, "retry");
        assert.equal(s({ attempt: 0, method: "POST", error: { code: "ENOTFOUND" } })?.action, "retry");
        assert.equal(s({ attempt: 0, method: "POST", error: { code: "ETIMEDOUT", notSent: true } })?.action, "retry");
    });
    it("fails a POST answered 503 (with or without Retry-After): its outcome is unknown, not 'not processed'", () => {
        assert.deepEqual(s({ attempt: 0, method: "POST", response: resp(503) }), { action: "fail" });
        const chain = defaultStrategies({ random: fixed(0) });
        assert.deepEqual(decideRetry({ attempt: 0, method: "POST", response: resp(503) }, chain), { action: "fail" });
        assert.deepEqual(decideRetry({ attempt: 0, method: "POST", response: resp(503, { "retry-after": "1" }) }, chain), { action: "fail" });
    });
    it("still retries an idempotent POST (assign) and a GET answered 503", () => {
        const chain = defaultStrategies({ random: fixed(0) });
        assert.equal(decideRetry({ attempt: 0, method: "POST", idempotent: true, response: resp(503) }, chain).action, "retry");
        assert.deepEqual(decideRetry({ attempt: 0, method: "POST", idempotent: true, response: resp(503, { "retry-after": "2" }) }, chain), { action: "retry", delayMs: 2000 });
        assert.deepEqual(decideRetry({ attempt: 0, method: "GET", response: resp(503, { "retry-after": "2" }) }, chain), { action: "retry", delayMs: 2000 });
    });
    it("retries a POST marked idempotent after a reset", () => {
        assert.equal(s({ attempt: 0, method: "POST", idempotent: true, error: { code: "ECONNRESET" } })?.action, "retry");
    });
});

describe("certainlyNotProcessed", () => {
    it("is true for connect errors and 429, false otherwise (a 503 included)", () => {
        assert.equal(certainlyNotProcessed({ attempt: 0, method: "POST", error: { code: "ECONNREFUSED" } }), true);
        assert.equal(certainlyNotProcessed({ attempt: 0, method: "POST", response: resp(429) }), true);
        assert.equal(certainlyNotProcessed({ attempt: 0, method: "POST", response: resp(503) }), false);
        assert.equal(certainlyNotProcessed({ attempt: 0, method: "POST", error: { code: "ECONNRESET" } }), false);
        assert.equal(certainlyNotProcessed({ attempt: 0, method: "POST", response: resp(504) }), false);
    });
});

describe("authRefreshStrategy", () => {
    const s = authRefreshStrategy();
    it("retries a 401 InvalidAuthenticationToken once with a refreshed token", () => {
        const ctx = { attempt: 0, method: "POST", response: { status: 401, headers: {}, code: "InvalidAuthenticationToken" } };
        assert.deepEqual(s(ctx), { action: "retry", delayMs: 0, refreshToken: true });
        assert.deepEqual(s({ ...ctx, tokenRefreshed: true }), { action: "fail" });
    });
    it("fails other 401 codes", () => {
        assert.deepEqual(s({ attempt: 0, method: "GET", response: { status: 401, headers: {}, code: "Unauthorized_Other" } }), { action: "fail" });
    });
});

describe("decideRetry", () => {
    it("fails when no strategy claims the failure", () => {
        assert.deepEqual(decideRetry({ attempt: 0, method: "GET", response: resp(400) }, defaultStrategies()), { action: "fail" });
    });
});

describe("attemptCapStrategy under throttling", () => {
    const throttled = (attempt: number) => ({ attempt, method: "POST", response: { status: 429, headers: { "retry-after": "1" } } });
    it("keeps retrying a 429 past the ordinary cap, up to the throttling cap", () => {
        const strategies = defaultStrategies({ maxRetries: 6 });
        assert.equal(decideRetry(throttled(10), strategies).action, "retry");
        assert.equal(decideRetry(throttled(30), strategies).action, "fail");
    });
    it("respects an explicit maxRetries 0 and an explicit throttling cap", () => {
        assert.equal(decideRetry(throttled(0), defaultStrategies({ maxRetries: 0 })).action, "fail");
        assert.equal(decideRetry(throttled(3), defaultStrategies({ maxThrottledRetries: 3 })).action, "retry", "never below maxRetries");
        assert.equal(decideRetry(throttled(6), defaultStrategies({ maxThrottledRetries: 3 })).action, "fail");
    });
});
