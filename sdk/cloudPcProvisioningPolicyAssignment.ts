import * as pulumi from "@pulumi/pulumi";
import { DynamicAssignmentResource } from "./dynamicAssignmentResource";
import type { CloudPcAssignmentTarget } from "./targets";

/** Inputs of {@link CloudPcProvisioningPolicyAssignment}. */
export interface CloudPcProvisioningPolicyAssignmentArgs {
    /** Id (GUID) of the Windows 365 provisioning policy. Changing it REPLACES the assignment. */
    readonly policyId: pulumi.Input<string>;
    /**
     * The group (build it with `targets.cloudPcGroup`). Changing `groupId` REPLACES the assignment (Graph's id is
     * `{policyId}_{groupId}`); the Frontline allotment (servicePlanId, allotmentDisplayName, allotmentLicensesCount)
     * is updated in place.
     */
    readonly target: pulumi.Input<CloudPcAssignmentTarget>;
    /**
     * Default `assign`: Graph documents only the policy's `assign` action for this type. See docs/reliability.md on write
     * strategies; not stored as an input.
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

/** A Windows 365 `cloudPcProvisioningPolicyAssignment` (current Graph beta shape), written through `assign`. */
export class CloudPcProvisioningPolicyAssignment extends DynamicAssignmentResource {
    declare public readonly policyId: pulumi.Output<string>;
    /** The target as Graph holds it. */
    declare public readonly target: pulumi.Output<CloudPcAssignmentTarget>;
    /** Graph's id of the assignment (server-managed, `{policyId}_{groupId}`). */
    declare public readonly assignmentId: pulumi.Output<string>;

    constructor(name: string, args: CloudPcProvisioningPolicyAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
        const { writeStrategy, adoptExisting, ...inputs } = args;
        super("CloudPcProvisioningPolicyAssignment", name, { ...inputs, assignmentId: undefined }, opts, { writeStrategy, adoptExisting });
    }
}
