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
export { DeviceManagementScriptAssignment, type DeviceManagementScriptAssignmentArgs } from "./deviceManagementScriptAssignment";
export { DeviceShellScriptAssignment, type DeviceShellScriptAssignmentArgs } from "./deviceShellScriptAssignment";
export { DeviceHealthScriptAssignment, type DeviceHealthScriptAssignmentArgs } from "./deviceHealthScriptAssignment";
export { WindowsAutopilotDeploymentProfileAssignment, type WindowsAutopilotDeploymentProfileAssignmentArgs } from "./windowsAutopilotDeploymentProfileAssignment";
export { WindowsFeatureUpdateProfileAssignment, type WindowsFeatureUpdateProfileAssignmentArgs } from "./windowsFeatureUpdateProfileAssignment";
export { WindowsQualityUpdateProfileAssignment, type WindowsQualityUpdateProfileAssignmentArgs } from "./windowsQualityUpdateProfileAssignment";
export { WindowsDriverUpdateProfileAssignment, type WindowsDriverUpdateProfileAssignmentArgs } from "./windowsDriverUpdateProfileAssignment";
export { schedules, type RunSchedule, type HourlyRunSchedule, type DailyRunSchedule, type RunOnceSchedule } from "./schedules";
export type { AdoptionOption } from "./adoptionOption";
export { MobileAppAssignment, type MobileAppAssignmentArgs } from "./mobileAppAssignment";
export { ManagedDeviceMobileAppConfigurationAssignment, type ManagedDeviceMobileAppConfigurationAssignmentArgs } from "./managedDeviceMobileAppConfigurationAssignment";
export { IosManagedAppProtectionAssignment, type IosManagedAppProtectionAssignmentArgs } from "./iosManagedAppProtectionAssignment";
export { AndroidManagedAppProtectionAssignment, type AndroidManagedAppProtectionAssignmentArgs } from "./androidManagedAppProtectionAssignment";
export { WindowsManagedAppProtectionAssignment, type WindowsManagedAppProtectionAssignmentArgs } from "./windowsManagedAppProtectionAssignment";
export { TargetedManagedAppConfigurationAssignment, type TargetedManagedAppConfigurationAssignmentArgs } from "./targetedManagedAppConfigurationAssignment";
export {
    appSettings,
    intents,
    type InstallIntent,
    type MobileAppAssignmentSettings,
    type Win32AppSettings,
    type WinGetAppSettings,
    type IosAppSettings,
    type IosVppAppSettings,
    type AndroidManagedStoreAppSettings,
    type RestartSettings,
    type AppNotifications,
} from "./appSettings";
