import * as pulumi from "@pulumi/pulumi";
import { serializedProvider } from "./serializedProvider";

/** Inputs of {@link ProvisioningPolicyAssignment}. */
export interface ProvisioningPolicyAssignmentArgs {
    /** Id (GUID) of the Windows 365 provisioning policy. Changing it REPLACES the assignment. */
    readonly policyId: pulumi.Input<string>;
    /** Id (GUID) of the Entra group. Updated in place with PATCH, as the ProvisionPolicyAssignmentItem page documents. */
    readonly groupId: pulumi.Input<string>;
}

/** A Windows 365 provisioning-policy assignment in the `ProvisionPolicyAssignmentItem` shape (Graph beta). */
export class ProvisioningPolicyAssignment extends pulumi.dynamic.Resource {
    declare public readonly policyId: pulumi.Output<string>;
    /** The group as Graph holds it (lower-case GUID). */
    declare public readonly groupId: pulumi.Output<string>;
    /** Graph's id of the assignment (server-managed, `{policyId}_{groupId}`). */
    declare public readonly assignmentId: pulumi.Output<string>;

    constructor(name: string, args: ProvisioningPolicyAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            serializedProvider("ProvisioningPolicyAssignment"),
            name,
            { ...args, assignmentId: undefined },
            opts,
            "msgraph",
            "ProvisioningPolicyAssignment",
        );
    }
}
