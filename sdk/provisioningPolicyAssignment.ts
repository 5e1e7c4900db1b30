import * as pulumi from "@pulumi/pulumi";
import { DynamicAssignmentResource } from "./dynamicAssignmentResource";

/** Inputs of {@link ProvisioningPolicyAssignment}. */
export interface ProvisioningPolicyAssignmentArgs {
    /** Id (GUID) of the Windows 365 provisioning policy. Changing it REPLACES the assignment. */
    readonly policyId: pulumi.Input<string>;
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
    /**
     * Id (GUID) of the Entra group. Changing it REPLACES the assignment: Graph's id is `{policyId}_{groupId}`, so a
     * PATCH of the group (which the draft ProvisionPolicyAssignmentItem page shows) would leave the resource's id
     * naming an assignment that no longer exists. The new assignment is created before the old one is deleted.
     */
    readonly groupId: pulumi.Input<string>;
}

/** A Windows 365 provisioning-policy assignment in the `ProvisionPolicyAssignmentItem` shape (Graph beta). */
export class ProvisioningPolicyAssignment extends DynamicAssignmentResource {
    declare public readonly policyId: pulumi.Output<string>;
    /** The group as Graph holds it (lower-case GUID). */
    declare public readonly groupId: pulumi.Output<string>;
    /** Graph's id of the assignment (server-managed, `{policyId}_{groupId}`). */
    declare public readonly assignmentId: pulumi.Output<string>;

    constructor(name: string, args: ProvisioningPolicyAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
        const { writeStrategy, adoptExisting, ...inputs } = args;
        super("ProvisioningPolicyAssignment", name, { ...inputs, assignmentId: undefined }, opts, { writeStrategy, adoptExisting });
    }
}
