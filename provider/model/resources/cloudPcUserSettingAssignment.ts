import { defineResource } from "../description.js";
import { CLOUD_PC_ASSIGNMENT_READ_ONLY, CLOUD_PC_ASSIGNMENT_TARGET, targetSlot } from "../targets.js";
import type { ComplexSpec } from "../types.js";

const POLICY = "/deviceManagement/virtualEndpoint/userSettings/{policyId}";

/**
 * Windows 365's group target without the allotment's dependency on its service plan: both are refused here (see the
 * rule below), and one clear error is better than a second one asking for a plan that is refused too.
 */
const { dependentRequired: _allotmentNeedsPlan, ...GROUP_TARGET } = CLOUD_PC_ASSIGNMENT_TARGET.variants.cloudPcManagementGroupAssignmentTarget!;
const USER_SETTING_TARGET: ComplexSpec = { type: "complex", variants: { cloudPcManagementGroupAssignmentTarget: GROUP_TARGET } };

/**
 * Windows 365 cloudPcUserSettingAssignment (beta), fact sheet §14.
 * Inputs: `policyId` (GUID of the cloudPcUserSetting; changing it replaces) and `target`
 * (cloudPcManagementGroupAssignmentTarget). Changing `target.groupId` replaces the assignment (its Graph id is
 * `{policyId}_{groupId}`); the other target fields update in place through `assign`. No item route is documented
 * (❓ in the SDK only), so every write goes through `assign` (body key `assignments`, 204) and reads use
 * `?$expand=assignments` on the setting. Graph's reads spell the target type `cloudPCManagementGroupAssignmentTarget`;
 * type names are compared ignoring case. `id` and `createdDateTime` are Graph's and never posted back.
 * A Frontline service plan and allotment (`servicePlanId`, `allotment*`) belong to a provisioning policy's
 * provisioning type, which a user setting does not have; whether Graph accepts them here is not confirmed (❓), so
 * check refuses them rather than let a write fail or do something unknown.
 */
export const cloudPcUserSettingAssignment = defineResource({
    kind: "CloudPcUserSettingAssignment",
    paths: {
        parent: POLICY,
        collection: `${POLICY}/assignments`,
        item: `${POLICY}/assignments/{id}`,
        assign: `${POLICY}/assign`,
    },
    odataType: "#microsoft.graph.cloudPcUserSettingAssignment",
    sendOdataType: false,
    properties: {
        policyId: { type: "guid", doc: "Id of the Windows 365 user setting (cloudPcUserSetting)." },
        target: { ...USER_SETTING_TARGET, doc: "The Microsoft Entra group (Microsoft 365 or security group) the user setting applies to." },
    },
    required: ["policyId", "target"],
    replaceOnChange: ["policyId", "target.groupId"],
    serverManaged: ["id", "createdDateTime"],
    bodyProperties: ["target"],
    pathProperties: ["policyId"],
    matchKey: (body) => targetSlot(body.target),
    itemRoutes: { create: false, update: false, delete: false },
    assignList: {
        listPath: POLICY,
        listShape: "expand",
        answer: "noContent",
        readOnly: [...CLOUD_PC_ASSIGNMENT_READ_ONLY, "createdDateTime"],
    },
    rules: [
        {
            forbid: ["target.servicePlanId", "target.allotmentDisplayName", "target.allotmentLicensesCount"],
            reason: "a user setting has no provisioning type, so its target takes no Frontline service plan or allotment",
        },
    ],
    summary:
        "Assigns a Windows 365 user setting (deviceManagement/virtualEndpoint/userSettings: local admin, restore points) to a Microsoft Entra group, through the setting's `assign` action (the only write Graph documents for it).",
    example: {
        inputs: { target: { "@odata.type": "#microsoft.graph.cloudPcManagementGroupAssignmentTarget", groupId: "3a2b1c0d-9e8f-4a6b-8c4d-2e1f0a9b8c7d" } },
        // The allotment fields, the only ones updated in place, need a Frontline provisioning type, which a user setting
        // does not have: a new group (a replacement) is the change a user setting takes.
        update: { target: { "@odata.type": "#microsoft.graph.cloudPcManagementGroupAssignmentTarget", groupId: "0c9e8f7a-6b5d-4c3b-8a29-1e0f2d3c4b5a" } },
    },
});
