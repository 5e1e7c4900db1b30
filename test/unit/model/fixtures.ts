import { FILTER_ID, FILTER_TYPE, getDescription } from "../../../provider/model/index.js";

/** Intune's filter property names, short. */
export const FT = FILTER_TYPE;
export const FID = FILTER_ID;

export const GPCA = getDescription("GroupPolicyConfigurationAssignment");
export const ITEM = getDescription("ProvisioningPolicyAssignment");
export const CLOUD_PC = getDescription("CloudPcProvisioningPolicyAssignment");

export const POLICY = "0f6c2b1a-3d4e-4f50-8a9b-0c1d2e3f4a5b";
export const OTHER_POLICY = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
export const GROUP = "a1b2c3d4-e5f6-4789-9abc-def012345678";
export const OTHER_GROUP = "b2c3d4e5-f6a7-4890-8bcd-ef0123456789";
export const FILTER = "c3d4e5f6-a7b8-4901-9cde-f01234567890";
export const PLAN = "d4e5f6a7-b8c9-4012-8def-012345678901";

export const groupTarget = (extra: Record<string, unknown> = {}) => ({
    "@odata.type": "#microsoft.graph.groupAssignmentTarget",
    groupId: GROUP,
    ...extra,
});

export const gpca = (target: Record<string, unknown> = groupTarget(), extra: Record<string, unknown> = {}) => ({
    policyId: POLICY,
    target,
    ...extra,
});

export const cloudPcTarget = (extra: Record<string, unknown> = {}) => ({
    "@odata.type": "#microsoft.graph.cloudPcManagementGroupAssignmentTarget",
    groupId: GROUP,
    ...extra,
});
