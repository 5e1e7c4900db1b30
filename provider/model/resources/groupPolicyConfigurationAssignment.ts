import { defineResource } from "../description.js";
import { INTUNE_ASSIGNMENT_TARGET, targetSlot } from "../targets.js";

const POLICY = "/deviceManagement/groupPolicyConfigurations/{policyId}";
const GROUP_TARGET = { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f" };
const EXAMPLE_FILTER = "9d8c7b6a-5f4e-4d3c-8b2a-190817263544";

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
    example: {
        inputs: { target: { ...GROUP_TARGET, deviceAndAppManagementAssignmentFilterId: EXAMPLE_FILTER, deviceAndAppManagementAssignmentFilterType: "include" } },
        update: { target: { ...GROUP_TARGET, deviceAndAppManagementAssignmentFilterId: EXAMPLE_FILTER, deviceAndAppManagementAssignmentFilterType: "exclude" } },
    },
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
