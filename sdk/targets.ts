import type * as pulumi from "@pulumi/pulumi";

/** An Intune assignment filter applied to an include target. */
export interface AssignmentFilter {
    /** Id (GUID) of the deviceAndAppManagementAssignmentFilter. */
    readonly id: pulumi.Input<string>;
    /** Whether the filter includes or excludes matching devices/users. */
    readonly type: pulumi.Input<"include" | "exclude">;
}

/** A deviceAndAppManagementAssignmentTarget as Graph writes it (`@odata.type` with or without '#'). */
export interface AssignmentTarget {
    readonly "@odata.type": pulumi.Input<string>;
    readonly groupId?: pulumi.Input<string>;
    readonly collectionId?: pulumi.Input<string>;
    readonly deviceAndAppManagementAssignmentFilterId?: pulumi.Input<string>;
    readonly deviceAndAppManagementAssignmentFilterType?: pulumi.Input<"none" | "include" | "exclude">;
}

/** A cloudPcManagementGroupAssignmentTarget (Windows 365). */
export interface CloudPcAssignmentTarget {
    readonly "@odata.type": pulumi.Input<string>;
    readonly groupId: pulumi.Input<string>;
    /** Frontline only: the service plan (GUID) whose licences are allotted. */
    readonly servicePlanId?: pulumi.Input<string>;
    readonly allotmentDisplayName?: pulumi.Input<string>;
    readonly allotmentLicensesCount?: pulumi.Input<number>;
}

/** Frontline allotment of a Windows 365 assignment. */
export interface FrontlineAllotment {
    readonly servicePlanId: pulumi.Input<string>;
    readonly allotmentDisplayName?: pulumi.Input<string>;
    readonly allotmentLicensesCount?: pulumi.Input<number>;
}

function withFilter(target: AssignmentTarget, filter?: AssignmentFilter): AssignmentTarget {
    return filter === undefined
        ? target
        : {
              ...target,
              deviceAndAppManagementAssignmentFilterId: filter.id,
              deviceAndAppManagementAssignmentFilterType: filter.type,
          };
}

/** Builders for assignment targets, e.g. `targets.group(groupId, { filter: { id, type: "include" } })`. */
export const targets = {
    /** Assign to the members of an Entra group. */
    group(groupId: pulumi.Input<string>, options: { filter?: AssignmentFilter } = {}): AssignmentTarget {
        return withFilter({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId }, options.filter);
    },
    /** Exclude the members of an Entra group (exclusions take no filter). */
    exclusionGroup(groupId: pulumi.Input<string>): AssignmentTarget {
        return { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId };
    },
    /** Assign to all devices. */
    allDevices(options: { filter?: AssignmentFilter } = {}): AssignmentTarget {
        return withFilter({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" }, options.filter);
    },
    /** Assign to all licensed users. */
    allLicensedUsers(options: { filter?: AssignmentFilter } = {}): AssignmentTarget {
        return withFilter({ "@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget" }, options.filter);
    },
    /** A Windows 365 group target; Frontline policies also take the allotment. */
    cloudPcGroup(groupId: pulumi.Input<string>, frontline?: FrontlineAllotment): CloudPcAssignmentTarget {
        return { "@odata.type": "#microsoft.graph.cloudPcManagementGroupAssignmentTarget", groupId, ...frontline };
    },
    /** Assign to a Configuration Manager collection (id like "SMS00001"). */
    configurationManagerCollection(collectionId: pulumi.Input<string>, options: { filter?: AssignmentFilter } = {}): AssignmentTarget {
        return withFilter(
            { "@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget", collectionId },
            options.filter,
        );
    },
};
