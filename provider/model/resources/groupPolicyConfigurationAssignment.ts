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
    properties: {
        policyId: { type: "guid", doc: "Id of the Intune groupPolicyConfiguration (administrative template)." },
        target: { ...INTUNE_ASSIGNMENT_TARGET, doc: "Who the administrative template is assigned to (a group, an exclusion, all devices, all licensed users, a Configuration Manager collection)." },
    },
    summary:
        "Assigns an Intune administrative template (deviceManagement/groupPolicyConfigurations) to a group, an exclusion group, all devices, all licensed users or a Configuration Manager collection, optionally with an assignment filter.",
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
