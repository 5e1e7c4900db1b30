import { defineResource } from "../description.js";
import { INTUNE_ASSIGNMENT_TARGET } from "../targets.js";
import { intunePaths, intuneTargetOnly } from "./intuneFamily.js";

const paths = intunePaths("deviceCompliancePolicies");
const target = intuneTargetOnly(
    { ...INTUNE_ASSIGNMENT_TARGET, doc: "Who the compliance policy is assigned to; filters are supported for every compliance policy." },
    { type: "guid", doc: "Id of the Intune deviceCompliancePolicy." },
);

/**
 * Intune deviceCompliancePolicyAssignment (beta), fact sheet §3.
 * Inputs: `policyId` (GUID of the deviceCompliancePolicy; changing it replaces) and `target`. Item POST on the
 * assignments collection is documented but reported refused ("No OData route", §3 (e)), so writes go through `assign`
 * (body key `assignments`, 200 with the list) by default; `assign` does not carry the policy's scheduled actions, which
 * are the policy's own and never touched. `source` and `sourceId` are Graph's (not marked read-only, §3 (b)): never
 * compared or sent for our entry, and posted back as read for every entry of the list.
 */
export const deviceCompliancePolicyAssignment = defineResource({
    kind: "DeviceCompliancePolicyAssignment",
    paths,
    odataType: "#microsoft.graph.deviceCompliancePolicyAssignment",
    ...target,
    replaceOnChange: ["policyId"],
    serverManaged: ["id", "source", "sourceId"],
    // PATCH and DELETE are documented and not reported refused; POST is reported refused: `assign` by default.
    itemRoutes: { create: false, update: true, delete: true },
    assignList: { listPath: paths.collection, listShape: "collection", answer: "list", readOnly: [] },
    summary:
        "Assigns an Intune device compliance policy (deviceManagement/deviceCompliancePolicies) to a group, an exclusion group, all devices, all licensed users or a Configuration Manager collection, optionally with an assignment filter. Written through the policy's `assign` action, because Graph refuses item creates for this type.",
    example: {
        inputs: { target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f" } },
        update: {
            target: {
                "@odata.type": "#microsoft.graph.groupAssignmentTarget",
                groupId: "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f",
                deviceAndAppManagementAssignmentFilterId: "9d8c7b6a-5f4e-4d3c-8b2a-190817263544",
                deviceAndAppManagementAssignmentFilterType: "exclude",
            },
        },
    },
});
