import assert from "node:assert/strict";
import { ProvisioningPolicyAssignment } from "../../sdk";
import { startE2eWorld, type E2eWorld } from "./harness";

const GROUP_1 = "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f";
const GROUP_2 = "0c9e8f7a-6b5d-4c3b-8a29-1e0f2d3c4b5a";

/**
 * A tenant without the seed's draft root `/provisioningPolicies` (Graph answers 400 "Resource not found for the
 * segment 'provisioningPolicies'."): under the default `auto` strategy ProvisioningPolicyAssignment must switch to the
 * documented virtualEndpoint routes (`assign`, read through `$expand`) in every operation, each run a new provider
 * process that has to find that out again.
 */
describe("ProvisioningPolicyAssignment under auto on a tenant without the draft /provisioningPolicies root", function () {
    this.timeout(600_000);
    let world: E2eWorld;
    let policy: string;

    before(async () => {
        world = await startE2eWorld("draft-routes", { faults: { draftProvisioningRoutes: false } });
        policy = world.emulator.admin.seedPolicy("provisioningPolicies", { displayName: "Engineers" }).id;
    });
    after(async () => world?.dispose());

    const live = () => world.emulator.admin.listAssignments("provisioningPolicies", policy).map((a) => a.target.groupId);
    const program = (groupId: string) => async () => {
        const assignment = new ProvisioningPolicyAssignment("engineers", { policyId: policy, groupId });
        return { id: assignment.assignmentId };
    };

    it("creates through assign after the draft route's unknown-segment answer", async () => {
        world.emulator.admin.clearLog();
        const result = await (await world.stack(program(GROUP_1))).up();
        assert.equal(result.summary.resourceChanges?.create, 2, result.stdout);
        assert.deepEqual(live(), [GROUP_1]);
        assert.ok(world.writes().some((w) => w.method === "POST" && w.path.endsWith(`/virtualEndpoint/provisioningPolicies/${policy}/assign`)));
        assert.equal(result.outputs.id?.value, world.emulator.admin.listAssignments("provisioningPolicies", policy)[0]!.id);
    });

    it("converges: a second up sends no write", async () => {
        world.emulator.admin.clearLog();
        const result = await (await world.stack(program(GROUP_1))).up();
        assert.deepEqual(result.summary.resourceChanges, { same: 2 });
        assert.deepEqual(world.writes(), []);
    });

    it("changes the group through assign (a replacement)", async () => {
        const result = await (await world.stack(program(GROUP_2))).up();
        assert.equal(result.summary.resourceChanges?.replace, 1, result.stdout);
        assert.deepEqual(live(), [GROUP_2]);
    });

    it("refreshes through the list: an out-of-band deletion is seen, not an error, and up recreates it", async () => {
        const [only] = world.emulator.admin.listAssignments("provisioningPolicies", policy);
        const stack = await world.stack(program(GROUP_2));
        const clean = await stack.refresh();
        assert.deepEqual(clean.summary.resourceChanges, { same: 2 }, clean.stdout);
        world.emulator.admin.deleteAssignment("provisioningPolicies", policy, only!.id);
        const refreshed = await stack.refresh();
        assert.equal(refreshed.summary.resourceChanges?.delete, 1, refreshed.stdout);
        const repaired = await stack.up();
        assert.equal(repaired.summary.resourceChanges?.create, 1);
        assert.deepEqual(live(), [GROUP_2]);
    });

    it("deletes through assign on destroy", async () => {
        const result = await (await world.stack(program(GROUP_2))).destroy();
        assert.equal(result.summary.resourceChanges?.delete, 2);
        assert.deepEqual(live(), []);
    });
});
