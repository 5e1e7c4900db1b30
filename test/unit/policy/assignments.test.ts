import assert from "node:assert/strict";
import { kindsWithBroadTargets, shortTypeName, viewOf } from "../../../policy/assignments.js";
import { UNKNOWN_VALUE } from "../../../provider/model/ids.js";
import { allDevices, exclusion, FILTER, G1, group, P1, resource, withFilter } from "./fixtures.js";

describe("policy: the assignment view of a resource", () => {
    it("ignores resources of other providers", () => {
        assert.equal(viewOf({ type: "aws:s3/bucket:Bucket", name: "b", urn: "u", props: {} }), undefined);
    });

    it("reads policy, group (lower case), role and filter from property names", () => {
        const v = viewOf(resource("a", { policyId: P1, target: group(G1.toUpperCase(), withFilter()) }))!;
        assert.equal(v.kind, "GroupPolicyConfigurationAssignment");
        assert.equal(v.groupId, G1);
        assert.equal(v.excludes, false);
        assert.equal(v.hasFilter, true);
        assert.equal(v.slot, `group:${G1}`);
        assert.equal(v.listKey, `/deviceManagement/groupPolicyConfigurations/${P1}/assignments`);
        assert.equal(viewOf(resource("x", { policyId: P1, target: exclusion(G1) }))!.excludes, true);
    });

    it("a filter of type none, or without an id, is no filter", () => {
        assert.equal(viewOf(resource("a", { policyId: P1, target: allDevices({ deviceAndAppManagementAssignmentFilterId: FILTER, deviceAndAppManagementAssignmentFilterType: "none" }) }))!.hasFilter, false);
        assert.equal(viewOf(resource("a", { policyId: P1, target: allDevices({ deviceAndAppManagementAssignmentFilterType: "include" }) }))!.hasFilter, false);
    });

    it("a top-level groupId (ProvisioningPolicyAssignment) is the group; both Windows 365 kinds share one list", () => {
        const seed = viewOf(resource("a", { policyId: P1, groupId: G1 }, "ProvisioningPolicyAssignment"))!;
        const current = viewOf(resource("b", { policyId: P1, target: { "@odata.type": "#microsoft.graph.cloudPcManagementGroupAssignmentTarget", groupId: G1 } }, "CloudPcProvisioningPolicyAssignment"))!;
        assert.equal(seed.groupId, G1);
        assert.equal(seed.listKey, current.listKey);
        assert.equal(seed.slot, current.slot);
    });

    it("unknown values (preview) leave the list and slot unknown", () => {
        const v = viewOf(resource("a", { policyId: UNKNOWN_VALUE, target: group(UNKNOWN_VALUE) }))!;
        assert.equal(v.listKey, undefined);
        assert.equal(v.slot, undefined);
        assert.equal(v.groupId, undefined);
    });

    it("a kind the registry does not know yet still gets a view (intent, broad target)", () => {
        const v = viewOf(resource("app", { policyId: P1, intent: "required", target: allDevices() }, "FutureAppAssignment"))!;
        assert.equal(v.intent, "required");
        assert.equal(v.broadTarget, "all devices");
        assert.equal(v.listKey, `FutureAppAssignment/${P1}`);
    });

    it("kinds with broad targets come from the registry's target variants", () => {
        const kinds = kindsWithBroadTargets();
        assert.ok(kinds.includes("GroupPolicyConfigurationAssignment"));
        assert.ok(!kinds.includes("CloudPcProvisioningPolicyAssignment") && !kinds.includes("ProvisioningPolicyAssignment"), "Windows 365 targets are groups only");
        assert.equal(shortTypeName("#microsoft.graph.allDevicesAssignmentTarget"), "allDevicesAssignmentTarget");
    });
});
