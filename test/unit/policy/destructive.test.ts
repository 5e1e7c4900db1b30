import assert from "node:assert/strict";
import { DEFAULT_REGISTRY } from "../../../policy/assignments.js";
import { destructiveChanges, previousResourcesOf, stackNameFromEnv, tooManyDestructiveChanges } from "../../../policy/destructive.js";
import { allDevices, G1, G2, group, P1, P2, resource } from "./fixtures.js";

const old = (name: string, inputs: Record<string, unknown>, kind?: string) => {
    const r = resource(name, inputs, kind);
    return { urn: r.urn, type: r.type, inputs };
};

describe("policy: deletes and replacements of one update", () => {
    it("a gone URN is a delete; a replaceOnChange change (policyId) is a replacement; a filter change is neither", () => {
        const previous = [
            old("gone", { policyId: P1, target: group(G1) }),
            old("moved", { policyId: P1, target: group(G1) }),
            old("refiltered", { policyId: P1, target: allDevices() }),
            old("same", { policyId: P1, target: group(G2) }),
            { urn: "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev", type: "pulumi:pulumi:Stack" },
        ];
        const current = [
            resource("moved", { policyId: P2, target: group(G1), __provider: "x", assignmentId: "id" }),
            resource("refiltered", { policyId: P1, target: allDevices({ deviceAndAppManagementAssignmentFilterId: G2, deviceAndAppManagementAssignmentFilterType: "include" }) }),
            resource("same", { policyId: P1.toUpperCase(), target: group(G2.toUpperCase()) }),
        ];
        assert.deepEqual(destructiveChanges(previous, current, DEFAULT_REGISTRY).map((c) => [c.name, c.change]), [["gone", "delete"], ["moved", "replace"]]);
    });

    it("a group change replaces a ProvisioningPolicyAssignment (its description says so), an alias is no delete", () => {
        const previous = [old("seat", { policyId: P1, groupId: G1 }, "ProvisioningPolicyAssignment"), old("renamed", { policyId: P1, target: group(G1) })];
        const renamed = { ...resource("new-name", { policyId: P1, target: group(G1) }), aliases: [previous[1]!.urn] };
        const current = [resource("seat", { policyId: P1, groupId: G2 }, "ProvisioningPolicyAssignment"), renamed];
        assert.deepEqual(destructiveChanges(previous, current, DEFAULT_REGISTRY).map((c) => [c.name, c.change]), [["seat", "replace"]]);
    });

    it("resources pending deletion from an earlier run are not counted again", () => {
        assert.deepEqual(destructiveChanges([{ ...old("x", { policyId: P1, target: group(G1) }), delete: true }], [], DEFAULT_REGISTRY), []);
    });

    it("the limit: at most N is fine; above it one violation lists deletes and replacements and what to change", () => {
        const changes = [
            { urn: "u1", name: "a", change: "delete" as const },
            { urn: "u2", name: "b", change: "replace" as const },
        ];
        assert.deepEqual(tooManyDestructiveChanges(changes, 2), []);
        const [v] = tooManyDestructiveChanges(changes, 1, "stack-urn");
        assert.equal(v!.urn, "stack-urn");
        assert.equal(
            v!.message,
            "This update deletes or replaces 2 assignments, more than maxDeletesAndReplacements (1). Deletes (1): a. Replacements (1): b. " +
                "Split the change into smaller updates, or raise maxDeletesAndReplacements in the policy pack config for this run.",
        );
    });

    it("reads the resources of a stack export and the stack name from the language host's environment", () => {
        assert.deepEqual(previousResourcesOf({ version: 3, deployment: { resources: [{ urn: "u", type: "t" }] } }), [{ urn: "u", type: "t" }]);
        assert.deepEqual(previousResourcesOf({ version: 3, deployment: {} }), []);
        assert.equal(stackNameFromEnv({ PULUMI_NODEJS_ORGANIZATION: "org", PULUMI_NODEJS_PROJECT: "p", PULUMI_NODEJS_STACK: "dev" }), "org/p/dev");
        assert.equal(stackNameFromEnv({ PULUMI_NODEJS_PROJECT: "p", PULUMI_NODEJS_STACK: "dev" }), "organization/p/dev");
        assert.equal(stackNameFromEnv({}), undefined);
    });
});
