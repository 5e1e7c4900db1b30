import { defineResource } from "../description.js";
import { INTUNE_ASSIGNMENT_TARGET, targetSlot } from "../targets.js";
import { EXAMPLE_GROUP, exampleGroupTarget } from "./intuneFamily.js";
import { MOBILE_APP_ASSIGNMENT_SETTINGS } from "./mobileAppSettings.js";

const APP = "/deviceAppManagement/mobileApps/{policyId}";
/** The four install intents of installIntent (fact sheet section 1). */
export const INSTALL_INTENTS = ["required", "available", "uninstall", "availableWithoutEnrollment"] as const;

/**
 * Intune mobileAppAssignment: an app assigned to a target with an install intent and intent-specific settings (beta;
 * fact sheet section 9). Inputs: `policyId` (GUID of the mobileApp; changing it replaces), `target`, `intent` and
 * `settings`; everything but `policyId` updates in place (Graph holds one assignment per target of an app, so a group
 * cannot hold two intents for one app: the slot is the target).
 *
 * `intent` is required: Graph documents no default, and a guessed one would install or remove apps. `settings` is
 * polymorphic: its `@odata.type` names one of the 17 settings types, and only that type's properties are accepted,
 * with their enums, ranges and Graph's defaults (which never diff). Which settings type fits which app type is not
 * documented (❓), so Graph's own answer decides that. `isRemovable` applies to required installs only (Microsoft's
 * app-assignment docs: "whether a required iOS/iPadOS app is installed as a removable app"): on another intent it
 * fails `check`, and whatever Graph holds there is not compared.
 *
 * Routes: all five item methods are documented (POST 201); `assign` takes `mobileAppAssignments` and answers 204, so
 * the default strategy is `auto`. `id`, `source` and `sourceId` are documented read-only: never compared, never sent,
 * never posted back; every other property of every entry (intent and settings of entries this stack does not manage
 * included) is posted back as read.
 */
export const mobileAppAssignment = defineResource({
    kind: "MobileAppAssignment",
    paths: { parent: APP, collection: `${APP}/assignments`, item: `${APP}/assignments/{id}`, assign: `${APP}/assign` },
    odataType: "#microsoft.graph.mobileAppAssignment",
    sendOdataType: true,
    properties: {
        policyId: { type: "guid", doc: "Id of the Intune mobileApp." },
        target: { ...INTUNE_ASSIGNMENT_TARGET, doc: "Who the app is assigned to; assignment filters are allowed on include targets (not for web links)." },
        intent: {
            type: "enum",
            values: INSTALL_INTENTS,
            doc: "required (installed), available (offered in the Company Portal), uninstall, or availableWithoutEnrollment.",
        },
        settings: MOBILE_APP_ASSIGNMENT_SETTINGS,
    },
    required: ["policyId", "target", "intent"],
    replaceOnChange: ["policyId"],
    serverManaged: ["id", "source", "sourceId"],
    bodyProperties: ["target", "intent", "settings"],
    pathProperties: ["policyId"],
    matchKey: (body) => targetSlot(body.target),
    itemRoutes: { create: true, update: true, delete: true },
    assignList: {
        listPath: `${APP}/assignments`,
        listShape: "collection",
        bodyKey: "mobileAppAssignments",
        answer: "noContent",
        readOnly: ["id", "source", "sourceId"],
    },
    rules: [
        {
            when: { property: "intent", values: ["available", "uninstall", "availableWithoutEnrollment"] },
            forbid: ["settings.isRemovable"],
            reason: "isRemovable applies to required installs only (intent required)",
        },
    ],
    summary:
        "Assigns an Intune app (deviceAppManagement/mobileApps) to a target with an install intent (required, available, uninstall, available without enrollment) and the settings of the app's type: notifications, Delivery Optimization, availability and deadline, restart grace period (Win32, WinGet), removability and VPN (iOS), tracks and update mode (Android managed Google Play).",
    example: {
        inputs: {
            target: exampleGroupTarget(EXAMPLE_GROUP),
            intent: "required",
            settings: {
                "@odata.type": "#microsoft.graph.win32LobAppAssignmentSettings",
                notifications: "showReboot",
                restartSettings: { gracePeriodInMinutes: 1440, countdownDisplayBeforeRestartInMinutes: 15, restartNotificationSnoozeDurationInMinutes: 240 },
            },
        },
        update: {
            settings: {
                "@odata.type": "#microsoft.graph.win32LobAppAssignmentSettings",
                notifications: "showReboot",
                restartSettings: { gracePeriodInMinutes: 2880, countdownDisplayBeforeRestartInMinutes: 15, restartNotificationSnoozeDurationInMinutes: 240 },
            },
        },
    },
});
