/**
 * The registry of resource descriptions, keyed by kind (the last part of the Pulumi type token).
 */
import type { ResourceDescription } from "./types.js";
import { cloudPcProvisioningPolicyAssignment } from "./resources/cloudPcProvisioningPolicyAssignment.js";
import { cloudPcUserSettingAssignment } from "./resources/cloudPcUserSettingAssignment.js";
import { deviceCompliancePolicyAssignment } from "./resources/deviceCompliancePolicyAssignment.js";
import { deviceConfigurationAssignment } from "./resources/deviceConfigurationAssignment.js";
import { deviceEnrollmentConfigurationAssignment } from "./resources/deviceEnrollmentConfigurationAssignment.js";
import { deviceManagementConfigurationPolicyAssignment } from "./resources/deviceManagementConfigurationPolicyAssignment.js";
import { deviceManagementIntentAssignment } from "./resources/deviceManagementIntentAssignment.js";
import { groupPolicyConfigurationAssignment } from "./resources/groupPolicyConfigurationAssignment.js";
import { provisioningPolicyAssignment } from "./resources/provisioningPolicyAssignment.js";
import { deviceManagementScriptAssignment } from "./resources/deviceManagementScriptAssignment.js";
import { deviceShellScriptAssignment } from "./resources/deviceShellScriptAssignment.js";
import { deviceHealthScriptAssignment } from "./resources/deviceHealthScriptAssignment.js";
import { windowsAutopilotDeploymentProfileAssignment } from "./resources/windowsAutopilotDeploymentProfileAssignment.js";
import { windowsFeatureUpdateProfileAssignment } from "./resources/windowsFeatureUpdateProfileAssignment.js";
import { windowsQualityUpdateProfileAssignment } from "./resources/windowsQualityUpdateProfileAssignment.js";
import { windowsDriverUpdateProfileAssignment } from "./resources/windowsDriverUpdateProfileAssignment.js";
import { mobileAppAssignment } from "./resources/mobileAppAssignment.js";
import { managedDeviceMobileAppConfigurationAssignment } from "./resources/managedDeviceMobileAppConfigurationAssignment.js";
import { iosManagedAppProtectionAssignment } from "./resources/iosManagedAppProtectionAssignment.js";
import { androidManagedAppProtectionAssignment } from "./resources/androidManagedAppProtectionAssignment.js";
import { windowsManagedAppProtectionAssignment } from "./resources/windowsManagedAppProtectionAssignment.js";
import { targetedManagedAppConfigurationAssignment } from "./resources/targetedManagedAppConfigurationAssignment.js";

/** Every description, one a line, in the order they were added. */
const ALL: readonly ResourceDescription[] = [
    groupPolicyConfigurationAssignment,
    provisioningPolicyAssignment,
    cloudPcProvisioningPolicyAssignment,
    deviceConfigurationAssignment,
    deviceCompliancePolicyAssignment,
    deviceManagementConfigurationPolicyAssignment,
    deviceManagementScriptAssignment,
    deviceShellScriptAssignment,
    deviceHealthScriptAssignment,
    windowsAutopilotDeploymentProfileAssignment,
    windowsFeatureUpdateProfileAssignment,
    windowsQualityUpdateProfileAssignment,
    windowsDriverUpdateProfileAssignment,
    deviceEnrollmentConfigurationAssignment,
    deviceManagementIntentAssignment,
    cloudPcUserSettingAssignment,
    mobileAppAssignment,
    managedDeviceMobileAppConfigurationAssignment,
    iosManagedAppProtectionAssignment,
    androidManagedAppProtectionAssignment,
    windowsManagedAppProtectionAssignment,
    targetedManagedAppConfigurationAssignment,
];

/** Every resource description by kind. Type tokens are forever: kinds are never renamed. */
export const descriptions: Readonly<Record<string, ResourceDescription>> = Object.freeze(Object.fromEntries(ALL.map((d) => [d.kind, d])));

/**
 * The description of `kind`.
 * @throws Error when the kind is unknown (the message lists the known kinds).
 */
export function getDescription(kind: string): ResourceDescription {
    if (!Object.prototype.hasOwnProperty.call(descriptions, kind)) {
        throw new Error(`unknown resource kind ${JSON.stringify(kind)}; expected one of: ${Object.keys(descriptions).join(", ")}`);
    }
    return descriptions[kind]!;
}
