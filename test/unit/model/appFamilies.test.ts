/**
 * The app families: mobile apps (intent and polymorphic settings), app configuration for managed devices, and the four
 * targeted managed app policies. Each takes its example, refuses bad inputs naming the property path, sees no drift
 * against Graph's echo (defaults and nulls Graph adds included), and writes the smallest PATCH or `assign` entry.
 */
import assert from "node:assert/strict";
import {
    buildMinimalPatch,
    buildPath,
    diffInputs,
    diffLive,
    getDescription,
    toGraphBody,
    validateInputs,
    type ResourceDescription,
} from "../../../provider/model/index.js";
import { variantProperties } from "../../../provider/model/schema.js";
import type { ComplexSpec, ValueSpec } from "../../../provider/model/types.js";

const APP = "5b0f3c1e-7a2d-4c8b-9e61-0d4f2a9c7b10";
const GROUP = "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f";
const FILTER = "9d8c7b6a-5f4e-4d3c-8b2a-190817263544";
const group = (extra: Record<string, unknown> = {}) => ({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: GROUP, ...extra });
const win32 = (extra: Record<string, unknown> = {}) => ({ "@odata.type": "#microsoft.graph.win32LobAppAssignmentSettings", ...extra });
const iosStore = (extra: Record<string, unknown> = {}) => ({ "@odata.type": "#microsoft.graph.iosStoreAppAssignmentSettings", ...extra });

/**
 * Graph's answer to a read of what was written: every declared property present (null where nothing was written),
 * nested complex values with their own `@odata.type`, type names without '#', the filter pair spelled out, ids and
 * the server's source fields added.
 */
function echoValue(spec: ValueSpec, value: unknown, nestedType?: string): unknown {
    if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value)) return value ?? null;
    const given = value as Record<string, unknown>;
    let properties: Readonly<Record<string, ValueSpec>> = {};
    if (spec.type === "complex") {
        const name = String(given["@odata.type"]).replace(/^#?microsoft\.graph\./, "");
        properties = variantProperties((spec as ComplexSpec).variants[name]!);
    } else if (spec.type === "object") {
        properties = spec.properties;
    }
    const out: Record<string, unknown> = { ...given };
    if (spec.type === "complex") out["@odata.type"] = String(given["@odata.type"]).replace(/^#/, "");
    if (nestedType !== undefined) out["@odata.type"] = nestedType;
    for (const [key, itemSpec] of Object.entries(properties)) out[key] = echoValue(itemSpec, given[key], itemSpec.type === "object" ? `#microsoft.graph.${key}Type` : undefined);
    return out;
}

function echo(description: ResourceDescription, body: Record<string, unknown>): Record<string, unknown> {
    const entity: Record<string, unknown> = { "@odata.type": description.odataType.replace(/^#/, ""), id: "a0e1f2d3-0000-4000-8000-000000000001", source: "direct", sourceId: null };
    for (const key of description.bodyProperties) entity[key] = echoValue(description.properties[key]!, body[key]);
    entity.target = { deviceAndAppManagementAssignmentFilterId: null, deviceAndAppManagementAssignmentFilterType: "none", ...(entity.target as object) };
    return entity;
}

interface BadInput {
    readonly title: string;
    readonly inputs: Record<string, unknown>;
    readonly property: string;
    readonly reason: RegExp;
}

interface AppFamily {
    readonly kind: string;
    readonly strategy: "auto" | "assign";
    /** The `assign` path for the example policy, and its body key. */
    readonly assign: { readonly path: string; readonly key: string };
    readonly bad: readonly BadInput[];
}

const targetOnlyBad = (kind: string): BadInput[] => [
    { title: `an intent (${kind} assignments are target only)`, inputs: { target: group(), intent: "required" }, property: "intent", reason: /unexpected property/ },
    { title: "settings (apps only)", inputs: { target: group(), settings: win32() }, property: "settings", reason: /unexpected property/ },
    { title: "a filter id without its type", inputs: { target: group({ deviceAndAppManagementAssignmentFilterId: FILTER }) }, property: "target.deviceAndAppManagementAssignmentFilterType", reason: /include or exclude/ },
    { title: "a policy id that is not a GUID", inputs: { policyId: "app-protection-1", target: group() }, property: "policyId", reason: /GUID/ },
];

const FAMILIES: readonly AppFamily[] = [
    {
        kind: "MobileAppAssignment",
        strategy: "auto",
        assign: { path: `/deviceAppManagement/mobileApps/${APP}/assign`, key: "mobileAppAssignments" },
        bad: [
            { title: "no intent (Graph documents no default)", inputs: { target: group() }, property: "intent", reason: /required/ },
            { title: "an intent of device configuration", inputs: { target: group(), intent: "apply" }, property: "intent", reason: /required, available, uninstall, availableWithoutEnrollment/ },
            { title: "an unknown settings type", inputs: { target: group(), intent: "required", settings: { "@odata.type": "#microsoft.graph.win32AppSettings" } }, property: "settings.@odata.type", reason: /win32LobAppAssignmentSettings/ },
            { title: "the abstract settings type", inputs: { target: group(), intent: "required", settings: { "@odata.type": "#microsoft.graph.mobileAppAssignmentSettings" } }, property: "settings.@odata.type", reason: /must be one of/ },
            { title: "settings without a type", inputs: { target: group(), intent: "required", settings: { notifications: "hideAll" } }, property: "settings.@odata.type", reason: /required/ },
            { title: "an iOS setting on Win32 settings", inputs: { target: group(), intent: "required", settings: win32({ isRemovable: false }) }, property: "settings.isRemovable", reason: /not allowed for win32LobAppAssignmentSettings/ },
            { title: "a notification value that does not exist", inputs: { target: group(), intent: "required", settings: win32({ notifications: "showNone" }) }, property: "settings.notifications", reason: /showAll, showReboot, hideAll/ },
            { title: "a grace period of 0 minutes", inputs: { target: group(), intent: "required", settings: win32({ restartSettings: { gracePeriodInMinutes: 0 } }) }, property: "settings.restartSettings.gracePeriodInMinutes", reason: /1 to 20160/ },
            { title: "a snooze longer than Intune allows", inputs: { target: group(), intent: "required", settings: win32({ restartSettings: { restartNotificationSnoozeDurationInMinutes: 713 } }) }, property: "settings.restartSettings.restartNotificationSnoozeDurationInMinutes", reason: /1 to 712/ },
            { title: "a deadline that is not a date and time", inputs: { target: group(), intent: "required", settings: win32({ installTimeSettings: { deadlineDateTime: "next friday" } }) }, property: "settings.installTimeSettings.deadlineDateTime", reason: /date and time/ },
            { title: "an availability time on WinGet settings (they have a deadline only)", inputs: { target: group(), intent: "required", settings: { "@odata.type": "#microsoft.graph.winGetAppAssignmentSettings", installTimeSettings: { startDateTime: "2026-12-31T18:00:00Z" } } }, property: "settings.installTimeSettings.startDateTime", reason: /unexpected property/ },
            { title: "Delivery Optimization on WinGet settings (Win32 only)", inputs: { target: group(), intent: "required", settings: { "@odata.type": "#microsoft.graph.winGetAppAssignmentSettings", deliveryOptimizationPriority: "foreground" } }, property: "settings.deliveryOptimizationPriority", reason: /not allowed for winGetAppAssignmentSettings/ },
            { title: "isRemovable on an available iOS app", inputs: { target: group(), intent: "available", settings: iosStore({ isRemovable: false }) }, property: "settings.isRemovable", reason: /must be omitted: isRemovable applies to required installs only/ },
            { title: "an Android update mode that does not exist", inputs: { target: group(), intent: "required", settings: { "@odata.type": "#microsoft.graph.androidManagedStoreAppAssignmentSettings", autoUpdateMode: "always" } }, property: "settings.autoUpdateMode", reason: /default, postponed, priority/ },
            { title: "OData's unknownFutureValue sentinel", inputs: { target: group(), intent: "required", settings: win32({ deliveryOptimizationPriority: "unknownFutureValue" }) }, property: "settings.deliveryOptimizationPriority", reason: /notConfigured, foreground/ },
        ],
    },
    {
        kind: "ManagedDeviceMobileAppConfigurationAssignment",
        strategy: "assign",
        assign: { path: `/deviceAppManagement/mobileAppConfigurations/${APP}/microsoft.graph.managedDeviceMobileAppConfiguration/assign`, key: "assignments" },
        bad: targetOnlyBad("app configuration"),
    },
    {
        kind: "IosManagedAppProtectionAssignment",
        strategy: "assign",
        assign: { path: `/deviceAppManagement/managedAppPolicies/${APP}/assign`, key: "assignments" },
        bad: targetOnlyBad("app protection"),
    },
    {
        kind: "AndroidManagedAppProtectionAssignment",
        strategy: "assign",
        assign: { path: `/deviceAppManagement/managedAppPolicies/${APP}/assign`, key: "assignments" },
        bad: targetOnlyBad("app protection"),
    },
    {
        kind: "WindowsManagedAppProtectionAssignment",
        strategy: "assign",
        assign: { path: `/deviceAppManagement/windowsManagedAppProtections/${APP}/assign`, key: "assignments" },
        bad: targetOnlyBad("app protection"),
    },
    {
        kind: "TargetedManagedAppConfigurationAssignment",
        strategy: "assign",
        assign: { path: `/deviceAppManagement/targetedManagedAppConfigurations/${APP}/assign`, key: "assignments" },
        bad: targetOnlyBad("app configuration"),
    },
];

for (const family of FAMILIES) {
    describe(`${family.kind} description`, () => {
        const description = getDescription(family.kind);
        const withApp = (i: Record<string, unknown>) => ({ policyId: APP, ...i });
        const inputs = withApp(description.example!.inputs);
        const updated = withApp({ ...description.example!.inputs, ...description.example!.update });

        it(`writes with ${family.strategy} by default, to ${family.assign.path.replace(APP, "{id}")} with ${family.assign.key}`, () => {
            assert.equal(description.defaultWriteStrategy, family.strategy);
            assert.equal(buildPath(description.paths.assign!, { policyId: APP }, description.pathKinds), family.assign.path);
            assert.equal(description.assignList?.bodyKey ?? "assignments", family.assign.key);
            assert.equal(description.assignList?.answer, "noContent");
            assert.ok((description.summary ?? "").length > 40);
        });

        it("takes its example and the example's update", () => {
            assert.deepEqual(validateInputs(description, inputs), []);
            assert.deepEqual(validateInputs(description, updated), []);
        });

        for (const bad of family.bad) {
            it(`refuses ${bad.title}, naming ${bad.property}`, () => {
                const failures = validateInputs(description, withApp(bad.inputs));
                const failure = failures.find((f) => f.property === bad.property);
                assert.ok(failure, `no failure for ${bad.property}: ${JSON.stringify(failures)}`);
                assert.ok(failure.reason.includes(bad.property.split(".").pop()!), failure.reason);
                assert.match(failure.reason, bad.reason);
            });
        }

        it("sees no drift between its example and Graph's echo of it", () => {
            for (const desired of [inputs, updated]) {
                assert.deepEqual(diffLive(description, desired, echo(description, toGraphBody(description, desired))), []);
            }
        });

        it("updates the example in place with a PATCH of the changed property only", () => {
            const diff = diffInputs(description, inputs, updated);
            assert.ok(diff.changes);
            assert.deepEqual(diff.replaces, []);
            const patch = buildMinimalPatch(description, inputs, updated)!;
            assert.deepEqual(Object.keys(patch).filter((k) => k !== "@odata.type"), Object.keys(description.example!.update));
        });

        it("replaces on a policy change", () => {
            assert.deepEqual(diffInputs(description, inputs, { ...updated, policyId: APP.replace("5b0f", "4a0e") }).replaces, ["policyId"]);
        });
    });
}

describe("MobileAppAssignment settings", () => {
    const description = getDescription("MobileAppAssignment");
    const settingsSpec = description.properties.settings as ComplexSpec;
    const base = { policyId: APP, target: group(), intent: "required" };

    it("knows the 17 settings types of the SDK", () => {
        assert.equal(Object.keys(settingsSpec.variants).length, 17);
    });

    it("takes every settings type with no properties, and sees no drift against Graph's echo of any of them", () => {
        for (const name of Object.keys(settingsSpec.variants)) {
            const desired = { ...base, settings: { "@odata.type": `#microsoft.graph.${name}` } };
            assert.deepEqual(validateInputs(description, desired), [], name);
            assert.deepEqual(diffLive(description, desired, echo(description, toGraphBody(description, desired))), [], name);
        }
    });

    it("never diffs against Graph's defaults, written or not", () => {
        const explicit = { ...base, settings: win32({ notifications: "showAll", deliveryOptimizationPriority: "notConfigured", autoUpdateSettings: { autoUpdateSupersededAppsState: "notConfigured" } }) };
        assert.equal(diffInputs(description, { ...base, settings: win32() }, explicit).changes, false);
        const live = echo(description, { ...toGraphBody(description, base), settings: { "@odata.type": "microsoft.graph.win32LobAppAssignmentSettings", notifications: "showAll", deliveryOptimizationPriority: "notConfigured", autoUpdateSettings: { autoUpdateSupersededAppsState: "notConfigured" } } });
        assert.deepEqual(diffLive(description, { ...base, settings: win32() }, live), []);
        // iOS: Graph documents null as "treated as TRUE" for isRemovable and uninstallOnDeviceRemoval.
        const ios = { ...base, settings: iosStore() };
        assert.deepEqual(diffLive(description, ios, echo(description, { ...toGraphBody(description, base), settings: iosStore({ isRemovable: true, uninstallOnDeviceRemoval: true, preventManagedAppBackup: false }) })), []);
    });

    it("sees a real difference inside settings", () => {
        const live = echo(description, toGraphBody(description, { ...base, settings: win32({ notifications: "hideAll" }) }));
        assert.deepEqual(diffLive(description, { ...base, settings: win32() }, live).map((d) => d.property), ["settings"]);
    });

    it("writes Graph's defaults out when it sends settings, so Graph holds what the program says", () => {
        const body = toGraphBody(description, { ...base, settings: iosStore({ vpnConfigurationId: "vpn-1" }) });
        assert.deepEqual(body.settings, { ...iosStore(), vpnConfigurationId: "vpn-1", isRemovable: true, preventManagedAppBackup: false, uninstallOnDeviceRemoval: true });
        const winBody = toGraphBody(description, { ...base, settings: win32({ restartSettings: { gracePeriodInMinutes: 60 } }) });
        assert.deepEqual(winBody.settings, {
            ...win32(),
            notifications: "showAll",
            deliveryOptimizationPriority: "notConfigured",
            restartSettings: { gracePeriodInMinutes: 60 },
            autoUpdateSettings: { autoUpdateSupersededAppsState: "notConfigured" },
        });
    });

    it("changes the intent with a PATCH of the intent only", () => {
        const settings = win32({ notifications: "hideAll" });
        assert.deepEqual(buildMinimalPatch(description, { ...base, settings }, { ...base, intent: "available", settings }), {
            "@odata.type": "#microsoft.graph.mobileAppAssignment",
            intent: "available",
        });
    });

    it("takes isRemovable on a required iOS install, refuses it on any other intent, and ignores what Graph holds there", () => {
        assert.deepEqual(validateInputs(description, { ...base, settings: iosStore({ isRemovable: false }) }), []);
        for (const intent of ["available", "uninstall", "availableWithoutEnrollment"]) {
            const failures = validateInputs(description, { ...base, intent, settings: iosStore({ isRemovable: true }) });
            assert.deepEqual(failures.map((f) => f.property), ["settings.isRemovable"], intent);
        }
        const available = { ...base, intent: "available", settings: iosStore() };
        const body = toGraphBody(description, available);
        assert.equal("isRemovable" in (body.settings as object), false, "not written where it does not apply");
        const live = echo(description, { ...body, settings: { ...(body.settings as object), isRemovable: false } });
        assert.deepEqual(diffLive(description, available, live), []);
    });

    it("compares deadlines as instants", () => {
        const a = { ...base, settings: win32({ installTimeSettings: { deadlineDateTime: "2026-12-31T19:00:00+01:00" } }) };
        const b = { ...base, settings: win32({ installTimeSettings: { deadlineDateTime: "2026-12-31T18:00:00Z", useLocalTime: false } }) };
        assert.equal(diffInputs(description, a, b).changes, false);
    });

    it("never compares or posts back source and sourceId (documented read-only), nor the id", () => {
        assert.deepEqual(description.assignList?.readOnly, ["id", "source", "sourceId"]);
        const live = { ...echo(description, toGraphBody(description, base)), source: "policySets", sourceId: "set-1" };
        assert.deepEqual(diffLive(description, base, live), []);
    });

    it("holds one assignment per target, whatever the intent", () => {
        const required = toGraphBody(description, base);
        const uninstall = toGraphBody(description, { ...base, intent: "uninstall" });
        assert.equal(description.matchKey(required), description.matchKey(uninstall));
    });
});
