import * as pulumi from "@pulumi/pulumi";
import { serializedProvider } from "./serializedProvider";
import type { AssignmentTarget } from "./targets";

/** Inputs of {@link GroupPolicyConfigurationAssignment}. */
export interface GroupPolicyConfigurationAssignmentArgs {
    /** Id (GUID) of the Intune groupPolicyConfiguration. Changing it REPLACES the assignment. */
    readonly policyId: pulumi.Input<string>;
    /**
     * Who the policy is assigned to (build one with `targets.*`). Updated in place: the PATCH carries the whole
     * target with its `@odata.type`. Graph holds one assignment per target of a policy.
     */
    readonly target: pulumi.Input<AssignmentTarget>;
}

/**
 * An Intune `groupPolicyConfigurationAssignment` (Graph beta). Creating one for a target that already has an
 * assignment adopts it (and corrects it with a minimal PATCH) instead of failing or duplicating it.
 */
export class GroupPolicyConfigurationAssignment extends pulumi.dynamic.Resource {
    /** The policy id, as given. */
    declare public readonly policyId: pulumi.Output<string>;
    /** The target as Graph holds it (canonical form: lower-case GUIDs, `@odata.type` with '#'). */
    declare public readonly target: pulumi.Output<AssignmentTarget>;
    /** Graph's id of the assignment (server-managed). */
    declare public readonly assignmentId: pulumi.Output<string>;
    /** When Graph last changed the assignment (server-managed; never causes a diff). */
    declare public readonly lastModifiedDateTime: pulumi.Output<string | undefined>;

    constructor(name: string, args: GroupPolicyConfigurationAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            serializedProvider("GroupPolicyConfigurationAssignment"),
            name,
            { ...args, assignmentId: undefined, lastModifiedDateTime: undefined },
            opts,
            "msgraph",
            "GroupPolicyConfigurationAssignment",
        );
    }
}
