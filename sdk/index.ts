/** Pulumi resources for Microsoft Graph (beta) assignments. Type tokens: pulumi-nodejs:dynamic/msgraph:<Kind>. */
export { GroupPolicyConfigurationAssignment, type GroupPolicyConfigurationAssignmentArgs } from "./groupPolicyConfigurationAssignment";
export { ProvisioningPolicyAssignment, type ProvisioningPolicyAssignmentArgs } from "./provisioningPolicyAssignment";
export { targets, type AssignmentTarget, type AssignmentFilter } from "./targets";
