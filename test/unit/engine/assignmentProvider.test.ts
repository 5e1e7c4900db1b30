import assert from "node:assert/strict";
import { AdoptionRefusedError } from "../../../provider/engine/adoption";
import { FRAMES_LEFT_OUT } from "../../../provider/engine/hostErrors";
import { createAssignmentProvider, forgetRefusedItemRoutes, type WriteStrategy } from "../../../provider/engine/assignmentProvider";
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
        // As the real client: a body computed at send time (an `assign`) is what is sent.
        post: async (path: string, body?: unknown, opts?: { bodyAtSend?: (attempt: number) => unknown }) => respond("POST", path, opts?.bodyAtSend !== undefined ? await opts.bodyAtSend(1) : body),
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

/** The policy's list read before a create's first POST, showing the slot empty (or missing an occupant made since). */
const emptyList = () => ({ value: [] });

const entity = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    lastModifiedDateTime: new Date().toISOString(),
    target: { ...target, deviceAndAppManagementAssignmentFilterType: "none", ...extra },
});

interface ProviderOptions {
    readonly kind?: string;
    readonly strategy?: WriteStrategy;
    readonly adoptExisting?: boolean;
}

function provider(answers: Answer[], options: ProviderOptions = {}) {
    const scripted = scriptedClient(answers);
    const warnings: { message: string; inputs: Record<string, unknown> }[] = [];
    const engine = createAssignmentProvider(options.kind === undefined ? description : getDescription(options.kind), {
        client: () => scripted.client,
        sleep: async () => {},
        ...(options.strategy !== undefined ? { writeStrategy: () => options.strategy! } : {}),
        ...(options.adoptExisting !== undefined ? { adoptExisting: () => options.adoptExisting! } : {}),
        warn: (message, inputs) => void warnings.push({ message, inputs }),
    });
    return { engine, calls: scripted.calls, warnings };
}

const OTHER_GROUP = "0c9e8f7a-6b5d-4c3b-8a29-1e0f2d3c4b5a";
const LIST = `/deviceManagement/groupPolicyConfigurations/${POLICY}/assignments`;
const W365_EXPAND = `/deviceManagement/virtualEndpoint/provisioningPolicies/${POLICY}?$expand=assignments`;
const w365Inputs = { policyId: POLICY, groupId: GROUP };
const w365Entry = (groupId: string) => ({ id: `${POLICY}_${groupId}`, target: { "@odata.type": "#microsoft.graph.cloudPcManagementGroupAssignmentTarget", groupId } });

/** The `auto` switch is per process and per kind; each test starts with item routes trusted again. */
function forgetRefusedRoutes(): void {
    forgetRefusedItemRoutes();
}

function segmentNotFound(status: number, method: string, segment: string): GraphError {
    return new GraphError({ status, method, path: "/provisioningPolicies/p/assignments", code: "BadRequest", graphMessage: `Resource not found for the segment '${segment}'.` });
}

describe("createAssignmentProvider", () => {
    describe("create", () => {
        it("sends one POST after the policy's list shows the slot empty, and takes the id from the response", async () => {
            const { engine, calls } = provider([emptyList, () => entity("a1")]);
            const result = await engine.create(inputs);
            assert.equal(result.id, "a1");
            assert.equal(result.outs.assignmentId, "a1");
            assert.ok(Math.abs(Date.parse(result.outs.lastWriteTime) - Date.now()) < 60_000, "stamped with our write time");
            assert.deepEqual(calls.map((c) => `${c.method} ${c.path}`), [`GET ${LIST}`, `POST ${COLLECTION}`]);
        });

        it("adopts the occupant of the slot on 409 (a listing that missed it), without a PATCH when it already matches", async () => {
            const { engine, calls } = provider([emptyList, () => graphError(409), () => ({ value: [entity("other", { groupId: "0c9e8f7a-6b5d-4c3b-8a29-1e0f2d3c4b5a" }), entity("a1")] })]);
            const result = await engine.create(inputs);
            assert.equal(result.id, "a1");
            assert.deepEqual(calls.map((c) => c.method), ["GET", "POST", "GET"]);
        });

        it("corrects an adopted assignment with a minimal PATCH", async () => {
            const drifted = entity("a1", { deviceAndAppManagementAssignmentFilterType: "exclude", deviceAndAppManagementAssignmentFilterId: "9d8c7b6a-5f4e-4d3c-8b2a-190817263544" });
            const { engine, calls } = provider([() => ({ value: [drifted] }), (call) => ({ ...entity("a1"), ...(call.body as object) })]);
            await engine.create(inputs);
            assert.deepEqual(calls.map((c) => c.method), ["GET", "PATCH"], "found on the list: no POST");
            assert.ok(calls[1]!.path.endsWith("/assignments/a1"));
            assert.deepEqual(Object.keys(calls[1]!.body as object).filter((k) => !k.startsWith("@odata")), ["target"]);
        });

        it("never re-sends a POST whose outcome is unknown when the assignment exists", async () => {
            const { engine, calls } = provider([emptyList, () => unknownOutcome(), () => ({ value: [entity("a1")] })]);
            const result = await engine.create(inputs);
            assert.equal(result.id, "a1");
            assert.deepEqual(calls.map((c) => c.method), ["GET", "POST", "GET"]);
        });

        it("posts again only when the listing shows the unknown POST did not land", async () => {
            const { engine, calls } = provider([emptyList, () => unknownOutcome(), () => ({ value: [] }), () => entity("a2")]);
            const result = await engine.create(inputs);
            assert.equal(result.id, "a2");
            assert.deepEqual(calls.map((c) => c.method), ["GET", "POST", "GET", "POST"]);
        });

        it("treats a POST answered 5xx as an unknown outcome: adopts its own write instead of posting again", async () => {
            const { engine, calls, warnings } = provider([emptyList, () => graphError(503, "POST", "ServiceUnavailable"), () => ({ value: [entity("a1")] })]);
            const result = await engine.create(inputs);
            assert.equal(result.id, "a1");
            assert.deepEqual(calls.map((c) => c.method), ["GET", "POST", "GET"]);
            assert.deepEqual(warnings, [], "our own write is not reported as an adoption");
        });

        it("posts again after a 5xx only when the listing shows the slot empty", async () => {
            const { engine, calls } = provider([emptyList, () => graphError(500, "POST", "InternalServerError"), () => ({ value: [] }), () => entity("a2")]);
            assert.equal((await engine.create(inputs)).id, "a2");
            assert.deepEqual(calls.map((c) => c.method), ["GET", "POST", "GET", "POST"]);
        });

        it("rethrows a 409 when no occupant can be found, and any other error as it is", async () => {
            await assert.rejects(provider([emptyList, () => graphError(409), () => ({ value: [] })]).engine.create(inputs), /409/);
            await assert.rejects(provider([emptyList, () => graphError(400, "POST", "BadRequest")]).engine.create(inputs), /400 BadRequest/);
        });
    });

    describe("adoption", () => {
        const occupied = () => ({ value: [entity("other", { groupId: OTHER_GROUP }), entity("theirs")] });

        it("reports a foreign occupant found on a 409 to the first POST as a warning on the resource", async () => {
            const { engine, warnings } = provider([emptyList, () => graphError(409), occupied]);
            const resourceInputs = { ...inputs, __urn: "urn:pulumi:dev::p::t::n" };
            assert.equal((await engine.create(resourceInputs)).id, "theirs");
            assert.deepEqual(warnings, [{ message: `adopted existing assignment theirs on policy ${POLICY}`, inputs: resourceInputs }]);
        });

        it("does not report an occupant found after its own POST had an unknown outcome, even on a later 409", async () => {
            const { engine, calls, warnings } = provider([emptyList, () => unknownOutcome(), () => ({ value: [] }), () => graphError(409), occupied], { adoptExisting: false });
            assert.equal((await engine.create(inputs)).id, "theirs");
            assert.deepEqual(calls.map((c) => c.method), ["GET", "POST", "GET", "POST", "GET"]);
            assert.deepEqual(warnings, []);
        });

        it("with adoptExisting false, fails on a foreign occupant naming it, and sends nothing after the refused POST", async () => {
            const drifted = { value: [entity("theirs", { deviceAndAppManagementAssignmentFilterType: "exclude", deviceAndAppManagementAssignmentFilterId: "9d8c7b6a-5f4e-4d3c-8b2a-190817263544" })] };
            const { engine, calls, warnings } = provider([emptyList, () => graphError(409), () => drifted], { adoptExisting: false });
            await assert.rejects(engine.create(inputs), (error: unknown) => {
                assert.ok(AdoptionRefusedError.isInstance(error));
                assert.match(error.message, new RegExp(`policy ${POLICY} already has assignment theirs for target group ${GROUP}`));
                assert.match(error.message, /adoptExisting is false/);
                return true;
            });
            assert.deepEqual(calls.map((c) => c.method), ["GET", "POST", "GET"], "no PATCH, no second POST");
            assert.deepEqual(warnings, []);
        });

        it("under assign, reports an occupant found in the list before writing, without re-posting a matching list", async () => {
            const { engine, calls, warnings } = provider([() => ({ value: [entity("theirs")] })], { strategy: "assign" });
            assert.equal((await engine.create(inputs)).id, "theirs");
            assert.deepEqual(calls.map((c) => `${c.method} ${c.path}`), [`GET ${LIST}`]);
            assert.deepEqual(warnings.map((w) => w.message), [`adopted existing assignment theirs on policy ${POLICY}`]);
        });

        it("under assign with adoptExisting false, refuses an occupant before anything is written", async () => {
            const drifted = { value: [entity("theirs", { deviceAndAppManagementAssignmentFilterType: "exclude", deviceAndAppManagementAssignmentFilterId: "9d8c7b6a-5f4e-4d3c-8b2a-190817263544" })] };
            const { engine, calls } = provider([() => drifted], { strategy: "assign", adoptExisting: false });
            await assert.rejects(engine.create(inputs), /already has assignment theirs for target group .*adoptExisting is false/);
            assert.deepEqual(calls.map((c) => c.method), ["GET"]);
        });

        it("under assign, does not report its own entry found by a later verification round", async () => {
            const { engine, calls, warnings } = provider([() => ({ value: [] }), () => undefined, () => ({ value: [] }), () => ({ value: [entity("a1")] })], { strategy: "assign" });
            assert.equal((await engine.create(inputs)).id, "a1");
            assert.deepEqual(calls.map((c) => c.method), ["GET", "POST", "GET", "GET"]);
            assert.deepEqual(warnings, []);
        });
    });

    describe("route refusal under auto", () => {
        beforeEach(forgetRefusedRoutes);
        after(forgetRefusedRoutes);
        const w365 = { kind: "ProvisioningPolicyAssignment", strategy: "auto" as const };

        it("switches to assign when the draft root answers 400 'Resource not found for the segment'", async () => {
            const { engine, calls } = provider([
                () => ({ assignments: [] }),
                () => segmentNotFound(400, "POST", "provisioningPolicies"),
                () => ({ assignments: [] }),
                () => undefined,
                () => ({ assignments: [w365Entry(GROUP)] }),
            ], w365);
            const result = await engine.create(w365Inputs);
            assert.equal(result.id, `${POLICY}_${GROUP}`);
            assert.deepEqual(calls.map((c) => `${c.method} ${c.path}`), [
                `GET ${W365_EXPAND}`,
                `POST /provisioningPolicies/${POLICY}/assignments`,
                `GET ${W365_EXPAND}`,
                `POST /deviceManagement/virtualEndpoint/provisioningPolicies/${POLICY}/assign`,
                `GET ${W365_EXPAND}`,
            ]);
        });

        it("reads from the policy's list, never from the item route (which a tenant may not serve)", async () => {
            const { engine, calls } = provider([() => ({ assignments: [w365Entry(GROUP)] })], w365);
            const result = await engine.read!(`${POLICY}_${GROUP}`, { ...w365Inputs, assignmentId: `${POLICY}_${GROUP}` });
            assert.equal(result.id, `${POLICY}_${GROUP}`);
            assert.deepEqual(calls.map((c) => c.method), ["GET"]);
            assert.equal(calls[0]!.path, W365_EXPAND);
        });

        it("deletes through assign when the item route is refused, instead of taking the refusal for 'gone'", async () => {
            const { engine, calls } = provider([
                () => segmentNotFound(404, "DELETE", "provisioningPolicies"),
                () => ({ assignments: [w365Entry(GROUP), w365Entry(OTHER_GROUP)] }),
                () => undefined,
                () => ({ assignments: [w365Entry(OTHER_GROUP)] }),
            ], w365);
            await engine.delete!(`${POLICY}_${GROUP}`, { ...w365Inputs, assignmentId: `${POLICY}_${GROUP}` });
            assert.deepEqual(calls.map((c) => c.method), ["DELETE", "GET", "POST", "GET"]);
            assert.deepEqual((calls[2]!.body as { assignments: unknown[] }).assignments, [{ target: w365Entry(OTHER_GROUP).target }]);
        });

        it("still takes a 404 for a missing assignment as gone (no switch to assign)", async () => {
            const missing = () => new GraphError({ status: 404, method: "GET", path: "/x", code: "ResourceNotFound", graphMessage: `Resource not found for the segment '${POLICY}_${GROUP}'.` });
            const { engine, calls } = provider([missing, () => graphError(404, "DELETE", "ResourceNotFound")], w365);
            assert.deepEqual(await engine.read!(`${POLICY}_${GROUP}`, { ...w365Inputs, assignmentId: `${POLICY}_${GROUP}`, lastModifiedDateTime: "2020-01-01T00:00:00Z" }), {});
            await engine.delete!(`${POLICY}_${GROUP}`, w365Inputs);
            assert.deepEqual(calls.map((c) => c.method), ["GET", "DELETE"]);
        });
    });

    describe("read", () => {
        it("returns the live state as props and inputs, from the policy's list", async () => {
            const { engine, calls } = provider([() => ({ value: [entity("a0", { groupId: "0b1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f" }), entity("A1")] })]);
            const result = await engine.read!("a1", { ...inputs, assignmentId: "a1" });
            assert.equal(result.id, "a1");
            assert.equal(result.props!.assignmentId, "A1");
            assert.deepEqual(Object.keys(result.inputs!).sort(), ["policyId", "target"]);
            assert.deepEqual(calls.map((c) => `${c.method} ${c.path}`), [`GET ${COLLECTION}`]);
        });

        it("reports an assignment absent from the complete list as gone", async () => {
            const { engine } = provider([() => ({ value: [] })]);
            assert.deepEqual(await engine.read!("a1", { ...inputs, assignmentId: "a1", lastWriteTime: "2020-01-01T00:00:00Z" }), {});
        });

        it("reports a deleted policy (404 on its list) as gone", async () => {
            const { engine } = provider([() => graphError(404, "GET", "ResourceNotFound")]);
            assert.deepEqual(await engine.read!("a1", { ...inputs, assignmentId: "a1" }), {});
        });

        it("waits out replication lag after our own recent write (our write time, not Graph's stamp)", async () => {
            const { engine, calls } = provider([() => ({ value: [] }), () => ({ value: [] }), () => ({ value: [entity("a1")] })]);
            const result = await engine.read!("a1", { ...inputs, lastWriteTime: new Date().toISOString(), lastModifiedDateTime: "2020-01-01T00:00:00Z" });
            assert.equal(result.id, "a1");
            assert.equal(calls.length, 3);
            assert.equal(typeof result.props!.lastWriteTime, "string", "the write time survives a refresh");
        });

        it("does not wait on Graph's own stamp alone (absent on Windows 365, stale after a 204)", async () => {
            const { engine, calls } = provider([() => ({ value: [] })]);
            assert.deepEqual(await engine.read!("a1", { ...inputs, assignmentId: "a1", lastModifiedDateTime: new Date().toISOString() }), {});
            assert.equal(calls.length, 1);
        });

        it("fails on a list answer without its value list instead of dropping the resource", async () => {
            const { engine } = provider([() => ({})]);
            await assert.rejects(engine.read!("a1", inputs), /without its "value" list/);
        });

        it("fails on any other error instead of dropping the resource", async () => {
            const { engine } = provider([() => graphError(400, "GET", "BadRequest")]);
            await assert.rejects(engine.read!("a1", inputs), /400/);
        });

        it("fails with Graph's error without stack frames (Pulumi's host logs a failed read's stack)", async () => {
            const { engine } = provider([() => graphError(403, "GET", "Forbidden")]);
            await assert.rejects(engine.read!("a1", inputs), (error: Error) => {
                assert.match(error.message, /403/);
                assert.equal(error.stack, FRAMES_LEFT_OUT);
                return true;
            });
        });

        describe("of a reference (the SDK's get: no assignmentId of ours yet)", () => {
            it("matches by id only, even under assign, where a resource of ours is also matched by slot", async () => {
                const other = entity("b2");
                const { engine } = provider([() => ({ value: [other] }), () => ({ value: [other] })], { strategy: "assign" });
                await assert.rejects(engine.read!("a1", { policyId: POLICY }), /GroupPolicyConfigurationAssignment\.get: policy .* holds no assignment a1/);
                const ours = await engine.read!("a1", { ...inputs, assignmentId: "a1" });
                assert.equal(ours.props!.assignmentId, "b2", "our own resource, re-created by assign under a new id, is found by slot");
            });

            it("refuses an id or a policy id that is no id, naming each, before any request", async () => {
                const { engine, calls } = provider([]);
                await assert.rejects(engine.read!("a/b", { policyId: "x" }), (error: Error) => {
                    assert.match(error.message, /^GroupPolicyConfigurationAssignment\.get: policyId must be a GUID .*; id must not contain '\/'/);
                    assert.equal(error.stack, FRAMES_LEFT_OUT, "the host logs the stack: no frames");
                    return true;
                });
                assert.deepEqual(calls, []);
            });
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
            await assert.rejects(provider([() => graphError(403, "DELETE", "Forbidden")]).engine.delete!("a1", inputs), (error: Error) => {
                assert.match(error.message, /403/);
                assert.equal(error.stack, FRAMES_LEFT_OUT, "Pulumi's host logs a failed delete's stack");
                return true;
            });
        });

        it("refuses an id that is unsafe in a URL before sending anything", async () => {
            const { engine, calls } = provider([]);
            await assert.rejects(engine.delete!("../a1", inputs), /id/);
            assert.deepEqual(calls, []);
        });
    });
});
