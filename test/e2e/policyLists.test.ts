import assert from "node:assert/strict";
import { CloudPcProvisioningPolicyAssignment, GroupPolicyConfigurationAssignment, targets } from "../../sdk";
import { countGraphRoundTrips, isBatchEnvelope, type RequestLogEntry } from "../../emulator";
import { startE2eWorld, type E2eWorld } from "./harness";

/** Deterministic distinct group ids. */
function groupId(n: number): string {
    return `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

const GPC = "/beta/deviceManagement/groupPolicyConfigurations/";
const VE = "/beta/deviceManagement/virtualEndpoint/provisioningPolicies/";

/** Graph requests a read of assignment lists made: standalone GETs and items of JSON batches alike. */
function listReads(log: readonly RequestLogEntry[]): RequestLogEntry[] {
    return log.filter((e) => e.method === "GET" && (e.path.startsWith(GPC) || e.path.startsWith(VE)));
}

/** How the reads travelled: the size of each JSON batch, and "1" for a standalone GET. */
function travel(log: readonly RequestLogEntry[]): string {
    return log
        .filter((e) => e.path.startsWith("/beta/") && e.batchId === undefined)
        .map((e) => (isBatchEnvelope(e) ? String(e.batchSize) : "1"))
        .join(" ");
}

describe("policy-list engine: reads and writes per policy list", function () {
    this.timeout(900_000);

    describe("refresh at scale", () => {
        const POLICIES = 15;
        const PER_POLICY = 20;
        let world: E2eWorld;
        let policies: string[];
        const program = () => async () => {
            policies.forEach((policyId, p) => {
                for (let i = 0; i < PER_POLICY; i++) {
                    new GroupPolicyConfigurationAssignment(`a${p}-${i}`, { policyId, target: targets.group(groupId(p * 100 + i)) });
                }
            });
        };

        before(async () => {
            world = await startE2eWorld("lists-scale");
            policies = Array.from({ length: POLICIES }, (_, i) => world.emulator.admin.seedPolicy("groupPolicyConfigurations", { displayName: `P${i}` }).id);
            const result = await (await world.stack(program())).up({ parallel: 64 });
            assert.equal(result.summary.resourceChanges?.create, POLICIES * PER_POLICY + 1, "every assignment and the stack");
        });
        after(async () => world?.dispose());

        it(`refreshes ${POLICIES * PER_POLICY} assignments over ${POLICIES} policies with at most one list read per policy`, async () => {
            world.emulator.admin.clearLog();
            const result = await (await world.stack(program())).refresh({ parallel: 64 });
            assert.equal(result.summary.result, "succeeded");
            assert.deepEqual(result.summary.resourceChanges, { same: POLICIES * PER_POLICY + 1 });
            const log = world.emulator.log();
            const reads = listReads(log);
            assert.ok(reads.length <= POLICIES, `${reads.length} list reads for ${POLICIES} policies`);
            assert.ok(reads.every((e) => e.path.endsWith("/assignments")), "no item GET");
            // Round trips depend on how many reads the engine runs at once (--parallel); the bench reports them.
            console.log(`      refresh: ${reads.length} list reads in ${countGraphRoundTrips(log)} round trips (${travel(log)})`);
        });

        it("refreshes in a new process where the tenant refuses item routes, reads included", async () => {
            world.emulator.admin.setFaults({ refuseItemReads: { groupPolicyConfigurations: true }, refuseItemRoutes: { groupPolicyConfigurations: true } }, true);
            try {
                const result = await (await world.stack(program())).refresh({ parallel: 64 });
                assert.deepEqual(result.summary.resourceChanges, { same: POLICIES * PER_POLICY + 1 }, "nothing dropped, nothing failed");
            } finally {
                world.emulator.admin.setFaults({ refuseItemReads: { groupPolicyConfigurations: false }, refuseItemRoutes: { groupPolicyConfigurations: false } }, true);
            }
        });

        it("ends converged after faults inside batches (429, 503, dropped answers): no duplicate, none missing", async () => {
            world.emulator.admin.setFaults({ serverErrorRate: 0.15, resetRate: 0.05, dropAfterCommitRate: 0.05, rateLimit: { requestsPerWindow: 40, windowSeconds: 2 }, seed: 7 }, true);
            try {
                const stack = await world.stack(program());
                const refreshed = await stack.refresh({ parallel: 64 });
                assert.equal(refreshed.summary.result, "succeeded");
                assert.deepEqual(refreshed.summary.resourceChanges, { same: POLICIES * PER_POLICY + 1 });
            } finally {
                world.emulator.admin.setFaults({}, false);
            }
            for (const [p, policyId] of policies.entries()) {
                const groups = world.emulator.admin.listAssignments("groupPolicyConfigurations", policyId).map((a) => String(a.target.groupId));
                assert.equal(new Set(groups).size, groups.length, `no duplicate on policy ${p}`);
                assert.equal(groups.length, PER_POLICY, `none missing on policy ${p}`);
            }
            const second = await (await world.stack(program())).preview({ refresh: true } as never);
            assert.equal(second.changeSummary.create ?? 0, 0);
        });
    });

    describe("deleted policies, paged lists and lost writes", () => {
        let world: E2eWorld;
        before(async () => {
            world = await startE2eWorld("lists-edges");
        });
        after(async () => world?.dispose());

        function deletePolicy(kind: "groupPolicyConfigurations" | "provisioningPolicies", id: string): void {
            world.emulator.admin.deletePolicy(kind, id);
        }

        for (const mode of ["refresh", "destroy"] as const) {
            it(`a deleted policy means its assignments are gone: ${mode} succeeds for both strategies`, async () => {
                const gpc = world.emulator.admin.seedPolicy("groupPolicyConfigurations", { displayName: `Doomed ${mode}` }).id;
                const cloudPc = world.emulator.admin.seedPolicy("provisioningPolicies", { displayName: `Doomed W365 ${mode}` }).id;
                const program = async () => {
                    new GroupPolicyConfigurationAssignment(`gpc-${mode}`, { policyId: gpc, target: targets.group(groupId(1)) });
                    new CloudPcProvisioningPolicyAssignment(`w365-${mode}`, { policyId: cloudPc, target: targets.cloudPcGroup(groupId(2)) });
                };
                const stack = await world.stack(program, { stackName: mode });
                assert.equal((await stack.up()).summary.resourceChanges?.create, 3, "two assignments and the stack");
                deletePolicy("groupPolicyConfigurations", gpc);
                deletePolicy("provisioningPolicies", cloudPc);
                if (mode === "refresh") {
                    const refreshed = await stack.refresh();
                    assert.equal(refreshed.summary.resourceChanges?.delete, 2, "both dropped from state");
                } else {
                    const destroyed = await stack.destroy();
                    assert.equal(destroyed.summary.result, "succeeded");
                    assert.equal(destroyed.summary.resourceChanges?.delete, 3);
                }
            });
        }

        it("never truncates a paged list (page size 10, 35 entries) when writing through assign", async () => {
            world.emulator.admin.setFaults({ listPageSize: 10 }, true);
            try {
                const policyId = world.emulator.admin.seedPolicy("groupPolicyConfigurations", { displayName: "Paged" }).id;
                for (let i = 0; i < 35; i++) {
                    world.emulator.admin.addAssignment("groupPolicyConfigurations", policyId, { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: groupId(500 + i) });
                }
                const program = (filter: "include" | "exclude") => async () => {
                    new GroupPolicyConfigurationAssignment("paged", {
                        policyId,
                        target: targets.group(groupId(1), { filter: { id: "9d8c7b6a-5f4e-4d3c-8b2a-190817263544", type: filter } }),
                    });
                };
                const stack = await world.stack(program("include"), { stackName: "paged", config: { "msgraph:writeStrategy": "assign" } });
                await stack.up();
                const live = () => world.emulator.admin.listAssignments("groupPolicyConfigurations", policyId);
                assert.equal(live().length, 36);
                const changed = await (await world.stack(program("exclude"), { stackName: "paged", config: { "msgraph:writeStrategy": "assign" } })).up();
                assert.equal(changed.summary.resourceChanges?.update, 1);
                assert.equal(live().length, 36);
                await stack.destroy();
                assert.equal(live().length, 35, "only our entry removed");
            } finally {
                world.emulator.admin.setFaults({ listPageSize: 100 }, true);
            }
        });

        it("finds a write Graph acknowledged but did not apply, and writes it again", async () => {
            const policyId = world.emulator.admin.seedPolicy("groupPolicyConfigurations", { displayName: "Lossy" }).id;
            const program = (filter: "include" | "exclude") => async () => {
                new GroupPolicyConfigurationAssignment("lossy", {
                    policyId,
                    target: targets.group(groupId(7), { filter: { id: "9d8c7b6a-5f4e-4d3c-8b2a-190817263544", type: filter } }),
                });
            };
            const config = { "msgraph:writeStrategy": "assign" };
            await (await world.stack(program("include"), { stackName: "lossy", config })).up();
            world.emulator.admin.setFaults({ ignoreAssigns: 1 }, true);
            world.emulator.admin.clearLog();
            const changed = await (await world.stack(program("exclude"), { stackName: "lossy", config })).up();
            assert.equal(changed.summary.resourceChanges?.update, 1);
            const assigns = world.writes().filter((w) => w.path.endsWith("/assign"));
            assert.equal(assigns.length, 2, "the verify found the ignored write and wrote again");
            const live = world.emulator.admin.listAssignments("groupPolicyConfigurations", policyId);
            assert.equal(live[0]!.target.deviceAndAppManagementAssignmentFilterType, "exclude");
        });
    });
});
