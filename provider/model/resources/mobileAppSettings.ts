/**
 * mobileAppAssignmentSettings (abstract) and its 17 concrete types (fact sheet section 9, SDK discriminator), with
 * Graph's defaults where Microsoft's resource pages state them. Data only: the description of MobileAppAssignment uses it.
 *
 * Defaults: the iOS/macOS pages say `isRemovable` and `uninstallOnDeviceRemoval` are null "treated as TRUE" and
 * `preventManagedAppBackup` / `preventAutoAppUpdate` null "treated as FALSE"; other booleans are taken as false (the
 * value of an unset Edm.Boolean); enums default to their member meaning "not set" (`showAll`, `notConfigured`,
 * `default`). Defaults never diff and are written out whenever settings are sent (see ValueAnnotations.default).
 * `unknownFutureValue` (OData's evolvable-enum sentinel) is never accepted as an input.
 */
import type { ComplexSpec, ValueAnnotations, ValueSpec } from "../types.js";

const TRUE_WHEN_UNSET: ValueSpec = { type: "boolean", default: true };
const FALSE_WHEN_UNSET: ValueSpec = { type: "boolean", default: false };
/** Ids of other Intune objects (VPN, content filter, DNS proxy … configurations): opaque strings. */
const CONFIGURATION_ID: ValueSpec = { type: "string", maxLength: 128 };
const VERSION: ValueSpec = { type: "integer", minimum: 0, maximum: 2147483647 };
const APP_UPDATES: ValueSpec = { type: "enum", values: ["alwaysOn", "alwaysOff", "storeSettings"] };
const DOMAINS: ValueSpec = { type: "array", items: { type: "string", maxLength: 253 }, maxItems: 100, default: [] };

/**
 * Restart grace period, countdown and snooze in minutes, with the limits of the Intune admin center (grace period up
 * to 2 weeks, countdown up to 4 hours, snooze up to 712 minutes); Graph declares plain Int32s.
 */
const RESTART_SETTINGS: ValueSpec = {
    type: "object",
    properties: {
        gracePeriodInMinutes: { type: "integer", minimum: 1, maximum: 20160, doc: "Minutes after the install before the device restarts (1 to 20160)." },
        countdownDisplayBeforeRestartInMinutes: { type: "integer", minimum: 1, maximum: 240, doc: "Minutes before the restart that the countdown shows (1 to 240)." },
        restartNotificationSnoozeDurationInMinutes: { type: "integer", minimum: 1, maximum: 712, doc: "Minutes the user may snooze the restart notification (1 to 712)." },
    },
    required: [],
    doc: "The restart grace period after the install (absent: the device may restart without a grace period).",
};
const USE_LOCAL_TIME: ValueSpec = { ...FALSE_WHEN_UNSET, doc: "Whether the times are the device's local time (true) or UTC (false, default)." };
const DATE_TIME: ValueSpec = { type: "dateTime" };
const INSTALL_TIME_SETTINGS: ValueSpec = {
    type: "object",
    properties: { useLocalTime: USE_LOCAL_TIME, startDateTime: { ...DATE_TIME, doc: "When the app becomes available." }, deadlineDateTime: { ...DATE_TIME, doc: "When the install is enforced." } },
    required: [],
    doc: "When the app becomes available and when its install is enforced.",
};
const NOTIFICATIONS: ValueSpec = {
    type: "enum",
    values: ["showAll", "showReboot", "hideAll"],
    default: "showAll",
    doc: "End-user toast notifications: showAll (default), showReboot (restarts only) or hideAll.",
};
const DELIVERY_OPTIMIZATION: ValueSpec = {
    type: "enum",
    values: ["notConfigured", "foreground"],
    default: "notConfigured",
    doc: "Delivery Optimization priority: notConfigured (background, default) or foreground.",
};
const WIN32: ValueSpec & { type: "object" } = {
    type: "object",
    properties: {
        notifications: NOTIFICATIONS,
        deliveryOptimizationPriority: DELIVERY_OPTIMIZATION,
        installTimeSettings: INSTALL_TIME_SETTINGS,
        restartSettings: RESTART_SETTINGS,
        autoUpdateSettings: {
            type: "object",
            properties: {
                autoUpdateSupersededAppsState: { type: "enum", values: ["notConfigured", "enabled"], default: "notConfigured" },
            },
            required: [],
            // Its only property has a default: an empty value is Graph's unset one.
            default: {},
            doc: "Whether superseded versions are updated automatically (notConfigured by default).",
        },
    },
    required: [],
};

const IOS_BASIC: Readonly<Record<string, ValueSpec>> = {
    isRemovable: { ...TRUE_WHEN_UNSET, doc: "Whether the user may uninstall a required app (Graph's default: true). Required installs only." },
    preventManagedAppBackup: { ...FALSE_WHEN_UNSET, doc: "Whether iCloud backup of the app is prevented (default false)." },
    uninstallOnDeviceRemoval: { ...TRUE_WHEN_UNSET, doc: "Whether the app is removed when the device leaves Intune (Graph's default: true)." },
    vpnConfigurationId: { ...CONFIGURATION_ID, doc: "Id of the per-app VPN configuration." },
};
const IOS_DDM: Readonly<Record<string, ValueSpec>> = {
    associatedDomains: DOMAINS,
    associatedDomainsDirectDownloadAllowed: FALSE_WHEN_UNSET,
    cellularSliceConfigurationId: CONFIGURATION_ID,
    contentFilterConfigurationId: CONFIGURATION_ID,
    dnsProxyConfigurationId: CONFIGURATION_ID,
    relayConfigurationId: CONFIGURATION_ID,
    vpnConfigurationId: CONFIGURATION_ID,
    preventManagedAppBackup: FALSE_WHEN_UNSET,
    tapToPayScreenLockEnabled: FALSE_WHEN_UNSET,
};
// ⚠️ The fact sheet lists allowDownloadsOverCellular with automaticAppUpdates' values; taken as listed.
const IOS_DDM_UPDATES: Readonly<Record<string, ValueSpec>> = { allowDownloadsOverCellular: APP_UPDATES, automaticAppUpdates: APP_UPDATES, version: VERSION };
const USE_DEVICE_CONTEXT: Readonly<Record<string, ValueSpec>> = {
    useDeviceContext: { ...FALSE_WHEN_UNSET, doc: "Install in the device context (true) or the user's (false, default)." },
};

const variant = (properties: Readonly<Record<string, ValueSpec>>) => ({ properties, required: [] as string[] });

/** The `settings` of a mobile app assignment, validated against its `@odata.type`. */
export const MOBILE_APP_ASSIGNMENT_SETTINGS: ComplexSpec & ValueAnnotations = {
    type: "complex",
    doc: "Install settings for the app's type (its `@odata.type` names one of the 17 settings types); absent: none.",
    variants: {
        androidManagedStoreAppAssignmentSettings: variant({
            androidManagedStoreAppTrackIds: { type: "array", items: { type: "string", maxLength: 256 }, maxItems: 50, default: [], doc: "Managed Google Play tracks (pre-production) to install." },
            autoUpdateMode: { type: "enum", values: ["default", "postponed", "priority"], default: "default", doc: "Update priority: default, postponed or priority." },
        }),
        iosLobAppAssignmentSettings: variant(IOS_BASIC),
        iosStoreAppAssignmentSettings: variant(IOS_BASIC),
        iosVppAppAssignmentSettings: variant({
            ...IOS_BASIC,
            preventAutoAppUpdate: { ...FALSE_WHEN_UNSET, doc: "Whether automatic updates from the App Store are prevented (default false)." },
            useDeviceLicensing: { ...FALSE_WHEN_UNSET, doc: "Whether the VPP license is the device's (true) or the user's (false, default)." },
        }),
        iosDdmLobAppAssignmentSettings: variant({ ...IOS_DDM, ddmAppConfigId: { type: "guid" } }),
        iosDdmStoreAppAssignmentSettings: variant({ ...IOS_DDM, ...IOS_DDM_UPDATES }),
        iosDdmVppAppAssignmentSettings: variant({ ...IOS_DDM, ...IOS_DDM_UPDATES, ddmAppConfigId: { type: "guid" }, useDeviceLicensing: FALSE_WHEN_UNSET }),
        macOsLobAppAssignmentSettings: variant({ uninstallOnDeviceRemoval: TRUE_WHEN_UNSET }),
        macOsVppAppAssignmentSettings: variant({
            preventAutoAppUpdate: FALSE_WHEN_UNSET,
            preventManagedAppBackup: FALSE_WHEN_UNSET,
            uninstallOnDeviceRemoval: TRUE_WHEN_UNSET,
            useDeviceLicensing: FALSE_WHEN_UNSET,
        }),
        macOsDdmVppAppAssignmentSettings: variant({
            automaticAppUpdates: APP_UPDATES,
            ddmAppConfigId: { type: "guid" },
            isIosApp: FALSE_WHEN_UNSET,
            useDeviceLicensing: FALSE_WHEN_UNSET,
            version: VERSION,
        }),
        microsoftStoreForBusinessAppAssignmentSettings: variant(USE_DEVICE_CONTEXT),
        windowsAppXAppAssignmentSettings: variant(USE_DEVICE_CONTEXT),
        windowsUniversalAppXAppAssignmentSettings: variant(USE_DEVICE_CONTEXT),
        win32LobAppAssignmentSettings: variant(WIN32.properties),
        // Extends win32LobAppAssignmentSettings with no properties of its own.
        win32CatalogAppAssignmentSettings: variant(WIN32.properties),
        winGetAppAssignmentSettings: variant({
            notifications: NOTIFICATIONS,
            installTimeSettings: {
                type: "object",
                properties: { useLocalTime: USE_LOCAL_TIME, deadlineDateTime: { ...DATE_TIME, doc: "When the install is enforced." } },
                required: [],
                doc: "When the install is enforced.",
            },
            restartSettings: RESTART_SETTINGS,
        }),
        windowsAutoUpdateCatalogAppAssignmentSettings: variant({
            notificationType: NOTIFICATIONS,
            deliveryOptimizationPriority: DELIVERY_OPTIMIZATION,
            installTimeSettings: INSTALL_TIME_SETTINGS,
            restartSettings: RESTART_SETTINGS,
        }),
    },
};
