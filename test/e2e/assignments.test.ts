import assert from "node:assert/strict";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { GroupPolicyConfigurationAssignment, ProvisioningPolicyAssignment, targets } from "../../sdk";
import { startE2eWorld, type E2eWorld } from "./harness";

const GROUP_A = "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f";
const GROUP_B = "0c9e8f7a-6b5d-4c3b-8a29-1e0f2d3c4b5a";
const GROUP_C = "3a2b1c0d-9e8f-4a6b-8c4d-2e1f0a9b8c7d";
const FILTER = "9d8c7b6a-5f4e-4d3c-8b2a-190817263544";

describe("assignment resources under the real Pulumi CLI against the emulator", function () {
    this.timeout(300_000);
    let world: E2eWorld;
    let gpcPolicy: string;
    let w365Policy: string;

    before(async () => {
        world = await startE2eWorld("assignments");
        gpcPolicy = world.emulator.admin.seedPolicy("groupPolicyConfigurations", { displayName: "Baseline" }).id;
        w365Policy = world.emulator.admin.seedPolicy("provisioningPolicies", { displayName: "Engineers" }).id;
    });
    after(async () => world?.dispose());

    function program(gpcTarget: ReturnType<typeof targets.group>, extra?: () => void, w365Group = GROUP_B) {
        return async () => {
            const gpc = new GroupPolicyConfigurationAssignment("baseline-a", { policyId: gpcPolicy, target: gpcTarget });
            const w365 = new ProvisioningPolicyAssignment("engineers-b", { policyId: w365Policy, groupId: w365Group });
            extra?.();
            return { gpcId: gpc.assignmentId, w365Id: w365.assignmentId };
        };
    }

    it("creates both assignments with one POST each", async () => {
        world.emulator.admin.clearLog();
        const result = await (await world.stack(program(targets.group(GROUP_A)))).up();
        assert.equal(result.summary.resourceChanges?.create, 3);
        const posts = world.writes().filter((w) => w.method === "POST");
        assert.equal(posts.length, 2, JSON.stringify(world.writes()));
        const [gpc] = world.emulator.admin.listAssignments("groupPolicyConfigurations", gpcPolicy);
        assert.equal(result.outputs.gpcId?.value, gpc?.id);
        assert.equal(world.emulator.admin.listAssignments("provisioningPolicies", w365Policy).length, 1);
    });

    it("sends zero write requests on a second up", async () => {
        world.emulator.admin.clearLog();
        const result = await (await world.stack(program(targets.group(GROUP_A)))).up();
        assert.deepEqual(result.summary.resourceChanges, { same: 3 });
        assert.deepEqual(world.writes(), []);
    });

    it("sends exactly one PATCH carrying only the target when the target changes", async () => {
        world.emulator.admin.clearLog();
        const changed = targets.group(GROUP_A, { filter: { id: FILTER, type: "include" } });
        const preview = await (await world.stack(program(changed))).preview();
        assert.equal(preview.changeSummary.update, 1);
        assert.deepEqual(world.writes(), [], "preview writes nothing");
        const result = await (await world.stack(program(changed))).up();
        assert.equal(result.summary.resourceChanges?.update, 1);
        const writes = world.writes();
        assert.equal(writes.length, 1, JSON.stringify(writes));
        assert.equal(writes[0]!.method, "PATCH");
        const body = writes[0]!.body as Record<string, unknown>;
        assert.deepEqual(Object.keys(body).filter((k) => !k.startsWith("@odata.")), ["target"]);
        const target = body.target as Record<string, unknown>;
        assert.equal(target["@odata.type"], "#microsoft.graph.groupAssignmentTarget");
        assert.equal(target.deviceAndAppManagementAssignmentFilterType, "include");
    });

    it("shows an out-of-band change on refresh and repairs it on up", async () => {
        const [live] = world.emulator.admin.listAssignments("groupPolicyConfigurations", gpcPolicy);
        world.emulator.admin.mutateAssignment("groupPolicyConfigurations", gpcPolicy, live!.id, {
            target: { deviceAndAppManagementAssignmentFilterType: "exclude" },
        });
        const desired = targets.group(GROUP_A, { filter: { id: FILTER, type: "include" } });
        const stack = await world.stack(program(desired));
        const refresh = await stack.refresh();
        assert.equal(refresh.summary.resourceChanges?.update, 1, refresh.stdout);
        world.emulator.admin.clearLog();
        const repaired = await stack.up();
        assert.equal(repaired.summary.resourceChanges?.update, 1);
        assert.deepEqual(world.writes().map((w) => w.method), ["PATCH"]);
        const [after] = world.emulator.admin.listAssignments("groupPolicyConfigurations", gpcPolicy);
        assert.equal(after!.target.deviceAndAppManagementAssignmentFilterType, "include");
    });

    it("adopts a pre-existing assignment instead of duplicating it, with a warning on the resource", async () => {
        const existing = world.emulator.admin.addAssignment("groupPolicyConfigurations", gpcPolicy, {
            "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget",
            groupId: GROUP_C,
        });
        const desired = targets.group(GROUP_A, { filter: { id: FILTER, type: "include" } });
        const stack = await world.stack(
            program(desired, () => {
                new GroupPolicyConfigurationAssignment("exclude-c", { policyId: gpcPolicy, target: targets.exclusionGroup(GROUP_C) });
            }),
        );
        const events: EngineEvent[] = [];
        const result = await stack.up({ onEvent: (event) => events.push(event) });
        assert.equal(result.summary.resourceChanges?.create, 1);
        const live = world.emulator.admin.listAssignments("groupPolicyConfigurations", gpcPolicy);
        assert.equal(live.length, 2, "the existing assignment was adopted, not duplicated");
        assert.ok(live.some((a) => a.id === existing.id));
        // The engine attributes the warning to the resource: its event carries the URN, `up` lists it under the resource.
        const expected = `adopted existing assignment ${existing.id} on policy ${gpcPolicy}`;
        const warnings = events.flatMap((e) => (e.diagnosticEvent?.severity === "warning" ? [e.diagnosticEvent] : []));
        assert.deepEqual(
            warnings.map((w) => ({ urn: w.urn, message: w.message.trim() })),
            [{ urn: `urn:pulumi:dev::assignments::pulumi-nodejs:dynamic/msgraph:GroupPolicyConfigurationAssignment::exclude-c`, message: expected }],
        );
        assert.match(result.stdout, new RegExp(`GroupPolicyConfigurationAssignment \\(exclude-c\\):\\s+warning: ${expected}`));
    });

    it("replaces a provisioning assignment whose group changes, so its id names the new assignment", async () => {
        const stack = await world.stack(program(targets.group(GROUP_A, { filter: { id: FILTER, type: "include" } }), () => {
            new GroupPolicyConfigurationAssignment("exclude-c", { policyId: gpcPolicy, target: targets.exclusionGroup(GROUP_C) });
        }, GROUP_C));
        world.emulator.admin.clearLog();
        const result = await stack.up();
        assert.equal(result.summary.resourceChanges?.replace, 1, result.stdout);
        assert.deepEqual(world.writes().map((w) => w.method), ["POST", "DELETE"], "created first, then the old one deleted");
        const live = world.emulator.admin.listAssignments("provisioningPolicies", w365Policy);
        assert.deepEqual(live.map((a) => a.id), [`${w365Policy}_${GROUP_C}`]);
        assert.equal(result.outputs.w365Id?.value, `${w365Policy}_${GROUP_C}`);
    });

    it("with adoptExisting false (resource or stack), fails naming the occupant found on the policy's list and writes nothing", async () => {
        const occupant = world.emulator.admin.addAssignment("groupPolicyConfigurations", gpcPolicy, { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" });
        const cases: { stackName: string; adoptExisting?: boolean; config: Record<string, string> }[] = [
            { stackName: "strict-resource", adoptExisting: false, config: {} },
            { stackName: "strict-stack", adoptExisting: undefined, config: { "msgraph:adoptExisting": "false" } },
        ];
        for (const c of cases) {
            const stack = await world.stack(async () => {
                new GroupPolicyConfigurationAssignment("all-devices", {
                    policyId: gpcPolicy,
                    target: targets.allDevices({ filter: { id: FILTER, type: "include" } }),
                    ...(c.adoptExisting !== undefined ? { adoptExisting: c.adoptExisting } : {}),
                });
            }, { stackName: c.stackName, config: c.config });
            world.emulator.admin.clearLog();
            await assert.rejects(stack.up(), (error: Error) => {
                assert.match(error.message, new RegExp(`policy ${gpcPolicy} already has assignment ${occupant.id} for target allDevicesAssignmentTarget`));
                assert.match(error.message, /adoptExisting is false/);
                return true;
            });
            assert.deepEqual(world.writes().map((w) => w.method), [], `${c.stackName}: the occupant is on the list read before posting: no POST`);
            const after = world.emulator.admin.listAssignments("groupPolicyConfigurations", gpcPolicy).find((a) => a.id === occupant.id);
            assert.equal(after?.target.deviceAndAppManagementAssignmentFilterType ?? "none", "none", "the occupant is untouched");
        }
        world.emulator.admin.deleteAssignment("groupPolicyConfigurations", gpcPolicy, occupant.id);
    });

    it("deletes every assignment on destroy", async () => {
        const result = await (await world.stack(program(targets.group(GROUP_A)))).destroy();
        assert.equal(result.summary.resourceChanges?.delete, 4);
        assert.deepEqual(world.emulator.admin.listAssignments("groupPolicyConfigurations", gpcPolicy), []);
        assert.deepEqual(world.emulator.admin.listAssignments("provisioningPolicies", w365Policy), []);
    });

    it("get references an assignment made out of band: outputs from the live list, no write on up, kept on destroy", async () => {
        const existing = world.emulator.admin.addAssignment("groupPolicyConfigurations", gpcPolicy, {
            "@odata.type": "#microsoft.graph.groupAssignmentTarget",
            groupId: GROUP_B.toUpperCase(),
            deviceAndAppManagementAssignmentFilterId: FILTER,
            deviceAndAppManagementAssignmentFilterType: "exclude",
        });
        const stack = await world.stack(async () => {
            const reference = GroupPolicyConfigurationAssignment.get("existing-b", existing.id, { policyId: gpcPolicy });
            return { target: reference.target, assignmentId: reference.assignmentId, policyId: reference.policyId };
        }, { stackName: "reference" });
        world.emulator.admin.clearLog();
        const up = await stack.up();
        assert.deepEqual(up.summary.resourceChanges, { create: 1 }, up.stdout); // the stack; a read counts as no change
        assert.match(up.stdout, /read pulumi-nodejs:dynamic\/msgraph:GroupPolicyConfigurationAssignment existing-b/);
        assert.deepEqual(up.outputs.target?.value, {
            "@odata.type": "#microsoft.graph.groupAssignmentTarget",
            groupId: GROUP_B,
            deviceAndAppManagementAssignmentFilterId: FILTER,
            deviceAndAppManagementAssignmentFilterType: "exclude",
        });
        assert.equal(up.outputs.assignmentId?.value, existing.id);
        assert.equal(up.outputs.policyId?.value, gpcPolicy);
        assert.deepEqual(world.writes(), [], "a reference writes nothing");
        assert.ok(world.emulator.log().some((e) => e.method === "GET" && e.path.includes(`/groupPolicyConfigurations/${gpcPolicy}/assignments`)), "read from the policy's list");

        world.emulator.admin.clearLog();
        const destroyed = await stack.destroy();
        // The reference is discarded from the state (read-only: Pulumi deletes only what the stack created).
        assert.deepEqual(destroyed.summary.resourceChanges, { delete: 1, discard: 1 }, destroyed.stdout);
        assert.deepEqual(world.writes(), [], "destroy deletes nothing in Graph");
        assert.ok(world.emulator.admin.listAssignments("groupPolicyConfigurations", gpcPolicy).some((a) => a.id === existing.id), "the assignment is still there");
        world.emulator.admin.deleteAssignment("groupPolicyConfigurations", gpcPolicy, existing.id);
    });

    it("get refuses an id or a policy id that is no id, naming it, before any request", async () => {
        const stack = await world.stack(async () => {
            GroupPolicyConfigurationAssignment.get("bad-reference", "../x", { policyId: "not-a-guid" });
        }, { stackName: "bad-reference" });
        world.emulator.admin.clearLog();
        await assert.rejects(stack.up(), (error: Error) => {
            assert.match(error.message, /GroupPolicyConfigurationAssignment\.get: policyId must be a GUID/);
            assert.match(error.message, /id must not contain '\/'/);
            assert.doesNotMatch(error.message, /\n\s+at /, "no stack trace");
            return true;
        });
        assert.deepEqual(world.emulator.log().filter((e) => e.path.startsWith("/beta/")), []);
    });

    it("get of an assignment its policy does not hold fails the up, naming both, with no stack trace", async () => {
        const missing = "1d6c4b58-0e0f-4b6a-9d55-3f2a1e0c9b87";
        const stack = await world.stack(async () => {
            GroupPolicyConfigurationAssignment.get("missing", missing, { policyId: gpcPolicy });
        }, { stackName: "missing-reference" });
        world.emulator.admin.clearLog();
        await assert.rejects(stack.up(), (error: Error) => {
            assert.match(error.message, new RegExp(`GroupPolicyConfigurationAssignment\\.get: policy ${gpcPolicy} holds no assignment ${missing}`));
            assert.doesNotMatch(error.message, /\n\s+at /, "no stack trace");
            return true;
        });
        assert.deepEqual(world.writes(), []);
    });

    it("fails preview on a bad input, naming the property, before any request", async () => {
        world.emulator.admin.clearLog();
        const stack = await world.stack(async () => {
            new GroupPolicyConfigurationAssignment("bad", { policyId: "not-a-guid", target: targets.group(GROUP_A) });
        }, { stackName: "bad-input" });
        await assert.rejects(stack.preview(), (error: Error) => {
            assert.match(error.message, /policyId/);
            assert.match(error.message, /GUID/);
            return true;
        });
        assert.deepEqual(world.emulator.log().filter((e) => !e.path.includes("oauth2") && !e.path.includes("well-known")), []);
    });
});
