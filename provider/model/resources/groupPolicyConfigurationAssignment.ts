import { defineResource } from "../description.js";
import { INTUNE_ASSIGNMENT_TARGET, targetSlot } from "../targets.js";

const POLICY = "/deviceManagement/groupPolicyConfigurations/{policyId}";

/**
 * Intune groupPolicyConfigurationAssignment (beta).
 * Inputs: `policyId` (GUID of the groupPolicyConfiguration; changing it replaces the assignment) and `target`
 * (a deviceAndAppManagementAssignmentTarget; updated in place with PATCH, sent whole with its `@odata.type`).
 */
export const groupPolicyConfigurationAssignment = defineResource({
    kind: "GroupPolicyConfigurationAssignment",
    paths: {
        parent: POLICY,
        collection: `${POLICY}/assignments`,
        item: `${POLICY}/assignments/{id}`,
        assign: `${POLICY}/assign`,
    },
    odataType: "#microsoft.graph.groupPolicyConfigurationAssignment",
    sendOdataType: true,
    properties: { policyId: { type: "guid" }, target: INTUNE_ASSIGNMENT_TARGET },
    required: ["policyId", "target"],
    replaceOnChange: ["policyId"],
    serverManaged: ["id", "lastModifiedDateTime"],
    bodyProperties: ["target"],
    pathProperties: ["policyId"],
    matchKey: (body) => targetSlot(body.target),
    itemRoutes: { create: true, update: true, delete: true },
    assignList: {
        listPath: `${POLICY}/assignments`,
        listShape: "collection",
        answer: "list",
        // Graph sets the stamp; ids are posted back so that unchanged entries keep theirs.
        readOnly: ["lastModifiedDateTime"],
    },
});
