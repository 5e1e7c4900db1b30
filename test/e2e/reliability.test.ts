import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Stack } from "@pulumi/pulumi/automation";
import { GroupPolicyConfigurationAssignment, targets } from "../../sdk";
import type { FaultOptions } from "../../emulator";
import { startE2eWorld, type E2eWorld } from "./harness";

const KIND = "groupPolicyConfigurations";
const FILTER = "9d8c7b6a-5f4e-4d3c-8b2a-190817263544";
const NO_FAULTS: FaultOptions = { rateLimit: false };
const REQUEST_ID = /request-id: ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/;

function fleet(policyId: string, groups: readonly string[], filter?: { id: string; type: "include" | "exclude" }) {
    return async () => {
        groups.forEach((groupId, i) => {
            new GroupPolicyConfigurationAssignment(`a-${i}`, { policyId, target: targets.group(groupId, filter ? { filter } : {}) });
        });
    };
}

function liveGroupIds(world: E2eWorld, policyId: string): string[] {
    return world.emulator.admin.listAssignments(KIND, policyId).map((a) => String(a.target.groupId)).sort();
}

function assertExactly(world: E2eWorld, policyId: string, groups: readonly string[]): void {
    const live = liveGroupIds(world, policyId);
    const duplicates = live.filter((g, i) => live.indexOf(g) !== i);
    assert.deepEqual(duplicates, [], "no duplicate assignment");
    assert.deepEqual(live.filter((g) => !groups.includes(g)), [], "no unexpected assignment");
    assert.deepEqual(groups.filter((g) => !live.includes(g)), [], "no missing assignment");
    assert.equal(live.length, groups.length);
}

describe("reliability under faults, drift, token expiry and concurrency", function () {
    this.timeout(900_000);
    let world: E2eWorld;
    let policyId: string;
    let stack: Stack;
    const groups = Array.from({ length: 50 }, () => randomUUID());

    before(async () => {
        world = await startE2eWorld("reliability", { faults: NO_FAULTS });
        policyId = world.emulator.admin.seedPolicy(KIND, { displayName: "Fleet" }).id;
        stack = await world.stack(fleet(policyId, groups));
    });
    after(async () => world?.dispose());

    it("creates 50 assignments in one up under 429s, 5xx, resets and lost responses: 0 failed, 0 duplicates, 0 missing", async () => {
        world.emulator.admin.setFaults({
            seed: 20261125,
            rateLimit: { writesPerWindow: 20, windowSeconds: 2, requestsPerWindow: 2000 },
            serverErrorRate: 0.1,
            resetRate: 0.05,
            dropAfterCommitRate: 0.1,
        });
        world.emulator.admin.clearLog();
        // 429 and 503 are retried (never processed); a PATCH/GET/DELETE is retried on any transient failure; a POST
        // whose outcome is unknown is followed by a listing, adopted when it landed and posted again only when not.
        let failure = "";
        const result = await stack.up().catch((error: Error) => {
            failure = error.message.split("\n").filter((l) => /error:/.test(l)).slice(0, 8).join("\n");
            return undefined;
        });
        const log = world.emulator.log();
        const count = (p: (e: (typeof log)[number]) => boolean) => log.filter(p).length;
        console.log(
            `      ${log.length} requests: ${count((e) => e.status === 429)} x 429, ${count((e) => e.status === 503 || e.status === 504)} x 5xx, ` +
                `${count((e) => e.fault === "reset")} resets, ${count((e) => e.fault === "dropped")} dropped after commit, ` +
                `${count((e) => e.method === "POST" && e.path.startsWith("/beta/"))} POSTs`,
        );
        // Whatever happened, the tenant never holds a duplicate.
        const live = liveGroupIds(world, policyId);
        assert.equal(new Set(live).size, live.length, "no duplicate, even after a failed run");
        assert.ok(result !== undefined, `one up must converge with 0 failed resources:\n${failure}`);
        assert.deepEqual(result.summary.resourceChanges, { create: 51 });
        assert.ok(count((e) => e.status === 429) > 0, "the rate limit was hit");
        assert.ok(count((e) => e.status === 503 || e.status === 504) > 0, "5xx were injected");
        assert.ok(count((e) => e.fault === "reset") > 0, "connections were reset");
        assert.ok(count((e) => e.fault === "dropped" && e.method === "POST") > 0, "some POST answers were lost after commit");
        assertExactly(world, policyId, groups);

        // Converged means converged: with the faults off, the next run changes nothing and writes nothing.
        world.emulator.admin.setFaults(NO_FAULTS);
        world.emulator.admin.clearLog();
        const again = await stack.up();
        assert.deepEqual(again.summary.resourceChanges, { same: 51 });
        assert.deepEqual(world.writes(), []);
    });

    it("fails with the status, code and request-id when retries are exhausted, and converges once the faults stop", async () => {
        const lonePolicy = world.emulator.admin.seedPolicy(KIND, { displayName: "Lone" }).id;
        const group = randomUUID();
        const lone = await world.stack(fleet(lonePolicy, [group]), { stackName: "exhausted" });
        world.emulator.admin.setFaults({ rateLimit: false, serverErrorRate: 1, seed: 5 });
        world.emulator.admin.clearLog();
        let message = "";
        const unexpected = await lone.up().then(
            (result) => result,
            (error: Error) => {
                message = error.message;
                return undefined;
            },
        );
        assert.equal(unexpected, undefined, `up must fail while every Graph request fails:\n${unexpected?.stdout}`);
        assert.doesNotMatch(message, /could not register a resource/, "the run reached the engine");
        const line = message.split("\n").find((l) => /error: .*Graph/.test(l)) ?? message;
        console.log(`      ${line.trim()}`);
        assert.match(line, /\b(503|504)\b/);
        assert.match(line, /ServiceUnavailable|GatewayTimeout/);
        const requestId = REQUEST_ID.exec(line)?.[1];
        assert.ok(requestId !== undefined, `the error names a request-id: ${line}`);
        assert.ok(world.emulator.log().some((e) => e.requestId === requestId), "the request-id is one the emulator sent");
        assert.ok(world.emulator.log().filter((e) => e.path.startsWith("/beta/")).length > 1, "it retried first");
        assert.deepEqual(liveGroupIds(world, lonePolicy), []);

        world.emulator.admin.setFaults(NO_FAULTS);
        const result = await lone.up();
        assert.equal(result.summary.resourceChanges?.create, 1);
        assertExactly(world, lonePolicy, [group]);

        // Pulumi's dynamic-provider host logs a failed read or delete with the error's stack: Graph's answer (the
        // app registration lost its Intune permission, say) comes through, the provider's frames do not.
        world.emulator.admin.setFaults({ ...NO_FAULTS, permissionsRevoked: true });
        for (const [operation, run] of [["refresh", () => lone.refresh()], ["destroy", () => lone.destroy()]] as const) {
            const failure = await run().then(() => "", (error: Error) => error.message);
            assert.match(failure, /403 Forbidden: Application is not authorized/, `${operation} fails naming Graph's answer: ${failure.slice(-3000)}`);
            assert.doesNotMatch(failure, /^\s+at .+:\d+:\d+\)?$/m, `${operation}: no stack frames in what the user sees`);
        }
        world.emulator.admin.setFaults(NO_FAULTS);
        assertExactly(world, lonePolicy, [group]);
        await lone.destroy();
        assert.deepEqual(liveGroupIds(world, lonePolicy), []);
    });

    it("drops an assignment deleted out of band on refresh and recreates it on up; repairs a changed one with one PATCH", async () => {
        world.emulator.admin.setFaults(NO_FAULTS);
        const live = world.emulator.admin.listAssignments(KIND, policyId);
        const deleted = live.find((a) => a.target.groupId === groups[3])!;
        const changed = live.find((a) => a.target.groupId === groups[7])!;
        world.emulator.admin.deleteAssignment(KIND, policyId, deleted.id);
        world.emulator.admin.mutateAssignment(KIND, policyId, changed.id, {
            target: { deviceAndAppManagementAssignmentFilterId: FILTER, deviceAndAppManagementAssignmentFilterType: "exclude" },
        });
        world.emulator.admin.clearLog();
        const refresh = await stack.refresh();
        assert.equal(refresh.summary.resourceChanges?.delete, 1, refresh.stdout);
        assert.equal(refresh.summary.resourceChanges?.update, 1, refresh.stdout);
        assert.deepEqual(world.writes(), [], "refresh writes nothing");

        const preview = await stack.preview();
        assert.equal(preview.changeSummary.create, 1);
        assert.equal(preview.changeSummary.update, 1);
        world.emulator.admin.clearLog();
        const result = await stack.up();
        assert.equal(result.summary.resourceChanges?.create, 1);
        assert.equal(result.summary.resourceChanges?.update, 1);
        const writes = world.writes();
        assert.deepEqual(writes.map((w) => w.method).sort(), ["PATCH", "POST"], JSON.stringify(writes));
        const patch = writes.find((w) => w.method === "PATCH")!;
        assert.ok(patch.path.endsWith(`/assignments/${changed.id}`), "the changed assignment is patched in place");
        assertExactly(world, policyId, groups);
        const repaired = world.emulator.admin.listAssignments(KIND, policyId).find((a) => a.id === changed.id)!;
        assert.ok([undefined, null, "none"].includes(repaired.target.deviceAndAppManagementAssignmentFilterType as string | undefined));
    });

    it("lands 50 PATCHes when one up changes the filter of all 50 assignments", async () => {
        world.emulator.admin.setFaults({}); // the default rate limit (200 writes / 20 s) stays on
        const filter = { id: FILTER, type: "include" as const };
        const filtered = await world.stack(fleet(policyId, groups, filter));
        world.emulator.admin.clearLog();
        const result = await filtered.up();
        assert.equal(result.summary.resourceChanges?.update, 50);
        const writes = world.writes();
        assert.equal(writes.length, 50, JSON.stringify(writes.map((w) => w.method)));
        assert.ok(writes.every((w) => w.method === "PATCH"));
        assert.equal(new Set(writes.map((w) => w.path)).size, 50, "one PATCH per assignment");
        assertExactly(world, policyId, groups);
        for (const a of world.emulator.admin.listAssignments(KIND, policyId)) {
            assert.equal(a.target.deviceAndAppManagementAssignmentFilterType, "include");
            assert.equal(a.target.deviceAndAppManagementAssignmentFilterId, FILTER);
        }
        world.emulator.admin.clearLog();
        assert.deepEqual((await filtered.up()).summary.resourceChanges, { same: 51 });
        assert.deepEqual(world.writes(), []);
    });
});

describe("token expiry in the middle of a run", function () {
    this.timeout(600_000);
    let world: E2eWorld;

    before(async () => {
        world = await startE2eWorld("token-expiry", {
            tokenLifetimeSeconds: 2,
            faults: { rateLimit: false, latency: { minMs: 400, maxMs: 600 } },
        });
    });
    after(async () => world?.dispose());

    it("renews the token and succeeds when the run outlasts it", async () => {
        const policyId = world.emulator.admin.seedPolicy(KIND, { displayName: "Slow" }).id;
        const groups = Array.from({ length: 10 }, () => randomUUID());
        // A chain: each create waits for the previous one, so the run lasts ~10 x 500 ms, longer than a token lives.
        const stack = await world.stack(async () => {
            let previous: GroupPolicyConfigurationAssignment | undefined;
            groups.forEach((groupId, i) => {
                previous = new GroupPolicyConfigurationAssignment(`chain-${i}`, { policyId, target: targets.group(groupId) },
                    previous ? { dependsOn: [previous] } : {});
            });
        });
        world.emulator.admin.clearLog();
        const started = Date.now();
        const result = await stack.up();
        const seconds = (Date.now() - started) / 1000;
        assert.equal(result.summary.resourceChanges?.create, 11);
        const log = world.emulator.log();
        const tokens = log.filter((e) => e.path.endsWith("/oauth2/v2.0/token"));
        const graph = log.filter((e) => e.path.startsWith("/beta/"));
        const first = Date.parse(graph[0]!.time);
        const last = Date.parse(graph.at(-1)!.time);
        console.log(`      up took ${seconds.toFixed(1)} s; Graph requests span ${((last - first) / 1000).toFixed(1)} s; ${tokens.length} token requests; ${graph.filter((e) => e.status === 401).length} x 401`);
        assert.ok(last - first > 2_000, "the Graph requests span more than one token lifetime");
        assert.ok(tokens.length >= 2, "the token was renewed");
        assert.ok(graph.every((e) => e.status < 400 || e.status === 401), JSON.stringify(graph.map((e) => e.status)));
        assertExactly(world, policyId, groups);
    });
});
