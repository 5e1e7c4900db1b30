import { defineResource } from "../description.js";
import { CLOUD_PC_ASSIGNMENT_READ_ONLY, CLOUD_PC_ASSIGNMENT_TARGET, targetSlot } from "../targets.js";

const POLICY = "/deviceManagement/virtualEndpoint/provisioningPolicies/{policyId}";
const GROUP_TARGET = { "@odata.type": "#microsoft.graph.cloudPcManagementGroupAssignmentTarget", groupId: "3a2b1c0d-9e8f-4a6b-8c4d-2e1f0a9b8c7d" };

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
    properties: {
        policyId: { type: "guid", doc: "Id of the Windows 365 provisioning policy (cloudPcProvisioningPolicy)." },
        target: { ...CLOUD_PC_ASSIGNMENT_TARGET, doc: "The Entra group, with the Frontline allotment fields (servicePlanId, allotmentDisplayName, allotmentLicensesCount) where the policy is Frontline." },
    },
    summary:
        "Assigns a Windows 365 provisioning policy (deviceManagement/virtualEndpoint/provisioningPolicies) to an Entra group in Graph's current cloudPcProvisioningPolicyAssignment shape (written through its assign action only), with the Frontline allotment fields updated in place.",
    example: {
        inputs: { target: { ...GROUP_TARGET } },
        // On a dedicated policy (no Frontline allotment) a new group, a replacement, is the change it takes.
        update: { target: { ...GROUP_TARGET, groupId: "0c9e8f7a-6b5d-4c3b-8a29-1e0f2d3c4b5a" } },
    },
    required: ["policyId", "target"],
    replaceOnChange: ["policyId", "target.groupId"],
    serverManaged: ["id"],
    bodyProperties: ["target"],
    pathProperties: ["policyId"],
    matchKey: (body) => targetSlot(body.target),
    // No item routes are documented for this type (only `assign`, 204, and reading with $expand).
    itemRoutes: { create: false, update: false, delete: false },
    assignList: { listPath: POLICY, listShape: "expand", answer: "noContent", readOnly: CLOUD_PC_ASSIGNMENT_READ_ONLY },
});
