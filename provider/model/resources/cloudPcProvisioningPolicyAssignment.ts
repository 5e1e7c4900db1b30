import { defineResource } from "../description.js";
import { CLOUD_PC_ASSIGNMENT_TARGET, targetSlot } from "../targets.js";

const POLICY = "/deviceManagement/virtualEndpoint/provisioningPolicies/{policyId}";

/**
 * Windows 365 cloudPcProvisioningPolicyAssignment (current beta shape).
 * Inputs: `policyId` (GUID; changing it replaces) and `target` (cloudPcManagementGroupAssignmentTarget). Changing
 * `target.groupId` replaces the assignment (its Graph id is `{policyId}_{groupId}`); the Frontline allotment fields
 * (servicePlanId, allotmentDisplayName, allotmentLicensesCount) are updated in place. Graph documents only the
 * `assign` action (replaces the whole list, 204) and reading through `?$expand=assignments` for this type.
 */
export const cloudPcProvisioningPolicyAssignment = defineResource({
    kind: "CloudPcProvisioningPolicyAssignment",
    paths: {
        parent: POLICY,
        collection: `${POLICY}/assignments`,
        item: `${POLICY}/assignments/{id}`,
        assign: `${POLICY}/assign`,
    },
    odataType: "#microsoft.graph.cloudPcProvisioningPolicyAssignment",
    sendOdataType: false,
    properties: { policyId: { type: "guid" }, target: CLOUD_PC_ASSIGNMENT_TARGET },
    required: ["policyId", "target"],
    replaceOnChange: ["policyId", "target.groupId"],
    serverManaged: ["id"],
    bodyProperties: ["target"],
    pathProperties: ["policyId"],
    matchKey: (body) => targetSlot(body.target),
    assignList: { listPath: POLICY, listShape: "expand", entryProperties: ["target"] },
});
