import assert from "node:assert/strict";
import { createAssignmentProvider } from "../../../provider/engine/assignmentProvider";
import { GraphError, GraphOutcomeUnknownError, type GraphClient } from "../../../provider/graph";
import { getDescription } from "../../../provider/model";

const POLICY = "2b6f0c7e-8a1d-4c8e-9f3a-5d7e1b2c3a4f";
const GROUP = "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f";
const COLLECTION = `/deviceManagement/groupPolicyConfigurations/${POLICY}/assignments`;
const description = getDescription("GroupPolicyConfigurationAssignment");
const target = { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: GROUP };
const inputs = { policyId: POLICY, target };

type Call = { method: string; path: string; body?: unknown };
type Answer = (call: Call) => unknown;

/** A scripted GraphClient: each call takes the next answer (a body to return or an error to throw). */
function scriptedClient(answers: Answer[]): { client: GraphClient; calls: Call[] } {
    const calls: Call[] = [];
    const respond = async (method: string, path: string, body?: unknown) => {
        const call = { method, path, ...(body === undefined ? {} : { body }) };
        calls.push(call);
        const answer = answers.shift();
        if (answer === undefined) throw new Error(`unexpected ${method} ${path}`);
        const result = answer(call);
        if (result instanceof Error) throw result;
        return { status: 200, body: result, clientRequestId: "c" };
    };
    const client = {
        get: (path: string) => respond("GET", path),
        post: (path: string, body?: unknown) => respond("POST", path, body),
        patch: (path: string, body: unknown) => respond("PATCH", path, body),
        delete: (path: string) => respond("DELETE", path),
    } as unknown as GraphClient;
    return { client, calls };
}

function graphError(status: number, method = "POST", code = "Conflict"): GraphError {
    return new GraphError({ status, method, path: COLLECTION, code });
}

function unknownOutcome(): GraphOutcomeUnknownError {
    return new GraphOutcomeUnknownError({ method: "POST", path: COLLECTION, clientRequestId: "c", reason: "a reset" });
}

const entity = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    lastModifiedDateTime: new Date().toISOString(),
    target: { ...target, deviceAndAppManagementAssignmentFilterType: "none", ...extra },
});

function provider(answers: Answer[]) {
    const scripted = scriptedClient(answers);
    const engine = createAssignmentProvider(description, { client: () => scripted.client, sleep: async () => {} });
    return { engine, calls: scripted.calls };
}

describe("createAssignmentProvider", () => {
    describe("create", () => {
        it("sends one POST and takes the id from the response", async () => {
            const { engine, calls } = provider([() => entity("a1")]);
            const result = await engine.create(inputs);
            assert.equal(result.id, "a1");
            assert.equal(result.outs.assignmentId, "a1");
            assert.deepEqual(calls.map((c) => c.method), ["POST"]);
        });

        it("adopts the occupant of the slot on 409, without a PATCH when it already matches", async () => {
            const { engine, calls } = provider([() => graphError(409), () => ({ value: [entity("other", { groupId: "0c9e8f7a-6b5d-4c3b-8a29-1e0f2d3c4b5a" }), entity("a1")] })]);
            const result = await engine.create(inputs);
            assert.equal(result.id, "a1");
            assert.deepEqual(calls.map((c) => c.method), ["POST", "GET"]);
        });

        it("corrects an adopted assignment with a minimal PATCH", async () => {
            const drifted = entity("a1", { deviceAndAppManagementAssignmentFilterType: "exclude", deviceAndAppManagementAssignmentFilterId: "9d8c7b6a-5f4e-4d3c-8b2a-190817263544" });
            const { engine, calls } = provider([() => graphError(409), () => ({ value: [drifted] }), (call) => ({ ...entity("a1"), ...(call.body as object) })]);
            await engine.create(inputs);
            assert.deepEqual(calls.map((c) => c.method), ["POST", "GET", "PATCH"]);
            assert.ok(calls[2]!.path.endsWith("/assignments/a1"));
            assert.deepEqual(Object.keys(calls[2]!.body as object).filter((k) => !k.startsWith("@odata")), ["target"]);
        });

        it("never re-sends a POST whose outcome is unknown when the assignment exists", async () => {
            const { engine, calls } = provider([() => unknownOutcome(), () => ({ value: [entity("a1")] })]);
            const result = await engine.create(inputs);
            assert.equal(result.id, "a1");
            assert.deepEqual(calls.map((c) => c.method), ["POST", "GET"]);
        });

        it("posts again only when the listing shows the unknown POST did not land", async () => {
            const { engine, calls } = provider([() => unknownOutcome(), () => ({ value: [] }), () => entity("a2")]);
            const result = await engine.create(inputs);
            assert.equal(result.id, "a2");
            assert.deepEqual(calls.map((c) => c.method), ["POST", "GET", "POST"]);
        });

        it("rethrows a 409 when no occupant can be found, and any other error as it is", async () => {
            await assert.rejects(provider([() => graphError(409), () => ({ value: [] })]).engine.create(inputs), /409/);
            await assert.rejects(provider([() => graphError(400, "POST", "BadRequest")]).engine.create(inputs), /400 BadRequest/);
        });
    });

    describe("read", () => {
        it("returns the live state as props and inputs", async () => {
            const { engine } = provider([() => entity("a1")]);
            const result = await engine.read!("a1", { ...inputs, assignmentId: "a1" });
            assert.equal(result.id, "a1");
            assert.deepEqual(Object.keys(result.inputs!).sort(), ["policyId", "target"]);
        });

        it("reports a 404 as gone", async () => {
            const { engine } = provider([() => graphError(404, "GET", "ResourceNotFound")]);
            assert.deepEqual(await engine.read!("a1", { ...inputs, lastModifiedDateTime: "2020-01-01T00:00:00Z" }), {});
        });

        it("waits out replication lag after a recent write before calling a 404 gone", async () => {
            const { engine, calls } = provider([() => graphError(404, "GET"), () => graphError(404, "GET"), () => entity("a1")]);
            const result = await engine.read!("a1", { ...inputs, lastModifiedDateTime: new Date().toISOString() });
            assert.equal(result.id, "a1");
            assert.equal(calls.length, 3);
        });

        it("fails on any other error instead of dropping the resource", async () => {
            const { engine } = provider([() => graphError(400, "GET", "BadRequest")]);
            await assert.rejects(engine.read!("a1", inputs), /400/);
        });
    });

    describe("update", () => {
        it("sends nothing when only normalisation differs", async () => {
            const { engine, calls } = provider([]);
            const upper = { policyId: POLICY.toUpperCase(), target: { ...target, "@odata.type": "microsoft.graph.groupAssignmentTarget", groupId: GROUP.toUpperCase() } };
            await engine.update!("a1", { ...inputs, assignmentId: "a1" }, upper);
            assert.deepEqual(calls, []);
        });

        it("sends one PATCH with only the changed target", async () => {
            const { engine, calls } = provider([(call) => ({ ...entity("a1"), ...(call.body as object) })]);
            const next = { policyId: POLICY, target: { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: GROUP } };
            const result = await engine.update!("a1", { ...inputs, assignmentId: "a1" }, next);
            assert.deepEqual(calls.map((c) => c.method), ["PATCH"]);
            assert.equal((result.outs.target as Record<string, unknown>)["@odata.type"], "#microsoft.graph.exclusionGroupAssignmentTarget");
        });
    });

    describe("delete", () => {
        it("treats 404 as already deleted and fails on anything else", async () => {
            await provider([() => graphError(404, "DELETE")]).engine.delete!("a1", inputs);
            await assert.rejects(provider([() => graphError(403, "DELETE", "Forbidden")]).engine.delete!("a1", inputs), /403/);
        });

        it("refuses an id that is unsafe in a URL before sending anything", async () => {
            const { engine, calls } = provider([]);
            await assert.rejects(engine.delete!("../a1", inputs), /id/);
            assert.deepEqual(calls, []);
        });
    });
});
