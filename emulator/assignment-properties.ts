/**
 * Declared types of the assignment properties beyond `target`, from shared/graph-docs/assignment-families.md:
 * intents (§1), deviceHealthScript runSchedule (§6) and the 17 mobileAppAssignmentSettings subtypes (§9).
 * Nested complex type names come from Microsoft's resource pages where the fact sheet does not name them.
 */
import type { PropSpec, PropSpecs } from "./schema";

export const DEVICE_CONFIG_INTENT: PropSpec = {
  type: "enum", enumType: "deviceConfigAssignmentIntent", members: ["apply", "remove"],
  // Judgement call (README): the enum's first member, as a non-nullable OData enum reads when never set.
  default: "apply",
};

export const INSTALL_INTENT: PropSpec = {
  type: "enum", enumType: "installIntent", members: ["available", "required", "uninstall", "availableWithoutEnrollment"],
  // Judgement call (README): required on every write; no default is documented and a wrong guess installs apps.
  required: true,
};

/** Interval 1–23 as the docs state it ("every x hours/days… Valid values 1 to 23"); required (judgement call). */
const INTERVAL: PropSpec = { type: "int32", min: 1, max: 23, required: true };
const TIME_SCHEDULE: PropSpecs = { interval: INTERVAL, time: { type: "timeOfDay", required: true }, useUtc: { type: "boolean" } };

/** deviceHealthScriptRunSchedule: the three concrete subtypes; the base and deviceHealthScriptTimeSchedule are refused. */
export const RUN_SCHEDULE: PropSpec = {
  type: "polymorphic", baseType: "deviceHealthScriptRunSchedule",
  subtypes: {
    deviceHealthScriptHourlySchedule: { interval: INTERVAL },
    deviceHealthScriptDailySchedule: TIME_SCHEDULE,
    deviceHealthScriptRunOnceSchedule: { ...TIME_SCHEDULE, date: { type: "date", required: true } },
  },
};

/** Minutes are Int32 in the docs with no documented range; negatives are refused (judgement call, README). */
const MINUTES: PropSpec = { type: "int32", min: 0 };
const RESTART = (typeName: string): PropSpec => ({
  type: "complex", typeName,
  properties: { gracePeriodInMinutes: MINUTES, countdownDisplayBeforeRestartInMinutes: MINUTES, restartNotificationSnoozeDurationInMinutes: MINUTES },
});
const INSTALL_TIME_FULL = (typeName?: string): PropSpec => ({
  type: "complex", typeName,
  properties: { useLocalTime: { type: "boolean" }, startDateTime: { type: "dateTimeOffset" }, deadlineDateTime: { type: "dateTimeOffset" } },
});
const NOTIFICATIONS = (enumType: string, future: boolean): PropSpec => ({
  type: "enum", enumType, members: ["showAll", "showReboot", "hideAll", ...(future ? ["unknownFutureValue"] : [])], default: "showAll",
});
const DELIVERY = (future: boolean): PropSpec => ({
  type: "enum", enumType: "win32LobAppDeliveryOptimizationPriority", members: ["notConfigured", "foreground", ...(future ? ["unknownFutureValue"] : [])], default: "notConfigured",
});
const BOOL: PropSpec = { type: "boolean" };
const STRING: PropSpec = { type: "string" };
const APP_UPDATES: PropSpec = { type: "enum", enumType: "iosDdmAppUpdateSetting", members: ["alwaysOn", "alwaysOff", "storeSettings", "unknownFutureValue"] };

const IOS_BASIC: PropSpecs = { isRemovable: BOOL, preventManagedAppBackup: BOOL, uninstallOnDeviceRemoval: BOOL, vpnConfigurationId: STRING };
const IOS_DDM: PropSpecs = {
  associatedDomains: { type: "stringArray" }, associatedDomainsDirectDownloadAllowed: BOOL, cellularSliceConfigurationId: STRING,
  contentFilterConfigurationId: STRING, dnsProxyConfigurationId: STRING, relayConfigurationId: STRING, vpnConfigurationId: STRING,
  preventManagedAppBackup: BOOL, tapToPayScreenLockEnabled: BOOL,
};
// ⚠️ The fact sheet lists allowDownloadsOverCellular beside automaticAppUpdates with one value list; both use it here.
const IOS_DDM_UPDATES: PropSpecs = { allowDownloadsOverCellular: APP_UPDATES, automaticAppUpdates: APP_UPDATES, version: { type: "int32" } };
const WIN32: PropSpecs = {
  notifications: NOTIFICATIONS("win32LobAppNotification", false),
  deliveryOptimizationPriority: DELIVERY(false),
  installTimeSettings: INSTALL_TIME_FULL("mobileAppInstallTimeSettings"),
  restartSettings: RESTART("win32LobAppRestartSettings"),
  autoUpdateSettings: {
    type: "complex", typeName: "win32LobAppAutoUpdateSettings",
    properties: { autoUpdateSupersededAppsState: { type: "enum", enumType: "win32LobAutoUpdateSupersededAppsState", members: ["notConfigured", "enabled", "unknownFutureValue"], default: "notConfigured" } },
  },
};

/** mobileAppAssignmentSettings: the 17 concrete subtypes of SDK preview.81 (fact sheet §9). */
export const MOBILE_APP_SETTINGS: PropSpec = {
  type: "polymorphic", baseType: "mobileAppAssignmentSettings",
  subtypes: {
    androidManagedStoreAppAssignmentSettings: {
      androidManagedStoreAppTrackIds: { type: "stringArray" },
      autoUpdateMode: { type: "enum", enumType: "androidManagedStoreAutoUpdateMode", members: ["default", "postponed", "priority", "unknownFutureValue"], default: "default" },
    },
    iosLobAppAssignmentSettings: IOS_BASIC,
    iosStoreAppAssignmentSettings: IOS_BASIC,
    iosVppAppAssignmentSettings: { ...IOS_BASIC, preventAutoAppUpdate: BOOL, useDeviceLicensing: BOOL },
    iosDdmLobAppAssignmentSettings: { ...IOS_DDM, ddmAppConfigId: { type: "guid" } },
    iosDdmStoreAppAssignmentSettings: { ...IOS_DDM, ...IOS_DDM_UPDATES },
    iosDdmVppAppAssignmentSettings: { ...IOS_DDM, ...IOS_DDM_UPDATES, ddmAppConfigId: { type: "guid" }, useDeviceLicensing: BOOL },
    macOsLobAppAssignmentSettings: { uninstallOnDeviceRemoval: BOOL },
    macOsVppAppAssignmentSettings: { preventAutoAppUpdate: BOOL, preventManagedAppBackup: BOOL, uninstallOnDeviceRemoval: BOOL, useDeviceLicensing: BOOL },
    macOsDdmVppAppAssignmentSettings: { automaticAppUpdates: APP_UPDATES, ddmAppConfigId: { type: "guid" }, isIosApp: BOOL, useDeviceLicensing: BOOL, version: { type: "int32" } },
    microsoftStoreForBusinessAppAssignmentSettings: { useDeviceContext: BOOL },
    windowsAppXAppAssignmentSettings: { useDeviceContext: BOOL },
    windowsUniversalAppXAppAssignmentSettings: { useDeviceContext: BOOL },
    win32LobAppAssignmentSettings: WIN32,
    win32CatalogAppAssignmentSettings: WIN32,
    winGetAppAssignmentSettings: {
      notifications: NOTIFICATIONS("winGetAppNotification", true),
      installTimeSettings: { type: "complex", typeName: "winGetAppInstallTimeSettings", properties: { useLocalTime: BOOL, deadlineDateTime: { type: "dateTimeOffset" } } },
      restartSettings: RESTART("winGetAppRestartSettings"),
    },
    windowsAutoUpdateCatalogAppAssignmentSettings: {
      notificationType: NOTIFICATIONS("windowsAutoUpdateCatalogAppNotificationType", true),
      deliveryOptimizationPriority: DELIVERY(true),
      // The nested type names are not in the fact sheet; any microsoft.graph type name is accepted there.
      installTimeSettings: INSTALL_TIME_FULL(),
      restartSettings: { type: "complex", properties: { gracePeriodInMinutes: MINUTES, countdownDisplayBeforeRestartInMinutes: MINUTES, restartNotificationSnoozeDurationInMinutes: MINUTES } },
    },
  },
};

/** Settings subtypes whose name is an app type + "AssignmentSettings" (case-insensitive), by lower-case app type. */
export function settingsTypeForApp(appType: string): string | undefined {
  const wanted = `${appType}AssignmentSettings`.toLowerCase();
  if (MOBILE_APP_SETTINGS.type !== "polymorphic") return undefined;
  return Object.keys(MOBILE_APP_SETTINGS.subtypes).find((s) => s.toLowerCase() === wanted);
}
