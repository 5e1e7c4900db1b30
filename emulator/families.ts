/**
 * The emulator's own table of assignment families, written from shared/graph-docs/assignment-families.md
 * (sections 1–14). Routes, validation, the `assign` action, refusals, permissions and seeding are all driven by
 * these entries; emulator/README.md lists the judgement calls behind each one.
 */
import { DEVICE_CONFIG_INTENT, INSTALL_INTENT, MOBILE_APP_SETTINGS, RUN_SCHEDULE } from "./assignment-properties";
import type { PropSpec, PropSpecs } from "./schema";

/** A family's policy collection name; also the key of the fault switches and of the admin API. */
export type PolicyKind =
  | "groupPolicyConfigurations" | "provisioningPolicies"
  | "deviceConfigurations" | "deviceCompliancePolicies" | "configurationPolicies" | "compliancePolicies"
  | "deviceManagementScripts" | "deviceShellScripts" | "deviceHealthScripts"
  | "windowsAutopilotDeploymentProfiles" | "windowsFeatureUpdateProfiles" | "windowsQualityUpdateProfiles"
  | "windowsDriverUpdateProfiles" | "deviceEnrollmentConfigurations" | "intents"
  | "mobileApps" | "mobileAppConfigurations" | "iosManagedAppProtections" | "androidManagedAppProtections"
  | "windowsManagedAppProtections" | "targetedManagedAppConfigurations" | "userSettings";

/** The service a route belongs to: decides the permissions and the error message style. */
export type GraphService = "intune" | "intuneEnrollment" | "intuneApps" | "cloudPc" | "directory";

/** Item routes on …/{id}/assignments[/{assignmentId}]. */
export type ItemVerb = "list" | "get" | "create" | "update" | "delete";

/** A property the server manages and returns; what a write that carries it gets. */
export interface ServerField {
  readonly name: "source" | "sourceId" | "lastModifiedDateTime" | "createdDateTime";
  /** "ignore": accepted (type-checked) and ignored, as OData does for computed values; "refuse": 400 (documented read-only). */
  readonly onWrite: "ignore" | "refuse";
}

/** The `assign` action of a family. */
export interface AssignAction {
  /** Path suffixes after {id} that serve the action. */
  readonly paths: readonly string[];
  /** Documented suffixes the service is reported to refuse (answered with the OData routing 400). */
  readonly refusedPaths?: readonly string[];
  /** The body key holding the new list (or, for Autopilot, the device ids). */
  readonly key: string;
  /** Older parameter documented beside `key`: validated and kept apart from the assignments (judgement call). */
  readonly legacy?: { readonly key: string; readonly type: string; readonly properties: PropSpecs };
  /** What the answer carries. */
  readonly answer: 200 | 204;
  /** Autopilot: `key` lists device ids; the assignments collection is not touched. */
  readonly deviceIds?: boolean;
}

export interface Family {
  readonly kind: PolicyKind;
  readonly service: GraphService;
  /** Path of the policy collection after the version. */
  readonly collection: string;
  readonly versions: readonly string[];
  /** Entity type of the policies (used when a policy has no @odata.type of its own). */
  readonly policyType: string;
  /** Entity type of the assignments. */
  readonly assignmentType: string;
  /** Backend name in the OData routing error's request path. */
  readonly backend: string;
  /** How a created or seeded policy's id looks: a GUID, or `{guid}_{PolicyType}` (enrollment configurations). */
  readonly policyId: "guid" | "guidTypeSuffix";
  /** @odata.type of a seeded policy without one (when the collection's type is abstract or not the useful one). */
  readonly defaultPolicyODataType?: string;
  /** Target model: Intune's deviceAndAppManagementAssignmentTarget subtypes, or the Cloud PC group target. */
  readonly target: "intune" | "cloudPc";
  /**
   * Assignment filter pair on targets: served, refused, only for platform-restriction enrollment configurations, or
   * for every app but web links (memdocs: apps ✔ except "Web link").
   */
  readonly filters: "supported" | "refused" | "platformRestrictionsOnly" | "exceptWebLinks";
  /** Writable properties beyond `target`. */
  readonly properties: PropSpecs;
  /** Server-managed properties the assignment entity returns. */
  readonly serverFields: readonly ServerField[];
  /** Assignment ids: a GUID, or `{policyId}_{groupId}` (Windows 365). */
  readonly assignmentId: "guid" | "policyGroup";
  /** Whether assignment entities carry @odata.type (Intune does; the Windows 365 examples do not). */
  readonly entityODataType: boolean;
  /** Item routes refused unless switched on (`refuseItemRoutes` / `refuseItemReads` false): reported refused or undocumented. */
  readonly refusedByDefault: readonly ItemVerb[];
  /** The `assign` action; absent where none is documented (then POST …/{id}/assign gets the routing 400). */
  readonly assign?: AssignAction;
  /** `$expand=assignments`: on the policy list, on one policy. */
  readonly expand: { readonly list: boolean; readonly item: boolean };
  /** A documented quirk: `$expand` on one policy returns an empty list when this holds for the policy. */
  readonly expandEmptyFor?: (policy: Readonly<Record<string, unknown>>) => boolean;
  /** Properties a created policy must have (POST on the collection), with the service's message. */
  readonly createRequires?: { readonly property: string; readonly message: string };
  /** How reads spell the target's @odata.type, where Microsoft's read examples differ from the type's name. */
  readonly readTargetType?: string;
  /** What the family does, for the README table (which must have a row per kind; a test checks it). */
  readonly summary: string;
}

const DM = "/deviceManagement";
const DAM = "/deviceAppManagement";
const BETA = ["beta"];
const BOTH = ["beta", "v1.0"];
const DEVICE_CONFIG_BACKEND = "/DeviceConfiguration_2405/StatelessDeviceConfigurationFEService";
const APPS_BACKEND = "/AppLifecycle_2405/StatelessAppMetadataFEService";
const MAM_BACKEND = "/MAM_2405/StatelessMAMService";
const ENROLLMENT_BACKEND = "/Enrollment_2405/StatelessOnboardingService";
const CLOUD_PC_BACKEND = "/CloudPC_2405/CloudPCService";

const SOURCE: ServerField = { name: "source", onWrite: "ignore" };
const SOURCE_ID: ServerField = { name: "sourceId", onWrite: "ignore" };
const SOURCE_RO: ServerField = { name: "source", onWrite: "refuse" };
const SOURCE_ID_RO: ServerField = { name: "sourceId", onWrite: "refuse" };

/** An Intune family with the defaults most of them share: assign with `assignments`, every item route served. */
function intune(kind: PolicyKind, parts: Partial<Family> & Pick<Family, "policyType" | "assignmentType" | "summary">): Family {
  return {
    kind, service: "intune", collection: `${DM}/${kind}`, versions: BETA, backend: DEVICE_CONFIG_BACKEND, policyId: "guid",
    target: "intune", filters: "supported", properties: {}, serverFields: [], assignmentId: "guid", entityODataType: true,
    refusedByDefault: [], assign: { paths: ["assign"], key: "assignments", answer: 204 }, expand: { list: false, item: false },
    ...parts,
  };
}

const MANAGED_APP_POLICY = (kind: PolicyKind, policyType: string, assign: AssignAction, summary: string, refusedByDefault: readonly ItemVerb[] = ["create"]): Family => intune(kind, {
  service: "intuneApps", collection: `${DAM}/${kind}`, backend: MAM_BACKEND, policyType,
  assignmentType: "targetedManagedAppPolicyAssignment", serverFields: [SOURCE, SOURCE_ID],
  refusedByDefault, assign, summary,
});
const SCRIPT_LEGACY = {
  key: "deviceManagementScriptGroupAssignments", type: "deviceManagementScriptGroupAssignment",
  properties: { id: { type: "string" }, targetGroupId: { type: "guid", required: true } } as PropSpecs,
};

/** Every family the emulator serves, in the fact sheet's order. */
export const FAMILIES: readonly Family[] = [
  intune("groupPolicyConfigurations", {
    policyType: "groupPolicyConfiguration", assignmentType: "groupPolicyConfigurationAssignment",
    serverFields: [{ name: "lastModifiedDateTime", onWrite: "ignore" }],
    assign: { paths: ["assign"], key: "assignments", answer: 200 }, expand: { list: true, item: true },
    summary: "administrative templates; every item route; `assign` → 200 with the list; `$expand` served (§1)",
  }),
  intune("deviceConfigurations", {
    policyType: "deviceConfiguration", assignmentType: "deviceConfigurationAssignment",
    properties: { intent: DEVICE_CONFIG_INTENT }, serverFields: [SOURCE_RO, SOURCE_ID_RO],
    assign: {
      paths: ["assign"], key: "assignments", answer: 200,
      legacy: { key: "deviceConfigurationGroupAssignments", type: "deviceConfigurationGroupAssignment",
        properties: { id: { type: "string" }, targetGroupId: { type: "guid", required: true }, excludeGroup: { type: "boolean" } } },
    },
    summary: "`intent` apply/remove (absent → apply); `source`/`sourceId` documented read-only → refused on write; every item route; `assign` → 200 (§2)",
  }),
  intune("deviceCompliancePolicies", {
    policyType: "deviceCompliancePolicy", assignmentType: "deviceCompliancePolicyAssignment", serverFields: [SOURCE, SOURCE_ID],
    refusedByDefault: ["create"], assign: { paths: ["assign"], key: "assignments", answer: 200 },
    createRequires: { property: "scheduledActionsForRule", message: "Compliance policy must have one and only one block scheduled action" },
    summary: "item POST refused (reported); `assign` → 200; policy create needs `scheduledActionsForRule` (§3)",
  }),
  intune("configurationPolicies", {
    policyType: "deviceManagementConfigurationPolicy", assignmentType: "deviceManagementConfigurationPolicyAssignment",
    serverFields: [SOURCE, SOURCE_ID], assign: { paths: ["assign"], key: "assignments", answer: 200 },
    expand: { list: true, item: true }, expandEmptyFor: (p) => typeof p.templateFamily === "string" && p.templateFamily.startsWith("endpointSecurity"),
    summary: "settings catalog; every item route; `assign` → 200; `$expand` served, empty on one policy whose templateFamily starts with endpointSecurity (§4)",
  }),
  intune("compliancePolicies", {
    policyType: "deviceManagementCompliancePolicy", assignmentType: "deviceManagementConfigurationPolicyAssignment",
    serverFields: [SOURCE, SOURCE_ID], assign: undefined,
    summary: "settings-catalog compliance; item routes (create documented); no `assign` documented → refused (§4)",
  }),
  intune("deviceManagementScripts", {
    policyType: "deviceManagementScript", assignmentType: "deviceManagementScriptAssignment", filters: "refused",
    assign: { paths: ["assign"], key: "deviceManagementScriptAssignments", answer: 204, legacy: SCRIPT_LEGACY },
    summary: "Windows PowerShell; no filters; `assign` key `deviceManagementScriptAssignments` (+ legacy group key) → 204 (§5)",
  }),
  intune("deviceShellScripts", {
    policyType: "deviceShellScript", assignmentType: "deviceManagementScriptAssignment", filters: "refused",
    assign: { paths: ["assign"], key: "deviceManagementScriptAssignments", answer: 204, legacy: SCRIPT_LEGACY },
    summary: "macOS shell; same assignment type and rules as deviceManagementScripts (§5)",
  }),
  intune("deviceHealthScripts", {
    policyType: "deviceHealthScript", assignmentType: "deviceHealthScriptAssignment",
    properties: { runRemediationScript: { type: "boolean" }, runSchedule: RUN_SCHEDULE },
    refusedByDefault: ["create"], assign: { paths: ["assign"], key: "deviceHealthScriptAssignments", answer: 204 },
    summary: "Remediations; `runRemediationScript`, `runSchedule` (hourly/daily/runOnce, interval 1–23, time of day, date); item POST refused (reported); `assign` key `deviceHealthScriptAssignments` → 204 (§6)",
  }),
  intune("windowsAutopilotDeploymentProfiles", {
    service: "intuneEnrollment", backend: ENROLLMENT_BACKEND, policyType: "windowsAutopilotDeploymentProfile",
    defaultPolicyODataType: "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile",
    assignmentType: "windowsAutopilotDeploymentProfileAssignment", serverFields: [SOURCE, SOURCE_ID], filters: "refused",
    assign: { paths: ["assign"], key: "deviceIds", answer: 204, deviceIds: true },
    summary: "`assign` takes `deviceIds` (204, assignments untouched); groups only through the assignments collection; no filters (❓) (§7)",
  }),
  intune("windowsFeatureUpdateProfiles", {
    policyType: "windowsFeatureUpdateProfile", assignmentType: "windowsFeatureUpdateProfileAssignment", filters: "refused",
    summary: "no filters (memdocs); every item route; `assign` → 204 (§8)",
  }),
  intune("windowsQualityUpdateProfiles", {
    policyType: "windowsQualityUpdateProfile", assignmentType: "windowsQualityUpdateProfileAssignment", filters: "refused",
    summary: "no filters (❓, conservative); every item route; `assign` → 204 (§8)",
  }),
  intune("windowsDriverUpdateProfiles", {
    policyType: "windowsDriverUpdateProfile", assignmentType: "windowsDriverUpdateProfileAssignment", filters: "refused",
    summary: "no filters (❓, conservative); every item route; `assign` → 204 (§8)",
  }),
  intune("deviceEnrollmentConfigurations", {
    service: "intuneEnrollment", backend: ENROLLMENT_BACKEND, policyType: "deviceEnrollmentConfiguration", policyId: "guidTypeSuffix",
    defaultPolicyODataType: "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration",
    assignmentType: "enrollmentConfigurationAssignment", serverFields: [SOURCE, SOURCE_ID], filters: "platformRestrictionsOnly",
    refusedByDefault: ["create"], assign: { paths: ["assign"], key: "enrollmentConfigurationAssignments", answer: 204 },
    summary: "ids `{guid}_{Type}`; item POST refused (reported); `assign` key `enrollmentConfigurationAssignments` → 204; filters only on platform restrictions (§12)",
  }),
  intune("intents", {
    policyType: "deviceManagementIntent", assignmentType: "deviceManagementIntentAssignment",
    summary: "endpoint security (legacy); every item route; `assign` → 204 (§13)",
  }),

  intune("mobileApps", {
    service: "intuneApps", collection: `${DAM}/mobileApps`, backend: APPS_BACKEND, policyType: "mobileApp",
    defaultPolicyODataType: "#microsoft.graph.win32LobApp", assignmentType: "mobileAppAssignment",
    properties: { intent: INSTALL_INTENT, settings: MOBILE_APP_SETTINGS }, serverFields: [SOURCE_RO, SOURCE_ID_RO],
    filters: "exceptWebLinks", assign: { paths: ["assign"], key: "mobileAppAssignments", answer: 204 },
    summary: "`intent` (required) and polymorphic `settings` (17 subtypes, checked against the app's type); one intent per group; no filters on web links; `assign` key `mobileAppAssignments` → 204 (§9)",
  }),
  intune("mobileAppConfigurations", {
    service: "intuneApps", collection: `${DAM}/mobileAppConfigurations`, backend: APPS_BACKEND, policyType: "managedDeviceMobileAppConfiguration",
    assignmentType: "managedDeviceMobileAppConfigurationAssignment", refusedByDefault: ["create"],
    assign: { paths: ["microsoft.graph.managedDeviceMobileAppConfiguration/assign"], refusedPaths: ["assign"], key: "assignments", answer: 204 },
    summary: "item POST refused; documented `…/assign` refused, the cast segment `…/microsoft.graph.managedDeviceMobileAppConfiguration/assign` works → 204 (§10)",
  }),
  MANAGED_APP_POLICY("iosManagedAppProtections", "iosManagedAppProtection",
    { paths: [], refusedPaths: ["assign"], key: "assignments", answer: 204 },
    "no item create; `assign` only under `managedAppPolicies/{id}/assign` (the per-collection path is refused, ❓) → 204 (§11)"),
  MANAGED_APP_POLICY("androidManagedAppProtections", "androidManagedAppProtection",
    { paths: [], refusedPaths: ["assign"], key: "assignments", answer: 204 },
    "as iosManagedAppProtections (§11)"),
  MANAGED_APP_POLICY("windowsManagedAppProtections", "windowsManagedAppProtection",
    { paths: ["assign"], key: "assignments", answer: 204 },
    "no item create; item PATCH/DELETE not documented (❓) → refused; `assign` on the collection and under managedAppPolicies → 204 (§11)",
    ["create", "update", "delete"]),
  MANAGED_APP_POLICY("targetedManagedAppConfigurations", "targetedManagedAppConfiguration",
    { paths: ["assign"], key: "assignments", answer: 204 },
    "no item create; `assign` on the collection and under managedAppPolicies → 204 (§11)"),

  {
    kind: "provisioningPolicies", service: "cloudPc", collection: `${DM}/virtualEndpoint/provisioningPolicies`, versions: BOTH,
    policyType: "cloudPcProvisioningPolicy", assignmentType: "cloudPcProvisioningPolicyAssignment", backend: CLOUD_PC_BACKEND,
    policyId: "guid", target: "cloudPc", filters: "refused", properties: {}, serverFields: [], assignmentId: "policyGroup",
    entityODataType: false, refusedByDefault: [], assign: { paths: ["assign"], key: "assignments", answer: 204 },
    expand: { list: true, item: true },
    summary: "Windows 365 provisioning; every item route and the draft `/provisioningPolicies` root (dedicated handlers); `assign` → 204 (§14)",
  },
  {
    kind: "userSettings", service: "cloudPc", collection: `${DM}/virtualEndpoint/userSettings`, versions: BOTH,
    policyType: "cloudPcUserSetting", assignmentType: "cloudPcUserSettingAssignment", backend: CLOUD_PC_BACKEND,
    policyId: "guid", target: "cloudPc", filters: "refused", properties: {}, serverFields: [{ name: "createdDateTime", onWrite: "ignore" }],
    assignmentId: "policyGroup", entityODataType: false, refusedByDefault: ["list", "get", "create", "update", "delete"],
    assign: { paths: ["assign"], key: "assignments", answer: 204 }, expand: { list: false, item: true },
    // ⚠️ Both GET examples of the docs spell it so (capital PC, no '#'); clients must compare type names loosely.
    readTargetType: "microsoft.graph.cloudPCManagementGroupAssignmentTarget",
    summary: "Windows 365 user settings; `assign` only (→ 204); read with `$expand` on one policy; ids `{policyId}_{groupId}`; every /assignments route refused (undocumented) (§14)",
  },
];

const BY_KIND = new Map(FAMILIES.map((f) => [f.kind, f]));

/** All policy kinds, for iteration and validation of admin input. */
export const POLICY_KINDS: readonly PolicyKind[] = FAMILIES.map((f) => f.kind);

export function isPolicyKind(value: unknown): value is PolicyKind {
  return typeof value === "string" && BY_KIND.has(value as PolicyKind);
}

/** The family of a kind (throws for a kind not in the table: a bug, callers check input with isPolicyKind). */
export function familyOf(kind: PolicyKind): Family {
  const family = BY_KIND.get(kind);
  if (!family) throw new Error(`no assignment family '${String(kind)}'`);
  return family;
}

/** The spec of one declared assignment property (for tests and messages). */
export function propertySpec(kind: PolicyKind, name: string): PropSpec | undefined {
  return familyOf(kind).properties[name];
}
