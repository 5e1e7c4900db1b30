import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { GraphClient, type GraphClientOptions, type LogEntry } from "../../../provider/graph/client";
import { GraphError, GraphNetworkError, GraphOutcomeUnknownError, isNotFound } from "../../../provider/graph/errors";

interface Seen {
    method: string;
    url: string;
    headers: http.IncomingHttpHeaders;
    body: string;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

const TOKEN = "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJncmFwaCJ9.c2lnbmF0dXJlLXNlY3JldA";

function json(res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "content-type": "application/json", "request-id": `req-${status}`, ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
}

/**
 * A 429's wait goes through the client's throttle gate, which sleeps until the advertised time: the advertised delay
 * less the few milliseconds that passed between the answer and the next turn.
 */
function assertWaited(delays: readonly number[], advertisedMs: number): void {
    assert.equal(delays.length, 1, `one wait: ${JSON.stringify(delays)}`);
    assert.ok(delays[0]! <= advertisedMs && delays[0]! >= advertisedMs - 50, `waited ${delays[0]} ms for an advertised ${advertisedMs} ms`);
}

describe("GraphClient", function () {
    this.timeout(10_000);
    let server: http.Server;
    let baseUrl: string;
    let seen: Seen[];
    let handlers: Handler[];
    let delays: number[];
    let logs: LogEntry[];
    const clients: GraphClient[] = [];

    before(async () => {
        server = http.createServer((req, res) => {
            let body = "";
            req.setEncoding("utf8");
            req.on("data", (c: string) => (body += c));
            req.on("end", () => {
                seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
                const h = handlers.shift();
                if (h === undefined) {
                    json(res, 200, { ok: true });
                } else {
                    h(req, res, body);
                }
            });
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    after(async () => {
        for (const c of clients) c.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    beforeEach(() => {
        seen = [];
        handlers = [];
        delays = [];
        logs = [];
    });

    function makeClient(overrides: Partial<GraphClientOptions> = {}): GraphClient {
        const c = new GraphClient({
            graphBaseUrl: baseUrl,
            allowInsecureHttp: true,
            getToken: async () => TOKEN,
            sleep: async (ms) => {
                delays.push(ms);
            },
            random: () => 0,
            baseDelayMs: 100,
            timeoutMs: 5000,
            logger: (e) => logs.push(e),
            ...overrides,
        });
        clients.push(c);
        return c;
    }

    it("refuses http unless allowInsecureHttp is set", () => {
        assert.throws(() => new GraphClient({ graphBaseUrl: baseUrl, getToken: async () => TOKEN }), /https/);
    });

    it("sends the bearer token, JSON body and Graph headers under the version root", async () => {
        handlers.push((_req, res) => json(res, 201, { id: "a1" }));
        const r = await makeClient().post<{ id: string }>("/deviceManagement/x/assignments", { target: { "@odata.type": "#t" } });
        assert.equal(r.status, 201);
        assert.deepEqual(r.body, { id: "a1" });
        assert.equal(r.requestId, "req-201");
        assert.equal(seen.length, 1);
        const s = seen[0]!;
        assert.equal(s.method, "POST");
        assert.equal(s.url, "/beta/deviceManagement/x/assignments");
        assert.equal(s.headers["authorization"], `Bearer ${TOKEN}`);
        assert.equal(s.headers["content-type"], "application/json");
        assert.equal(s.headers["client-request-id"], r.clientRequestId);
        assert.equal(s.headers["return-client-request-id"], "true");
        assert.deepEqual(JSON.parse(s.body), { target: { "@odata.type": "#t" } });
    });

    it("returns an undefined body for 204", async () => {
        handlers.push((_req, res) => {
            res.writeHead(204);
            res.end();
        });
        const r = await makeClient().delete("/x/1");
        assert.equal(r.status, 204);
        assert.equal(r.body, undefined);
    });

    it("keeps client-request-id across retries of one request and changes it between requests", async () => {
        handlers.push((_req, res) => json(res, 503, { error: { code: "ServiceUnavailable", message: "busy" } }));
        handlers.push((_req, res) => json(res, 200, {}));
        const c = makeClient();
        const r1 = await c.get("/a");
        await c.get("/b");
        assert.equal(seen.length, 3);
        assert.equal(seen[0]!.headers["client-request-id"], seen[1]!.headers["client-request-id"]);
        assert.equal(seen[0]!.headers["client-request-id"], r1.clientRequestId);
        assert.notEqual(seen[2]!.headers["client-request-id"], seen[0]!.headers["client-request-id"]);
        assert.deepEqual(delays, [50]); // base 100 * 2^0 * (0.5 + 0.5*0)
    });

    it("retries 429 after the advertised delay", async () => {
        handlers.push((_req, res) =>
            json(res, 429, { error: { code: "TooManyRequests", message: "slow down" } }, { "retry-after": "2.128" }),
        );
        handlers.push((_req, res) => json(res, 200, { value: [] }));
        const r = await makeClient().get<{ value: unknown[] }>("/deviceManagement/x/assignments");
        assert.equal(r.status, 200);
        assertWaited(delays, 2128);
        assert.equal(seen.length, 2);
    });

    it("retries a POST answered 429", async () => {
        handlers.push((_req, res) => json(res, 429, undefined, { "retry-after-ms": "10" }));
        handlers.push((_req, res) => json(res, 201, { id: "x" }));
        const r = await makeClient().post("/p/assignments", { a: 1 });
        assert.equal(r.status, 201);
        assert.equal(seen.length, 2);
        assertWaited(delays, 10);
    });

    it("computes bodyAtSend right before each attempt, so what arrived during a 429 back-off is in the retry", async () => {
        handlers.push((_req, res) => json(res, 429, undefined, { "retry-after-ms": "10" }));
        handlers.push((_req, res) => json(res, 200, {}));
        const entries = ["first"];
        const client = makeClient({
            sleep: async (ms) => {
                delays.push(ms);
                entries.push("arrived during the back-off");
            },
        });
        const r = await client.post("/p/assign", undefined, { idempotent: true, bodyAtSend: () => ({ assignments: [...entries] }) });
        assert.equal(r.status, 200);
        assert.deepEqual(seen.map((s) => JSON.parse(s.body)), [
            { assignments: ["first"] },
            { assignments: ["first", "arrived during the back-off"] },
        ]);
    });

    it("refuses bodyAtSend on a request that may not be repeated", async () => {
        await assert.rejects(makeClient().post("/p/assignments", undefined, { bodyAtSend: () => ({}) }), /bodyAtSend needs an idempotent request/);
        assert.equal(seen.length, 0);
    });

    it("gives up on a POST whose connection is reset after the server got the body", async () => {
        handlers.push((req) => req.socket.destroy());
        await assert.rejects(makeClient().post("/p/assignments", { a: 1 }), (e: unknown) => {
            assert.ok(GraphOutcomeUnknownError.isInstance(e), String(e));
            assert.equal(e.method, "POST");
            assert.equal(e.path, "/p/assignments");
            assert.ok(!e.message.includes(TOKEN));
            return true;
        });
        assert.equal(seen.length, 1);
        assert.deepEqual(delays, []);
    });

    it("reports an unknown outcome for a POST answered 502", async () => {
        handlers.push((_req, res) => json(res, 502));
        await assert.rejects(makeClient().post("/p/assignments", {}), (e: unknown) => GraphOutcomeUnknownError.isInstance(e) && e.status === 502);
        assert.equal(seen.length, 1);
    });

    it("reports an unknown outcome for a create POST answered 503, even with Retry-After, sending it once", async () => {
        handlers.push((_req, res) => json(res, 503, { error: { code: "ServiceUnavailable", message: "busy" } }, { "retry-after": "1" }));
        await assert.rejects(makeClient().post("/p/assignments", {}), (e: unknown) => GraphOutcomeUnknownError.isInstance(e) && e.status === 503);
        assert.equal(seen.length, 1);
    });

    it("retries a PATCH whose connection is reset", async () => {
        handlers.push((req) => req.socket.destroy());
        handlers.push((_req, res) => {
            res.writeHead(204);
            res.end();
        });
        const r = await makeClient().patch("/p/assignments/a", { target: {} });
        assert.equal(r.status, 204);
        assert.equal(seen.length, 2);
        assert.equal(seen[0]!.headers["client-request-id"], seen[1]!.headers["client-request-id"]);
        assert.equal(delays.length, 1);
    });

    it("surfaces 404 as GraphError 404 with Graph's code and the request ids", async () => {
        handlers.push((_req, res) =>
            json(res, 404, { error: { code: "ResourceNotFound", message: '{"_version":3,"Message":"Not found: policy p"}' } }),
        );
        await assert.rejects(makeClient().get("/deviceManagement/groupPolicyConfigurations/p?$expand=assignments"), (e: unknown) => {
            assert.ok(GraphError.isInstance(e));
            assert.ok(isNotFound(e));
            assert.equal(e.code, "ResourceNotFound");
            assert.equal(e.graphMessage, "Not found: policy p");
            assert.equal(e.requestId, "req-404");
            assert.equal(e.clientRequestId, seen[0]!.headers["client-request-id"]);
            assert.equal(
                e.message,
                `Graph GET /deviceManagement/groupPolicyConfigurations/p?$expand=assignments failed: 404 ResourceNotFound: Not found: policy p (request-id: req-404, client-request-id: ${e.clientRequestId})`,
            );
            return true;
        });
        assert.equal(seen.length, 1);
    });

    it("does not retry a 400", async () => {
        handlers.push((_req, res) => json(res, 400, { error: { code: "BadRequest", message: "nope" } }));
        await assert.rejects(makeClient().patch("/x", {}), (e: unknown) => GraphError.isInstance(e) && e.status === 400);
        assert.equal(seen.length, 1);
    });

    it("stops after maxRetries and respects an explicit 0", async () => {
        for (let i = 0; i < 3; i++) handlers.push((_req, res) => json(res, 503));
        await assert.rejects(makeClient({ maxRetries: 2 }).get("/x"), (e: unknown) => GraphError.isInstance(e) && e.status === 503);
        assert.equal(seen.length, 3);
        seen = [];
        handlers.push((_req, res) => json(res, 429, undefined, { "retry-after": "1" }));
        await assert.rejects(makeClient({ maxRetries: 0 }).get("/x"), (e: unknown) => GraphError.isInstance(e) && e.status === 429 && e.retryAfterMs === 1000);
        assert.equal(seen.length, 1);
    });

    it("retries once with a new token after 401 InvalidAuthenticationToken, naming the rejected one", async () => {
        const calls: (string | undefined)[] = [];
        handlers.push((_req, res) => json(res, 401, { error: { code: "InvalidAuthenticationToken", message: "expired" } }));
        const c = makeClient({
            getToken: async (o) => {
                calls.push(o?.rejectedToken);
                return o?.rejectedToken === TOKEN ? "fresh-token-value" : TOKEN;
            },
        });
        const r = await c.get("/x");
        assert.equal(r.status, 200);
        assert.deepEqual(calls, [undefined, TOKEN]);
        assert.equal(seen[1]!.headers["authorization"], "Bearer fresh-token-value");
        assert.deepEqual(delays, []);
    });

    it("retries a POST refused at connect, then reports a network error", async () => {
        const probe = http.createServer();
        await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
        const port = (probe.address() as AddressInfo).port;
        await new Promise<void>((resolve) => probe.close(() => resolve()));
        const c = makeClient({ graphBaseUrl: `http://127.0.0.1:${port}`, maxRetries: 2 });
        await assert.rejects(c.post("/p/assignments", {}), (e: unknown) => {
            assert.ok(GraphNetworkError.isInstance(e), String(e));
            assert.equal(e.code, "ECONNREFUSED");
            assert.equal(e.attempts, 3);
            return true;
        });
        assert.equal(delays.length, 2);
    });

    it("never puts the token in logs or errors, and redacts query values in logs", async () => {
        handlers.push((_req, res) =>
            json(res, 400, { error: { code: "BadRequest", message: `bad token ${TOKEN}` } }),
        );
        await assert.rejects(makeClient().get("/x?$skiptoken=opaque&$top=1"), (e: unknown) => {
            assert.ok(GraphError.isInstance(e));
            assert.ok(!e.message.includes(TOKEN), e.message);
            assert.ok(!e.message.includes("opaque"), e.message);
            return true;
        });
        assert.ok(logs.length > 0);
        const all = JSON.stringify(logs);
        assert.ok(!all.includes(TOKEN));
        assert.ok(!all.includes("opaque"));
        assert.ok(!/authorization/i.test(all));
        assert.equal(logs[0]!.path, "/x?$skiptoken=REDACTED&$top=1");
    });

    it("accepts absolute URLs only under its version root", async () => {
        const c = makeClient();
        const r = await c.get(`${c.versionRoot}/x?$skiptoken=abc`);
        assert.equal(r.status, 200);
        assert.equal(seen[0]!.url, "/beta/x?$skiptoken=abc");
        await assert.rejects(c.get("https://evil.example/beta/x"), /absolute URLs/);
        assert.equal(seen.length, 1);
    });
});
