import assert from "node:assert/strict";
import { GroupPolicyConfigurationAssignment, ProvisioningPolicyAssignment } from "../../sdk";
import { sdkClassOf } from "../../cli/configRepo";
import { startE2eWorld, type E2eWorld } from "./harness";

/**
 * A corpus of invalid inputs. Every case must fail `preview` in `check`, with a message naming the property and the
 * problem, before the provider sends a single request (no Graph request, and no token request either).
 */
const GUID = "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f";
const POLICY = "0c9e8f7a-6b5d-4c3b-8a29-1e0f2d3c4b5a";
const FILTER = "9d8c7b6a-5f4e-4d3c-8b2a-190817263544";
const GROUP_TYPE = "#microsoft.graph.groupAssignmentTarget";
const EXCLUSION_TYPE = "#microsoft.graph.exclusionGroupAssignmentTarget";
const ALL_DEVICES_TYPE = "#microsoft.graph.allDevicesAssignmentTarget";
const COLLECTION_TYPE = "#microsoft.graph.configurationManagerCollectionAssignmentTarget";
/** GUID with a Cyrillic 'а' (U+0430) in place of the Latin 'a'. */
const LOOKALIKE = GUID.replace("a", "\u0430");
/** GUID with full-width digits. */
const FULLWIDTH = GUID.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
const HUGE = "a".repeat(100_000);

/** "gpc" and "w365" (the first corpus), else the kind (class name) of the SDK class to declare. */
type Kind = string;
interface BadCase {
    readonly name: string;
    readonly kind: Kind;
    readonly args: Record<string, unknown>;
    /** The property the message must name (as the dotted path the provider reports). */
    readonly property: string;
    /** What the message must say about it. */
    readonly problem: RegExp;
    /** Stack config the case needs (`msgraph:*`), removed again after it. */
    readonly config?: Readonly<Record<string, string>>;
}

const group = (groupId: unknown, extra: Record<string, unknown> = {}) => ({ "@odata.type": GROUP_TYPE, groupId, ...extra });
const gpc = (name: string, policyId: unknown, target: unknown, property: string, problem: RegExp): BadCase => ({
    name, kind: "gpc", args: { policyId, target }, property, problem,
});
const w365 = (name: string, args: Record<string, unknown>, property: string, problem: RegExp): BadCase => ({
    name, kind: "w365", args, property, problem,
});
const NOT_GUID = /must be a GUID/;
/** A case of a family beyond the first two kinds: the SDK class of `kind`, with the policy when `args` has none. */
const family = (kind: string, name: string, args: Record<string, unknown>, property: string, problem: RegExp): BadCase => ({
    name, kind, args: { policyId: POLICY, ...args }, property, problem,
});
const CLOUD_PC_GROUP_TYPE = "#microsoft.graph.cloudPcManagementGroupAssignmentTarget";
const WIN32_SETTINGS = "#microsoft.graph.win32LobAppAssignmentSettings";
/** The target-only app kinds and their case-name prefixes. */
const APP_POLICY_KINDS: readonly (readonly [string, string])[] = [
    ["ManagedDeviceMobileAppConfigurationAssignment", "mdmac"],
    ["IosManagedAppProtectionAssignment", "ios-mam"],
    ["AndroidManagedAppProtectionAssignment", "android-mam"],
    ["WindowsManagedAppProtectionAssignment", "windows-mam"],
    ["TargetedManagedAppConfigurationAssignment", "tmac"],
];

/** Kinds whose targets take no assignment filter, and their case-name prefixes. */
const NO_FILTER_KINDS: readonly (readonly [string, string])[] = [
    ["DeviceManagementScriptAssignment", "dmsa"],
    ["DeviceShellScriptAssignment", "dssa"],
    ["WindowsAutopilotDeploymentProfileAssignment", "wadpa"],
    ["WindowsFeatureUpdateProfileAssignment", "wfupa"],
    ["WindowsQualityUpdateProfileAssignment", "wqupa"],
    ["WindowsDriverUpdateProfileAssignment", "wdupa"],
];
const HOURLY = "#microsoft.graph.deviceHealthScriptHourlySchedule";
const DAILY = "#microsoft.graph.deviceHealthScriptDailySchedule";

const corpus: BadCase[] = [
    // policyId (GroupPolicyConfigurationAssignment)
    gpc("policy-not-guid", "not-a-guid", group(GUID), "policyId", NOT_GUID),
    gpc("policy-empty", "", group(GUID), "policyId", /must not be empty/),
    gpc("policy-blank", "   ", group(GUID), "policyId", /must not contain spaces/),
    gpc("policy-slash", `${GUID}/assignments`, group(GUID), "policyId", /must not contain '\/'/),
    gpc("policy-dotdot", `..${GUID}`, group(GUID), "policyId", /must not contain '\.\.'/),
    gpc("policy-dotdot-slash", `../${GUID}`, group(GUID), "policyId", /must not contain '\/'|must not contain '\.\.'/),
    gpc("policy-backslash", `${GUID}\\x`, group(GUID), "policyId", /must not contain '\/' or '\\'/),
    gpc("policy-query", `${GUID}?$top=1`, group(GUID), "policyId", /must not contain '\?' or '#'/),
    gpc("policy-fragment", `${GUID}#x`, group(GUID), "policyId", /must not contain '\?' or '#'/),
    gpc("policy-pct2f", `${GUID}%2Fassignments`, group(GUID), "policyId", /must not contain '%'/),
    gpc("policy-inner-space", GUID.replace("-", " -"), group(GUID), "policyId", /must not contain spaces/),
    gpc("policy-trailing-newline", `${GUID}\n`, group(GUID), "policyId", /control characters|spaces/),
    gpc("policy-lookalike", LOOKALIKE, group(GUID), "policyId", /only ASCII/),
    gpc("policy-fullwidth", FULLWIDTH, group(GUID), "policyId", /only ASCII/),
    gpc("policy-zero-width", `${GUID}\u200b`, group(GUID), "policyId", /only ASCII/),
    gpc("policy-braces", `{${GUID}}`, group(GUID), "policyId", NOT_GUID),
    gpc("policy-short", GUID.slice(0, 35), group(GUID), "policyId", NOT_GUID),
    gpc("policy-number", 42, group(GUID), "policyId", /must be (a GUID|string)/),
    gpc("policy-null", null, group(GUID), "policyId", /must be (a GUID|string)|required/),
    gpc("policy-missing", undefined, group(GUID), "policyId", /required/),
    gpc("policy-huge", HUGE, group(GUID), "policyId", /too long/),
    // target shape
    gpc("target-missing", POLICY, undefined, "target", /required/),
    gpc("target-null", POLICY, null, "target", /must be an object|required/),
    gpc("target-string", POLICY, "group", "target", /must be an object/),
    gpc("target-array", POLICY, [group(GUID)], "target", /must be an object/),
    gpc("target-no-odata-type", POLICY, { groupId: GUID }, "target.@odata.type", /required/),
    gpc("target-unknown-kind", POLICY, { "@odata.type": "#microsoft.graph.userAssignmentTarget", groupId: GUID },
        "target.@odata.type", /must be one of/),
    gpc("target-abstract-kind", POLICY, { "@odata.type": "#microsoft.graph.deviceAndAppManagementAssignmentTarget" },
        "target.@odata.type", /must be one of/),
    gpc("target-kind-number", POLICY, { "@odata.type": 7, groupId: GUID }, "target.@odata.type", /must be/),
    gpc("target-unknown-property", POLICY, group(GUID, { intent: "apply" }), "target.intent", /unexpected property/),
    gpc("target-group-without-group", POLICY, { "@odata.type": GROUP_TYPE }, "target.groupId", /required/),
    gpc("target-group-id-bad", POLICY, group("all-users"), "target.groupId", NOT_GUID),
    gpc("target-group-id-slash", POLICY, group(`${GUID}/members`), "target.groupId", /must not contain '\/'/),
    gpc("target-group-id-pct", POLICY, group(`%2F${GUID}`), "target.groupId", /must not contain '%'/),
    gpc("target-group-id-query", POLICY, group(`${GUID}?x`), "target.groupId", /must not contain '\?' or '#'/),
    gpc("target-group-id-lookalike", POLICY, group(LOOKALIKE), "target.groupId", /only ASCII/),
    gpc("target-group-id-number", POLICY, group(12345), "target.groupId", /must be (a GUID|string)/),
    gpc("target-group-id-null", POLICY, group(null), "target.groupId", /must be (a GUID|string)|required/),
    gpc("target-group-id-huge", POLICY, group(HUGE), "target.groupId", /too long/),
    gpc("target-group-id-object", POLICY, group({ id: GUID }), "target.groupId", /must be (a GUID|string)/),
    gpc("target-all-devices-with-group", POLICY, { "@odata.type": ALL_DEVICES_TYPE, groupId: GUID }, "target.groupId",
        /unexpected property/),
    gpc("target-group-with-collection", POLICY, group(GUID, { collectionId: "SMS00001" }), "target.collectionId",
        /unexpected property/),
    gpc("target-collection-missing", POLICY, { "@odata.type": COLLECTION_TYPE }, "target.collectionId", /required/),
    gpc("target-collection-bad", POLICY, { "@odata.type": COLLECTION_TYPE, collectionId: "../SMS" }, "target.collectionId",
        /must not contain/),
    // filters
    gpc("filter-include-without-id", POLICY, group(GUID, { deviceAndAppManagementAssignmentFilterType: "include" }),
        "target.deviceAndAppManagementAssignmentFilterId", /required/),
    gpc("filter-include-zero-id", POLICY, group(GUID, {
        deviceAndAppManagementAssignmentFilterType: "include", deviceAndAppManagementAssignmentFilterId: "00000000-0000-0000-0000-000000000000",
    }), "target.deviceAndAppManagementAssignmentFilterId", /all-zero GUID/),
    gpc("filter-id-without-type", POLICY, group(GUID, { deviceAndAppManagementAssignmentFilterId: FILTER }),
        "target.deviceAndAppManagementAssignmentFilterType", /include or exclude/),
    gpc("filter-type-unknown", POLICY, group(GUID, {
        deviceAndAppManagementAssignmentFilterType: "maybe", deviceAndAppManagementAssignmentFilterId: FILTER,
    }), "target.deviceAndAppManagementAssignmentFilterType", /must be (one of|include or exclude)/),
    gpc("filter-type-boolean", POLICY, group(GUID, {
        deviceAndAppManagementAssignmentFilterType: true, deviceAndAppManagementAssignmentFilterId: FILTER,
    }), "target.deviceAndAppManagementAssignmentFilterType", /must be/),
    gpc("filter-id-bad", POLICY, group(GUID, {
        deviceAndAppManagementAssignmentFilterType: "include", deviceAndAppManagementAssignmentFilterId: "filter-1",
    }), "target.deviceAndAppManagementAssignmentFilterId", NOT_GUID),
    gpc("exclusion-with-filter", POLICY, {
        "@odata.type": EXCLUSION_TYPE, groupId: GUID,
        deviceAndAppManagementAssignmentFilterType: "include", deviceAndAppManagementAssignmentFilterId: FILTER,
    }, "target.deviceAndAppManagementAssignmentFilter", /cannot carry a filter/),
    // unknown top-level property
    { name: "gpc-unknown-property", kind: "gpc", args: { policyId: POLICY, target: group(GUID), intent: "apply" },
        property: "intent", problem: /unexpected property/ },
    // ProvisioningPolicyAssignment
    w365("w365-group-not-guid", { policyId: POLICY, groupId: "Engineers" }, "groupId", NOT_GUID),
    w365("w365-group-null", { policyId: POLICY, groupId: null }, "groupId", /must be (a GUID|string)|required/),
    w365("w365-group-missing", { policyId: POLICY }, "groupId", /required/),
    w365("w365-group-dotdot", { policyId: POLICY, groupId: `${GUID}/..` }, "groupId", /must not contain/),
    w365("w365-group-array", { policyId: POLICY, groupId: [GUID] }, "groupId", /must be (a GUID|string)/),
    w365("w365-policy-hash", { policyId: `${POLICY}#`, groupId: GUID }, "policyId", /must not contain '\?' or '#'/),
    w365("w365-policy-pct", { policyId: POLICY.replace("-", "%2D"), groupId: GUID }, "policyId", /must not contain '%'/),
    w365("w365-target-not-allowed", { policyId: POLICY, groupId: GUID, target: group(GUID) }, "target", /unexpected property/),
    // DeviceConfigurationAssignment
    family("DeviceConfigurationAssignment", "dca-intent-unknown", { target: group(GUID), intent: "install" }, "intent", /must be one of: apply, remove/),
    family("DeviceConfigurationAssignment", "dca-intent-boolean", { target: group(GUID), intent: true }, "intent", /must be/),
    family("DeviceConfigurationAssignment", "dca-source-given", { target: group(GUID), source: "direct" }, "source", /unexpected property/),
    family("DeviceConfigurationAssignment", "dca-cloud-pc-target", { target: { "@odata.type": CLOUD_PC_GROUP_TYPE, groupId: GUID } }, "target.@odata.type", /must be one of/),
    // DeviceCompliancePolicyAssignment
    family("DeviceCompliancePolicyAssignment", "dcpa-intent", { target: group(GUID), intent: "apply" }, "intent", /unexpected property/),
    family("DeviceCompliancePolicyAssignment", "dcpa-scheduled-actions", { target: group(GUID), scheduledActionsForRule: [] }, "scheduledActionsForRule", /unexpected property/),
    family("DeviceCompliancePolicyAssignment", "dcpa-filter-type", { target: group(GUID, { deviceAndAppManagementAssignmentFilterId: FILTER, deviceAndAppManagementAssignmentFilterType: "only" }) },
        "target.deviceAndAppManagementAssignmentFilterType", /include or exclude|must be one of/),
    // DeviceManagementConfigurationPolicyAssignment
    family("DeviceManagementConfigurationPolicyAssignment", "dmcpa-policy-not-guid", { policyId: "settings-catalog-1", target: group(GUID) }, "policyId", NOT_GUID),
    family("DeviceManagementConfigurationPolicyAssignment", "dmcpa-collection-missing", { target: { "@odata.type": COLLECTION_TYPE } }, "target.collectionId", /required/),
    family("DeviceManagementConfigurationPolicyAssignment", "dmcpa-exclusion-filter", {
        target: { "@odata.type": EXCLUSION_TYPE, groupId: GUID, deviceAndAppManagementAssignmentFilterType: "include", deviceAndAppManagementAssignmentFilterId: FILTER },
    }, "target.deviceAndAppManagementAssignmentFilter", /cannot carry a filter/),
    // DeviceEnrollmentConfigurationAssignment (parent ids are Intune ids, not always GUIDs)
    family("DeviceEnrollmentConfigurationAssignment", "deca-policy-slash", { policyId: `${POLICY}_Windows10EnrollmentCompletionPageConfiguration/..`, target: group(GUID) }, "policyId", /must not contain/),
    family("DeviceEnrollmentConfigurationAssignment", "deca-policy-query", { policyId: `${POLICY}_Limit?$top=1`, target: group(GUID) }, "policyId", /must not contain/),
    family("DeviceEnrollmentConfigurationAssignment", "deca-intent", { policyId: `${POLICY}_Limit`, target: group(GUID), intent: "apply" }, "intent", /unexpected property/),
    // DeviceManagementIntentAssignment
    family("DeviceManagementIntentAssignment", "dmia-intent", { target: group(GUID), intent: "remove" }, "intent", /unexpected property/),
    family("DeviceManagementIntentAssignment", "dmia-group-name", { target: group("Engineers") }, "target.groupId", NOT_GUID),
    family("DeviceManagementIntentAssignment", "dmia-all-devices-group", { target: { "@odata.type": ALL_DEVICES_TYPE, groupId: GUID } }, "target.groupId", /unexpected property/),
    // CloudPcUserSettingAssignment
    family("CloudPcUserSettingAssignment", "cpus-intune-target", { target: group(GUID) }, "target.@odata.type", /must be one of/),
    family("CloudPcUserSettingAssignment", "cpus-filter", { target: { "@odata.type": CLOUD_PC_GROUP_TYPE, groupId: GUID, deviceAndAppManagementAssignmentFilterId: FILTER } },
        "target.deviceAndAppManagementAssignmentFilterId", /unexpected property/),
    family("CloudPcUserSettingAssignment", "cpus-allotment", { target: { "@odata.type": CLOUD_PC_GROUP_TYPE, groupId: GUID, allotmentLicensesCount: 2 } },
        "target.allotmentLicensesCount", /must be omitted: a user setting has no provisioning type/),
    family("CloudPcUserSettingAssignment", "cpus-item-strategy", { target: { "@odata.type": CLOUD_PC_GROUP_TYPE, groupId: GUID }, writeStrategy: "item" }, "writeStrategy", /cannot be item for CloudPcUserSettingAssignment/),
    // MobileAppAssignment: intent and settings checked against the settings' @odata.type
    family("MobileAppAssignment", "app-intent-missing", { target: group(GUID) }, "intent", /required/),
    family("MobileAppAssignment", "app-intent-apply", { target: group(GUID), intent: "apply" }, "intent", /must be one of: required, available, uninstall, availableWithoutEnrollment/),
    family("MobileAppAssignment", "app-settings-unknown-type", { target: group(GUID), intent: "required", settings: { "@odata.type": "#microsoft.graph.win32AppSettings" } },
        "settings.@odata.type", /must be one of: .*win32LobAppAssignmentSettings/),
    family("MobileAppAssignment", "app-settings-no-type", { target: group(GUID), intent: "required", settings: { notifications: "hideAll" } }, "settings.@odata.type", /required/),
    family("MobileAppAssignment", "app-settings-foreign-property", { target: group(GUID), intent: "required", settings: { "@odata.type": WIN32_SETTINGS, isRemovable: false } },
        "settings.isRemovable", /unexpected property .*not allowed for win32LobAppAssignmentSettings/),
    family("MobileAppAssignment", "app-settings-bad-enum", { target: group(GUID), intent: "required", settings: { "@odata.type": WIN32_SETTINGS, notifications: "loud" } },
        "settings.notifications", /must be one of: showAll, showReboot, hideAll/),
    family("MobileAppAssignment", "app-settings-grace-zero", { target: group(GUID), intent: "required", settings: { "@odata.type": WIN32_SETTINGS, restartSettings: { gracePeriodInMinutes: 0 } } },
        "settings.restartSettings.gracePeriodInMinutes", /integer from 1 to 20160/),
    family("MobileAppAssignment", "app-settings-countdown-long", { target: group(GUID), intent: "required", settings: { "@odata.type": WIN32_SETTINGS, restartSettings: { countdownDisplayBeforeRestartInMinutes: 241 } } },
        "settings.restartSettings.countdownDisplayBeforeRestartInMinutes", /integer from 1 to 240/),
    family("MobileAppAssignment", "app-settings-deadline-text", { target: group(GUID), intent: "required", settings: { "@odata.type": WIN32_SETTINGS, installTimeSettings: { deadlineDateTime: "friday" } } },
        "settings.installTimeSettings.deadlineDateTime", /date and time with an offset/),
    family("MobileAppAssignment", "app-settings-winget-start", { target: group(GUID), intent: "required", settings: { "@odata.type": "#microsoft.graph.winGetAppAssignmentSettings", installTimeSettings: { startDateTime: "2026-12-31T18:00:00Z" } } },
        "settings.installTimeSettings.startDateTime", /unexpected property/),
    family("MobileAppAssignment", "app-settings-removable-available", { target: group(GUID), intent: "available", settings: { "@odata.type": "#microsoft.graph.iosStoreAppAssignmentSettings", isRemovable: false } },
        "settings.isRemovable", /must be omitted: isRemovable applies to required installs only/),
    family("MobileAppAssignment", "app-settings-android-mode", { target: group(GUID), intent: "required", settings: { "@odata.type": "#microsoft.graph.androidManagedStoreAppAssignmentSettings", autoUpdateMode: "always" } },
        "settings.autoUpdateMode", /must be one of: default, postponed, priority/),
    // The target-only app families (app configuration, app protection): no intent, no settings, item writes refused
    // Families whose targets take no assignment filter (scripts, update profiles, Autopilot): the filter is refused
    ...NO_FILTER_KINDS.map(([kind, prefix]) => family(kind, `${prefix}-filter`, { target: group(GUID, { deviceAndAppManagementAssignmentFilterId: FILTER, deviceAndAppManagementAssignmentFilterType: "include" }) },
        "target.deviceAndAppManagementAssignmentFilter", /must be (none|omitted): (Intune applies no assignment filter to|assignment filters are not confirmed for)/)),
    // DeviceManagementScriptAssignment
    family("DeviceManagementScriptAssignment", "dmsa-intent", { target: group(GUID), intent: "apply" }, "intent", /unexpected property/),
    family("DeviceManagementScriptAssignment", "dmsa-run-schedule", { target: group(GUID), runSchedule: { "@odata.type": HOURLY, interval: 1 } }, "runSchedule", /unexpected property/),
    // DeviceShellScriptAssignment
    family("DeviceShellScriptAssignment", "dssa-run-remediation", { target: group(GUID), runRemediationScript: true }, "runRemediationScript", /unexpected property/),
    family("DeviceShellScriptAssignment", "dssa-policy-space", { policyId: "shell script", target: group(GUID) }, "policyId", /must not contain spaces/),
    // DeviceHealthScriptAssignment
    family("DeviceHealthScriptAssignment", "dhsa-interval-zero", { target: group(GUID), runSchedule: { "@odata.type": HOURLY, interval: 0 } }, "runSchedule.interval", /integer from 1 to 23/),
    family("DeviceHealthScriptAssignment", "dhsa-interval-24", { target: group(GUID), runSchedule: { "@odata.type": HOURLY, interval: 24 } }, "runSchedule.interval", /integer from 1 to 23/),
    family("DeviceHealthScriptAssignment", "dhsa-time-25", { target: group(GUID), runSchedule: { "@odata.type": DAILY, interval: 1, time: "25:00" } }, "runSchedule.time", /time of day/),
    family("DeviceHealthScriptAssignment", "dhsa-daily-without-time", { target: group(GUID), runSchedule: { "@odata.type": DAILY, interval: 1 } }, "runSchedule.time", /required/),
    family("DeviceHealthScriptAssignment", "dhsa-abstract-schedule", { target: group(GUID), runSchedule: { "@odata.type": "#microsoft.graph.deviceHealthScriptTimeSchedule", interval: 1, time: "01:00" } },
        "runSchedule.@odata.type", /must be one of/),
    family("DeviceHealthScriptAssignment", "dhsa-run-remediation-text", { target: group(GUID), runRemediationScript: "yes" }, "runRemediationScript", /must be true or false/),
    family("DeviceHealthScriptAssignment", "dhsa-intent", { target: group(GUID), intent: "apply" }, "intent", /unexpected property/),
    // WindowsAutopilotDeploymentProfileAssignment
    family("WindowsAutopilotDeploymentProfileAssignment", "wadpa-write-strategy", { target: group(GUID), writeStrategy: "assign" }, "writeStrategy", /cannot be assign for WindowsAutopilotDeploymentProfileAssignment: it has no assign action/),
    family("WindowsAutopilotDeploymentProfileAssignment", "wadpa-intent", { target: group(GUID), intent: "apply" }, "intent", /unexpected property/),
    // Windows feature, quality and driver update profiles
    family("WindowsFeatureUpdateProfileAssignment", "wfupa-intent", { target: group(GUID), intent: "apply" }, "intent", /unexpected property/),
    family("WindowsFeatureUpdateProfileAssignment", "wfupa-policy-dotdot", { policyId: `../${POLICY}`, target: group(GUID) }, "policyId", /must not contain '\/'/),
    family("WindowsQualityUpdateProfileAssignment", "wqupa-run-schedule", { target: group(GUID), runSchedule: {} }, "runSchedule", /unexpected property/),
    family("WindowsQualityUpdateProfileAssignment", "wqupa-all-devices-group", { target: { "@odata.type": ALL_DEVICES_TYPE, groupId: GUID } }, "target.groupId", /unexpected property/),
    family("WindowsDriverUpdateProfileAssignment", "wdupa-intent", { target: group(GUID), intent: "remove" }, "intent", /unexpected property/),
    family("WindowsDriverUpdateProfileAssignment", "wdupa-cloud-pc-target", { target: { "@odata.type": CLOUD_PC_GROUP_TYPE, groupId: GUID } }, "target.@odata.type", /must be one of/),
    ...APP_POLICY_KINDS.flatMap(([kind, prefix]) => [
        family(kind, `${prefix}-intent`, { target: group(GUID), intent: "required" }, "intent", /unexpected property/),
        family(kind, `${prefix}-settings`, { target: group(GUID), settings: { "@odata.type": WIN32_SETTINGS } }, "settings", /unexpected property/),
        family(kind, `${prefix}-filter-without-type`, { target: group(GUID, { deviceAndAppManagementAssignmentFilterId: FILTER }) },
            "target.deviceAndAppManagementAssignmentFilterType", /include or exclude/),
        family(kind, `${prefix}-item-strategy`, { target: group(GUID), writeStrategy: "item" }, "writeStrategy", new RegExp(`cannot be item for ${kind}`)),
    ]),
    // Options that are not Graph inputs (carried in the stored provider module), as a JavaScript program may pass them
    gpc("write-strategy-unknown", POLICY, group(GUID), "writeStrategy", /must be one of: item, assign, auto/),
    w365("w365-write-strategy-number", { policyId: POLICY, groupId: GUID, writeStrategy: 7 }, "writeStrategy", /must be one of: item, assign, auto \(got number\)/),
    w365("w365-write-strategy-empty", { policyId: POLICY, groupId: GUID, writeStrategy: "" }, "writeStrategy", /must be one of: item, assign, auto/),
    gpc("adopt-existing-string", POLICY, group(GUID), "adoptExisting", /must be true or false \(got string\)/),
    w365("w365-adopt-existing-number", { policyId: POLICY, groupId: GUID, adoptExisting: 1 }, "adoptExisting", /must be true or false \(got number\)/),
    w365("w365-adopt-existing-null", { policyId: POLICY, groupId: GUID, adoptExisting: null }, "adoptExisting", /must be true or false \(got null\)/),
    // ...and their stack-wide defaults
    { name: "stack-write-strategy", kind: "w365", args: { policyId: POLICY, groupId: GUID }, property: "msgraph:writeStrategy",
        problem: /\(stack config\) must be one of: item, assign, auto/, config: { "msgraph:writeStrategy": "fast" } },
    { name: "stack-adopt-existing", kind: "gpc", args: { policyId: POLICY, target: group(GUID) }, property: "msgraph:adoptExisting",
        problem: /\(stack config\) must be true or false/, config: { "msgraph:adoptExisting": "maybe" } },
];
// The gpc() helper takes inputs only: give the option cases their option.
Object.assign(corpus.find((c) => c.name === "write-strategy-unknown")!.args, { writeStrategy: "fast" });
Object.assign(corpus.find((c) => c.name === "adopt-existing-string")!.args, { adoptExisting: "yes" });

function declare(c: BadCase): void {
    // Wrong JSON types are the point: the SDK's types would refuse them at compile time.
    const args = c.args as never;
    if (c.kind === "gpc") new GroupPolicyConfigurationAssignment(c.name, args);
    else if (c.kind === "w365") new ProvisioningPolicyAssignment(c.name, args);
    else new (sdkClassOf(c.kind))(c.name, args);
}

/**
 * Pulumi's report of a check failure for one resource:
 * `resource '<name>': property <prop> value <value, possibly over lines> has a problem: <reason>`.
 * Returns the property and the provider's reason (the value echo is Pulumi's own formatting).
 */
function problemOf(output: string, name: string): { property: string; reason: string } | undefined {
    const at = output.indexOf(`resource '${name}': property `);
    if (at < 0) return undefined;
    const rest = output.slice(at + `resource '${name}': property `.length);
    const property = rest.slice(0, rest.indexOf(" "));
    const marker = rest.indexOf(" has a problem: ");
    if (marker < 0) return undefined;
    const reason = rest.slice(marker + " has a problem: ".length).split("\n", 1)[0]!;
    return { property, reason };
}

const CONCURRENCY = 6;

describe("bad inputs fail preview before any request", function () {
    this.timeout(600_000);
    let world: E2eWorld;

    before(async () => {
        world = await startE2eWorld("bad-input");
    });
    after(async () => world?.dispose());

    it(`has a corpus of at least 40 distinct invalid inputs (${corpus.length})`, () => {
        assert.ok(corpus.length >= 40);
        assert.equal(new Set(corpus.map((c) => c.name)).size, corpus.length);
    });

    it("fails preview for every case, naming the property and the problem, with 0 requests", async () => {
        world.emulator.admin.clearLog();
        // The engine stops a preview at the first check failure, so each case gets its own preview; a few workers,
        // each with its own stack whose inline program declares the worker's current case, run them in parallel.
        const queue = [...corpus];
        const failures: string[] = [];
        const started = Date.now();
        async function worker(index: number): Promise<void> {
            let current: BadCase | undefined;
            const stack = await world.stack(async () => declare(current!), { stackName: `bad-${index}` });
            while ((current = queue.shift()) !== undefined) {
                const c = current;
                let output = "";
                let failed = false;
                if (c.config !== undefined) await stack.setAllConfig(Object.fromEntries(Object.entries(c.config).map(([k, v]) => [k, { value: v }])));
                try {
                    await stack.preview({ onOutput: (s) => (output += s) });
                } catch (error) {
                    failed = true;
                    output += `\n${(error as Error).message}`;
                }
                if (c.config !== undefined) await stack.removeAllConfig(Object.keys(c.config));
                const problem = problemOf(output, c.name);
                const why = (text: string) => failures.push(`${c.name}: ${text}\n${problem ? JSON.stringify(problem) : output.slice(-1500)}`);
                if (!failed) why("preview succeeded");
                else if (problem === undefined) why("no check failure reported for the resource");
                else {
                    // Pulumi prints the property path the provider returned; the provider's reason names it again.
                    const leaf = c.property.split(".").pop()!;
                    if (!problem.property.startsWith(c.property) || !problem.reason.includes(leaf)) {
                        why(`the message must name ${c.property}`);
                    }
                    if (!c.problem.test(problem.reason)) why(`the reason must match ${c.problem}`);
                    if (problem.reason.includes(HUGE.slice(0, 200))) why("the reason echoes the oversized value");
                }
            }
        }
        await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => worker(i)));
        console.log(`      ${corpus.length} previews in ${Math.round((Date.now() - started) / 1000)} s`);
        assert.deepEqual(failures, []);
        assert.deepEqual(world.emulator.log().map((e) => `${e.method} ${e.path}`), [], "no request at all, not even for a token");
    });
});
