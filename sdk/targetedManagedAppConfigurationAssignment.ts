import * as pulumi from "@pulumi/pulumi";
import type { AdoptionOption } from "./adoptionOption";
import { DynamicAssignmentResource } from "./dynamicAssignmentResource";
import type { AssignmentTarget } from "./targets";

/** Inputs of {@link TargetedManagedAppConfigurationAssignment}. */
export interface TargetedManagedAppConfigurationAssignmentArgs extends AdoptionOption {
    /** Id (GUID) of the app configuration policy for managed apps (targetedManagedAppConfiguration). Changing it REPLACES the assignment. */
    readonly policyId: pulumi.Input<string>;
    /**
     * Who the policy is assigned to (build one with `targets.*`; filters allowed on include targets). Updated in
     * place. Graph holds one assignment per target of a policy.
     */
    readonly target: pulumi.Input<AssignmentTarget>;
    /**
     * How writes reach Graph. Default `assign` (the policy's `assign` action: no item create is documented; the policy's other assignments are preserved). `auto` tries the documented item PATCH and DELETE first; `item` is refused (no item create). Not stored as
     * an input.
     */
    readonly writeStrategy?: "assign" | "auto";
}

/** An Intune `targetedManagedAppPolicyAssignment` of a app configuration policy for managed apps (targetedManagedAppConfiguration) (Graph beta), written through `assign`. */
export class TargetedManagedAppConfigurationAssignment extends DynamicAssignmentResource {
    /** The policy id, as given. */
    declare public readonly policyId: pulumi.Output<string>;
    /** The target as Graph holds it (canonical form: lower-case GUIDs, `@odata.type` with '#'). */
    declare public readonly target: pulumi.Output<AssignmentTarget>;
    /** Graph's id of the assignment (server-managed). */
    declare public readonly assignmentId: pulumi.Output<string>;

    constructor(name: string, args: TargetedManagedAppConfigurationAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
        const { writeStrategy, adoptExisting, ...inputs } = args;
        super("TargetedManagedAppConfigurationAssignment", name, { ...inputs, assignmentId: undefined }, opts, { writeStrategy, adoptExisting });
    }
}
