import * as pulumi from "@pulumi/pulumi";
import { DynamicAssignmentResource } from "./dynamicAssignmentResource";
import type { AssignmentTarget } from "./targets";

/** Inputs of {@link DeviceConfigurationAssignment}. */
export interface DeviceConfigurationAssignmentArgs {
    /** Id (GUID) of the Intune device configuration profile (deviceConfiguration). Changing it REPLACES the assignment. */
    readonly policyId: pulumi.Input<string>;
    /**
     * Who the profile is assigned to (build one with `targets.*`).
     * Updated in place: the PATCH carries the whole target with its `@odata.type`.
     * Graph holds one assignment per target of a policy; an exclusion carries no filter.
     */
    readonly target: pulumi.Input<AssignmentTarget>;
    /**
     * `apply` (Graph's default) or `remove`: whether the profile's settings are applied to or removed from the target.
     * Updated in place (PATCH of `intent` alone). Leaving it out is the same as `apply` and never shows a diff.
     */
    readonly intent?: pulumi.Input<"apply" | "remove">;
    /**
     * How writes reach Graph: `item` (POST/PATCH/DELETE per assignment), `assign` (read the policy's list, change
     * only this entry, post the list to the policy's `assign` action; other assignments are preserved) or `auto`
     * (item routes until Graph refuses them, then assign). Default: `msgraph:writeStrategy`, else `auto`.
     * Not stored as an input: changing it never replaces the assignment.
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

/**
 * An Intune `deviceConfigurationAssignment` (Graph beta): a device configuration profile assigned to a target, with
 * its `intent`. Graph's `source` and `sourceId` are read-only and never compared.
 * Creating one for a target that already has an assignment adopts it (with a warning when this stack did not create
 * it); `adoptExisting: false` refuses that instead.
 */
export class DeviceConfigurationAssignment extends DynamicAssignmentResource {
    /** The policy id, as given. */
    declare public readonly policyId: pulumi.Output<string>;
    /** The target as Graph holds it (canonical form: lower-case GUIDs, `@odata.type` with '#'). */
    declare public readonly target: pulumi.Output<AssignmentTarget>;
    /** The intent when it is not Graph's default: `remove`, or undefined (apply). */
    declare public readonly intent: pulumi.Output<"remove" | undefined>;
    /** Graph's id of the assignment (server-managed). */
    declare public readonly assignmentId: pulumi.Output<string>;

    constructor(name: string, args: DeviceConfigurationAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
        const { writeStrategy, adoptExisting, ...inputs } = args;
        super("DeviceConfigurationAssignment", name, { ...inputs, assignmentId: undefined }, opts, { writeStrategy, adoptExisting });
    }
}
