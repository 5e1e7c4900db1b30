import { defineResource } from "../description.js";

/** Windows 365 provisioning policies. The draft page's root `/provisioningPolicies` does not exist in Graph. */
const POLICY = "/deviceManagement/virtualEndpoint/provisioningPolicies/{policyId}";

/**
 * Windows 365 provisioning policy assignment in the seed (draft page) shape `ProvisionPolicyAssignmentItem`.
 * Inputs: `policyId` (GUID; changing it replaces the assignment) and `groupId` (GUID; updated in place with PATCH,
 * as the draft page documents). Graph ids of these items have the form `{policyId}_{groupId}`.
 */
export const provisioningPolicyAssignment = defineResource({
    kind: "ProvisioningPolicyAssignment",
    paths: {
        parent: POLICY,
        collection: `${POLICY}/assignments`,
        item: `${POLICY}/assignments/{id}`,
        assign: `${POLICY}/assign`,
    },
    odataType: "#microsoft.graph.ProvisionPolicyAssignmentItem",
    sendOdataType: true,
    properties: { policyId: { type: "guid" }, groupId: { type: "guid" } },
    required: ["policyId", "groupId"],
    replaceOnChange: ["policyId"],
    serverManaged: ["id"],
    bodyProperties: ["groupId"],
    pathProperties: ["policyId"],
    matchKey: (body) => `group:${String(body.groupId).toLowerCase()}`,
});
