import * as pulumi from "@pulumi/pulumi";
import { DynamicAssignmentResource } from "./dynamicAssignmentResource";
import type { CloudPcAssignmentTarget } from "./targets";

/** Inputs of {@link CloudPcUserSettingAssignment}. */
export interface CloudPcUserSettingAssignmentArgs {
    /** Id (GUID) of the Windows 365 user setting (cloudPcUserSetting). Changing it REPLACES the assignment. */
    readonly policyId: pulumi.Input<string>;
    /**
     * The Microsoft Entra group (build it with `targets.cloudPcGroup`). Changing `groupId` REPLACES the assignment
     * (Graph's id is `{policyId}_{groupId}`); the other target fields are updated in place through `assign`.
     */
    readonly target: pulumi.Input<CloudPcAssignmentTarget>;
    /**
     * Default `assign`: Graph documents only the setting's `assign` action for this type (reads use `$expand`).
     * `item` cannot write this kind and fails check. See docs/reliability.md on write strategies; not stored as an input.
     */
    readonly writeStrategy?: "item" | "assign" | "auto";
    /**
     * Whether creating this resource may take over an assignment that already holds its target and that this stack
     * did not create (a warning `adopted existing assignment <id> on policy <id>` reports each such takeover).
     * `false`: such a create fails naming the occupant, and nothing is written. Default: `msgraph:adoptExisting`,
     * else true. Not stored as an input: changing it never replaces the assignment. See docs/reliability.md on adoption.
     */
    readonly adoptExisting?: boolean;
}

/** A Windows 365 `cloudPcUserSettingAssignment` (Graph beta), written through the user setting's `assign` action. */
export class CloudPcUserSettingAssignment extends DynamicAssignmentResource {
    declare public readonly policyId: pulumi.Output<string>;
    /** The target as Graph holds it. */
    declare public readonly target: pulumi.Output<CloudPcAssignmentTarget>;
    /** Graph's id of the assignment (server-managed, `{policyId}_{groupId}`). */
    declare public readonly assignmentId: pulumi.Output<string>;

    constructor(name: string, args: CloudPcUserSettingAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
        const { writeStrategy, adoptExisting, ...inputs } = args;
        super("CloudPcUserSettingAssignment", name, { ...inputs, assignmentId: undefined }, opts, { writeStrategy, adoptExisting });
    }
}
