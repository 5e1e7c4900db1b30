import { TYPE_PREFIX, type ResourceLike } from "../../../policy/assignments.js";

export const P1 = "1a1a1a1a-0000-4000-8000-000000000001";
export const P2 = "2b2b2b2b-0000-4000-8000-000000000002";
export const G1 = "aaaaaaaa-1111-4111-8111-000000000001";
export const G2 = "aaaaaaaa-2222-4222-8222-000000000002";
export const FILTER = "dddddddd-7777-4777-8777-000000000007";

export const group = (groupId: string, extra: object = {}) => ({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId, ...extra });
export const exclusion = (groupId: string) => ({ "@odata.type": "microsoft.graph.exclusionGroupAssignmentTarget", groupId });
export const allDevices = (extra: object = {}) => ({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", ...extra });
export const allUsers = (extra: object = {}) => ({ "@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget", ...extra });
export const withFilter = (type = "include") => ({ deviceAndAppManagementAssignmentFilterId: FILTER, deviceAndAppManagementAssignmentFilterType: type });

/** A resource of this provider as the policy framework hands it over. */
export function resource(name: string, props: Record<string, unknown>, kind = "GroupPolicyConfigurationAssignment"): ResourceLike {
    const type = `${TYPE_PREFIX}${kind}`;
    return { type, name, urn: `urn:pulumi:dev::proj::${type}::${name}`, props };
}
