/** Pulumi resources for Microsoft Graph (beta) assignments. Type tokens: pulumi-nodejs:dynamic/msgraph:<Kind>. */
export { GroupPolicyConfigurationAssignment, type GroupPolicyConfigurationAssignmentArgs } from "./groupPolicyConfigurationAssignment";
export { ProvisioningPolicyAssignment, type ProvisioningPolicyAssignmentArgs } from "./provisioningPolicyAssignment";
export { CloudPcProvisioningPolicyAssignment, type CloudPcProvisioningPolicyAssignmentArgs } from "./cloudPcProvisioningPolicyAssignment";
export { targets, type AssignmentTarget, type AssignmentFilter, type CloudPcAssignmentTarget, type FrontlineAllotment } from "./targets";
