import assert from "node:assert/strict";
import { CloudPcProvisioningPolicyAssignment, targets } from "../../sdk";
import { startE2eWorld, type E2eWorld } from "./harness";

const GROUP = "5b4a3928-1706-4f5e-8d4c-3b2a19080706";
const PLAN = "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9";

describe("CloudPcProvisioningPolicyAssignment (current Windows 365 shape, through assign)", function () {
    this.timeout(300_000);
    let world: E2eWorld;
    let policy: string;

    before(async () => {
        world = await startE2eWorld("cloudpc");
        policy = world.emulator.admin.seedPolicy("provisioningPolicies", { displayName: "Frontline", provisioningType: "shared" }).id;
    });
    after(async () => world?.dispose());

    const live = () => world.emulator.admin.listAssignments("provisioningPolicies", policy);
    const program = (count: number) => async () => {
        const a = new CloudPcProvisioningPolicyAssignment("frontline", {
            policyId: policy,
            target: targets.cloudPcGroup(GROUP, { servicePlanId: PLAN, allotmentDisplayName: "Shift A", allotmentLicensesCount: count }),
        });
        return { id: a.assignmentId };
    };

    it("creates, updates the allotment in place, and deletes", async () => {
        const created = await (await world.stack(program(10))).up();
        assert.equal(created.outputs.id?.value, `${policy}_${GROUP}`);
        assert.equal(live()[0]?.target.allotmentLicensesCount, 10);

        world.emulator.admin.clearLog();
        const updated = await (await world.stack(program(12))).up();
        assert.equal(updated.summary.resourceChanges?.update, 1, "a licence count change is an update, not a replace");
        assert.equal(live()[0]?.target.allotmentLicensesCount, 12);
        assert.deepEqual(world.writes().map((w) => `${w.method} ${w.path.split("/").pop()}`), ["POST assign"]);

        await (await world.stack(program(12))).destroy();
        assert.deepEqual(live(), []);
    });
});
