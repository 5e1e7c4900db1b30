import * as pulumi from "@pulumi/pulumi";
import { DynamicAssignmentResource } from "./dynamicAssignmentResource";
import type { AssignmentTarget } from "./targets";

/** Inputs of {@link DeviceEnrollmentConfigurationAssignment}. */
export interface DeviceEnrollmentConfigurationAssignmentArgs {
    /**
     * Id of the Intune enrollment configuration: not always a plain GUID (e.g.
     * `{guid}_Windows10EnrollmentCompletionPageConfiguration`); letters, digits, '_' and '-'. Changing it REPLACES
     * the assignment.
     */
    readonly policyId: pulumi.Input<string>;
    /**
     * Who the enrollment configuration is assigned to (build one with `targets.*`).
     * Updated in place through the configuration's `assign` action (the rest of the list is kept). Filters apply
     * only where Intune supports them (platform restrictions).
     * Graph holds one assignment per target of a policy; an exclusion carries no filter.
     */
    readonly target: pulumi.Input<AssignmentTarget>;
    /**
     * Default `assign`: Graph documents item creates for this type but is reported to refuse them. `item` cannot
     * write this kind and fails check; `auto` tries the item routes first and falls back to `assign` once refused.
     * See docs/reliability.md on write strategies; not stored as an input.
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
 * An Intune `enrollmentConfigurationAssignment` (Graph beta) of a deviceEnrollmentConfiguration, written through
 * the configuration's `assign` action (body key `enrollmentConfigurationAssignments`).
 * Creating one for a target that already has an assignment adopts it (with a warning when this stack did not create
 * it); `adoptExisting: false` refuses that instead.
 */
export class DeviceEnrollmentConfigurationAssignment extends DynamicAssignmentResource {
    /** The policy id, as given. */
    declare public readonly policyId: pulumi.Output<string>;
    /** The target as Graph holds it (canonical form: lower-case GUIDs, `@odata.type` with '#'). */
    declare public readonly target: pulumi.Output<AssignmentTarget>;
    /** Graph's id of the assignment (server-managed). */
    declare public readonly assignmentId: pulumi.Output<string>;

    constructor(name: string, args: DeviceEnrollmentConfigurationAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
        const { writeStrategy, adoptExisting, ...inputs } = args;
        super("DeviceEnrollmentConfigurationAssignment", name, { ...inputs, assignmentId: undefined }, opts, { writeStrategy, adoptExisting });
    }
}
