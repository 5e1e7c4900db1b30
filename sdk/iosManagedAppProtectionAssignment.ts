import * as pulumi from "@pulumi/pulumi";
import type { AdoptionOption } from "./adoptionOption";
import { DynamicAssignmentResource } from "./dynamicAssignmentResource";
import type { AssignmentTarget } from "./targets";

/** Inputs of {@link IosManagedAppProtectionAssignment}. */
export interface IosManagedAppProtectionAssignmentArgs extends AdoptionOption {
    /** Id (GUID) of the iOS/iPadOS app protection policy (iosManagedAppProtection). Changing it REPLACES the assignment. */
    readonly policyId: pulumi.Input<string>;
    /**
     * Who the policy is assigned to (build one with `targets.*`; filters allowed on include targets). Updated in
     * place. Graph holds one assignment per target of a policy.
     */
    readonly target: pulumi.Input<AssignmentTarget>;
    /**
     * How writes reach Graph. Default `assign` (posted to `managedAppPolicies/{id}/assign`, the documented action: no item create is documented; the policy's other assignments are preserved). `auto` tries the documented item PATCH and DELETE first; `item` is refused (no item create). Not stored as
     * an input.
     */
    readonly writeStrategy?: "assign" | "auto";
}

/** An Intune `targetedManagedAppPolicyAssignment` of a iOS/iPadOS app protection policy (iosManagedAppProtection) (Graph beta), written through `assign`. */
export class IosManagedAppProtectionAssignment extends DynamicAssignmentResource {
    /** The policy id, as given. */
    declare public readonly policyId: pulumi.Output<string>;
    /** The target as Graph holds it (canonical form: lower-case GUIDs, `@odata.type` with '#'). */
    declare public readonly target: pulumi.Output<AssignmentTarget>;
    /** Graph's id of the assignment (server-managed). */
    declare public readonly assignmentId: pulumi.Output<string>;

    constructor(name: string, args: IosManagedAppProtectionAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
        const { writeStrategy, adoptExisting, ...inputs } = args;
        super("IosManagedAppProtectionAssignment", name, { ...inputs, assignmentId: undefined }, opts, { writeStrategy, adoptExisting });
    }
}
