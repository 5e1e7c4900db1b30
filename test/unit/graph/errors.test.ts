import assert from "node:assert/strict";
import { inspect } from "node:util";
import {
    GraphError,
    GraphNetworkError,
    GraphOutcomeUnknownError,
    MAX_GRAPH_MESSAGE_LENGTH,
    isNotFound,
    parseGraphErrorBody,
    unwrapIntuneMessage,
} from "../../../provider/graph/errors";

describe("parseGraphErrorBody", () => {
    it("reads code, message and innerError ids", () => {
        const body = JSON.stringify({
            error: {
                code: "BadRequest",
                message: "Invalid target",
                innerError: { date: "2026-01-01T00:00:00", "request-id": "req-1", "client-request-id": "cli-1" },
            },
        });
        assert.deepEqual(parseGraphErrorBody(body), {
            code: "BadRequest",
            message: "Invalid target",
            requestId: "req-1",
            clientRequestId: "cli-1",
            date: "2026-01-01T00:00:00",
        });
    });
    it("extracts the inner Message of Intune's escaped-JSON message", () => {
        const inner = {
            _version: 3,
            Message: "An error has occurred - Operation ID (for customer support): 0000 - Activity ID: 1111",
            CustomApiErrorPhrase: "",
            RetryAfter: null,
            ErrorSourceService: "",
            HttpHeaders: "{}",
        };
        const body = JSON.stringify({ error: { code: "ResourceNotFound", message: JSON.stringify(inner, null, 2) } });
        const parsed = parseGraphErrorBody(body);
        assert.equal(parsed.code, "ResourceNotFound");
        assert.equal(parsed.message, inner.Message);
    });
    it("keeps a prefix before Intune's JSON", () => {
        assert.equal(unwrapIntuneMessage('Operation failed: {"Message":"bad filter"}'), "Operation failed: bad filter");
    });
    it("returns {} for a missing, empty, non-JSON or odd body", () => {
        assert.deepEqual(parseGraphErrorBody(undefined), {});
        assert.deepEqual(parseGraphErrorBody(""), {});
        assert.deepEqual(parseGraphErrorBody("<html>502 Bad Gateway</html>"), {});
        assert.deepEqual(parseGraphErrorBody('{"error":"nope"}'), {});
        assert.deepEqual(parseGraphErrorBody("null"), {});
    });
    it("caps and flattens long messages", () => {
        const body = JSON.stringify({ error: { code: "X", message: "line1\r\nline2 " + "a".repeat(5000) } });
        const m = parseGraphErrorBody(body).message ?? "";
        assert.ok(m.length <= MAX_GRAPH_MESSAGE_LENGTH);
        assert.ok(m.startsWith("line1 line2 "));
    });
});

describe("GraphError", () => {
    const e = new GraphError({
        status: 400,
        method: "PATCH",
        path: "/deviceManagement/groupPolicyConfigurations/p/assignments/a",
        code: "BadRequest",
        graphMessage: "Invalid target",
        requestId: "req-1",
        clientRequestId: "cli-1",
    });
    it("reads method, path, status, code, message and ids", () => {
        assert.equal(
            e.message,
            "Graph PATCH /deviceManagement/groupPolicyConfigurations/p/assignments/a failed: 400 BadRequest: Invalid target (request-id: req-1, client-request-id: cli-1)",
        );
        assert.equal(e.name, "GraphError");
    });
    it("reads well without a body", () => {
        const bare = new GraphError({ status: 502, method: "GET", path: "/x", clientRequestId: "c" });
        assert.equal(bare.message, "Graph GET /x failed: 502 (client-request-id: c)");
    });
    it("is recognized by isInstance across module copies (brand, not instanceof)", () => {
        assert.equal(GraphError.isInstance(e), true);
        assert.equal(GraphError.isInstance({ ...e, __msgraphGraphError: true }), true);
        assert.equal(GraphError.isInstance(new Error("x")), false);
        assert.equal(GraphError.isInstance(undefined), false);
    });
    it("inspects as its message only", () => {
        assert.equal(inspect(e), `GraphError: ${e.message}`);
    });
});

describe("isNotFound", () => {
    it("is true only for GraphError 404", () => {
        assert.equal(isNotFound(new GraphError({ status: 404, method: "GET", path: "/x" })), true);
        assert.equal(isNotFound(new GraphError({ status: 400, method: "GET", path: "/x" })), false);
        assert.equal(isNotFound({ status: 404 }), false);
    });
});

describe("GraphOutcomeUnknownError and GraphNetworkError", () => {
    it("name the request and say the outcome is unknown", () => {
        const u = new GraphOutcomeUnknownError({ method: "POST", path: "/p/assignments", clientRequestId: "c1", reason: "ECONNRESET" });
        assert.match(u.message, /^Graph POST \/p\/assignments: outcome unknown after ECONNRESET/);
        assert.match(u.message, /client-request-id: c1/);
        assert.equal(GraphOutcomeUnknownError.isInstance(u), true);
        assert.equal(GraphError.isInstance(u), false);
        const n = new GraphNetworkError({ method: "GET", path: "/x", clientRequestId: "c2", code: "ECONNREFUSED", attempts: 3 });
        assert.equal(n.message, "Graph GET /x failed: network error ECONNREFUSED after 3 attempts (client-request-id: c2)");
        assert.equal(GraphNetworkError.isInstance(n), true);
    });
});
