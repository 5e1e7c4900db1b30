import { defineResource } from "../description.js";
import { CLOUD_PC_ASSIGNMENT_READ_ONLY } from "../targets.js";

/**
 * The seed (draft) page's route. Current Graph documents the same assignments under
 * /deviceManagement/virtualEndpoint/provisioningPolicies (see CloudPcProvisioningPolicyAssignment); this kind keeps
 * the route its page documents, and the write strategy `assign` covers tenants that refuse it.
 */
const POLICY = "/provisioningPolicies/{policyId}";

/**
 * Windows 365 provisioning policy assignment in the seed (draft page) shape `ProvisionPolicyAssignmentItem`.
 * Inputs: `policyId` (GUID) and `groupId` (GUID); changing either replaces the assignment. The draft page documents a
 * PATCH of `groupId`, but Graph ids of these items are `{policyId}_{groupId}`: after such a PATCH the id in state
 * would name an assignment that no longer exists. A new group is a new slot, so the replacement is created before
 * the old assignment is deleted (the group stays assigned throughout).
 */
export const provisioningPolicyAssignment = defineResource({
    kind: "ProvisioningPolicyAssignment",
    paths: {
        parent: POLICY,
        collection: `${POLICY}/assignments`,
        item: `${POLICY}/assignments/{id}`,
        assign: `/deviceManagement/virtualEndpoint/provisioningPolicies/{policyId}/assign`,
    },
    odataType: "#microsoft.graph.ProvisionPolicyAssignmentItem",
    sendOdataType: true,
    properties: {
        policyId: { type: "guid", doc: "Id of the Windows 365 provisioning policy." },
        groupId: { type: "guid", doc: "Id of the Entra group whose users get Cloud PCs from the policy." },
    },
    summary:
        "Assigns a Windows 365 provisioning policy to an Entra group through the draft ProvisionPolicyAssignmentItem route (/provisioningPolicies); its Graph id is {policyId}_{groupId}, so every change replaces. CloudPcProvisioningPolicyAssignment is the current shape.",
    example: {
        inputs: { groupId: "3a2b1c0d-9e8f-4a6b-8c4d-2e1f0a9b8c7d" },
        // No in-place change exists for this kind: a new group replaces the assignment.
        update: { groupId: "0c9e8f7a-6b5d-4c3b-8a29-1e0f2d3c4b5a" },
    },
    required: ["policyId", "groupId"],
    replaceOnChange: ["policyId", "groupId"],
    serverManaged: ["id"],
    bodyProperties: ["groupId"],
    pathProperties: ["policyId"],
    matchKey: (body) => `group:${String(body.groupId).toLowerCase()}`,
    // Current Graph keeps the same assignments as cloudPcProvisioningPolicyAssignment under virtualEndpoint, written
    // only through `assign` and read with $expand; an item there is {id, target:{groupId}}.
    // The draft page documents item create, update and delete.
    itemRoutes: { create: true, update: true, delete: true },
    assignList: {
        listPath: "/deviceManagement/virtualEndpoint/provisioningPolicies/{policyId}",
        listShape: "expand",
        answer: "noContent",
        readOnly: CLOUD_PC_ASSIGNMENT_READ_ONLY,
        toEntity: (entry) => {
            const target = (entry.target ?? {}) as Record<string, unknown>;
            return { id: entry.id, groupId: target.groupId };
        },
        toEntry: (body) => ({
            target: { "@odata.type": "#microsoft.graph.cloudPcManagementGroupAssignmentTarget", groupId: body.groupId },
        }),
    },
});
