import assert from "node:assert/strict";
import { GroupPolicyConfigurationAssignment, ProvisioningPolicyAssignment, targets } from "../../sdk";
import { startE2eWorld, type E2eWorld } from "./harness";

const FILTER = "9d8c7b6a-5f4e-4d3c-8b2a-190817263544";
const OUTSIDER = "7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098";

/** Deterministic distinct group ids. */
function groupId(n: number): string {
    return `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

describe("write strategy assign: tenants that refuse item routes", function () {
    this.timeout(600_000);
    let world: E2eWorld;
    let gpcPolicy: string;
    let w365Policy: string;

    before(async () => {
        world = await startE2eWorld("assign", {
            faults: { refuseItemRoutes: { groupPolicyConfigurations: true, provisioningPolicies: true } },
        });
        gpcPolicy = world.emulator.admin.seedPolicy("groupPolicyConfigurations", { displayName: "Baseline" }).id;
        w365Policy = world.emulator.admin.seedPolicy("provisioningPolicies", { displayName: "Engineers" }).id;
        // Made in the portal, not by this stack: every run must preserve it.
        world.emulator.admin.addAssignment("groupPolicyConfigurations", gpcPolicy, {
            "@odata.type": "#microsoft.graph.groupAssignmentTarget",
            groupId: OUTSIDER,
        });
    });
    after(async () => world?.dispose());

    const gpcLive = () => world.emulator.admin.listAssignments("groupPolicyConfigurations", gpcPolicy);
    const outsiderSurvives = () =>
        assert.ok(gpcLive().some((a) => a.target.groupId === OUTSIDER), "the assignment made outside the stack survives");

    function program(count: number, filterType: "include" | "exclude") {
        return async () => {
            for (let i = 1; i <= count; i++) {
                new GroupPolicyConfigurationAssignment(`g${i}`, {
                    policyId: gpcPolicy,
                    target: targets.group(groupId(i), { filter: { id: FILTER, type: filterType } }),
                });
            }
            new ProvisioningPolicyAssignment("w365", { policyId: w365Policy, groupId: groupId(1000) });
        };
    }

    it("creates through assign (auto switches after the route error) and keeps outside assignments", async () => {
        world.emulator.admin.clearLog();
        const result = await (await world.stack(program(3, "include"))).up();
        assert.equal(result.summary.resourceChanges?.create, 5);
        assert.equal(gpcLive().length, 4);
        outsiderSurvives();
        assert.deepEqual(
            world.emulator.admin.listAssignments("provisioningPolicies", w365Policy).map((a) => a.target.groupId),
            [groupId(1000)],
        );
        assert.ok(world.writes().some((w) => w.path.endsWith("/assign")), "writes went through assign");
    });

    it("sends no write on a second up", async () => {
        world.emulator.admin.clearLog();
        const result = await (await world.stack(program(3, "include"))).up();
        assert.deepEqual(result.summary.resourceChanges, { same: 5 });
        assert.deepEqual(world.writes(), []);
    });

    it("changes, repairs drift and deletes through assign without losing anyone's assignments", async () => {
        const changed = await (await world.stack(program(3, "exclude"))).up();
        assert.equal(changed.summary.resourceChanges?.update, 3);
        assert.ok(gpcLive().filter((a) => a.target.groupId !== OUTSIDER).every((a) => a.target.deviceAndAppManagementAssignmentFilterType === "exclude"));
        outsiderSurvives();

        const victim = gpcLive().find((a) => a.target.groupId === groupId(2))!;
        world.emulator.admin.deleteAssignment("groupPolicyConfigurations", gpcPolicy, victim.id);
        const stack = await world.stack(program(3, "exclude"));
        await stack.refresh();
        const repaired = await stack.up();
        assert.equal(repaired.summary.resourceChanges?.create, 1, "the deleted assignment is recreated");
        assert.ok(gpcLive().some((a) => a.target.groupId === groupId(2)));
        outsiderSurvives();

        const shrunk = await (await world.stack(program(1, "exclude"))).up();
        assert.equal(shrunk.summary.resourceChanges?.delete, 2);
        assert.deepEqual(gpcLive().map((a) => a.target.groupId).sort(), [groupId(1), OUTSIDER].sort());
    });

    it("lands 50 concurrent creates and 50 concurrent changes on one policy", async () => {
        const created = await (await world.stack(program(50, "include"))).up({ parallel: 50 });
        assert.equal(created.summary.result, "succeeded");
        const ours = () => gpcLive().filter((a) => a.target.groupId !== OUTSIDER);
        assert.equal(ours().length, 50);
        world.emulator.admin.clearLog();
        const changed = await (await world.stack(program(50, "exclude"))).up({ parallel: 50 });
        assert.equal(changed.summary.resourceChanges?.update, 50);
        const assigns = world.writes().filter((w) => w.path.endsWith(`${gpcPolicy}/assign`));
        assert.ok(assigns.length <= 4, `50 changes on one policy merged into ${assigns.length} assign writes`);
        assert.equal(ours().length, 50);
        assert.ok(ours().every((a) => a.target.deviceAndAppManagementAssignmentFilterType === "exclude"));
        outsiderSurvives();
    });

    it("destroys only this stack's assignments", async () => {
        await (await world.stack(program(50, "exclude"))).destroy();
        assert.deepEqual(gpcLive().map((a) => a.target.groupId), [OUTSIDER]);
        assert.deepEqual(world.emulator.admin.listAssignments("provisioningPolicies", w365Policy), []);
    });
});
