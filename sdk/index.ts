/** Pulumi resources for Microsoft Graph (beta) assignments. Type tokens: pulumi-nodejs:dynamic/msgraph:<Kind>. */
export { GroupPolicyConfigurationAssignment, type GroupPolicyConfigurationAssignmentArgs } from "./groupPolicyConfigurationAssignment";
export { ProvisioningPolicyAssignment, type ProvisioningPolicyAssignmentArgs } from "./provisioningPolicyAssignment";
export { CloudPcProvisioningPolicyAssignment, type CloudPcProvisioningPolicyAssignmentArgs } from "./cloudPcProvisioningPolicyAssignment";
export { DeviceConfigurationAssignment, type DeviceConfigurationAssignmentArgs } from "./deviceConfigurationAssignment";
export { DeviceCompliancePolicyAssignment, type DeviceCompliancePolicyAssignmentArgs } from "./deviceCompliancePolicyAssignment";
export { DeviceManagementConfigurationPolicyAssignment, type DeviceManagementConfigurationPolicyAssignmentArgs } from "./deviceManagementConfigurationPolicyAssignment";
export { DeviceEnrollmentConfigurationAssignment, type DeviceEnrollmentConfigurationAssignmentArgs } from "./deviceEnrollmentConfigurationAssignment";
export { DeviceManagementIntentAssignment, type DeviceManagementIntentAssignmentArgs } from "./deviceManagementIntentAssignment";
export { CloudPcUserSettingAssignment, type CloudPcUserSettingAssignmentArgs } from "./cloudPcUserSettingAssignment";
export { targets, type AssignmentTarget, type AssignmentFilter, type CloudPcAssignmentTarget, type FrontlineAllotment } from "./targets";
