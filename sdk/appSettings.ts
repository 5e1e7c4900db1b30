import type * as pulumi from "@pulumi/pulumi";

/**
 * What an app assignment does with the app (installIntent): `required` installs it, `available` offers it in the
 * Company Portal to enrolled devices, `availableWithoutEnrollment` also to devices not enrolled, `uninstall` removes it.
 * Changing the intent updates the assignment in place (a group holds one intent per app); nothing replaces.
 */
export type InstallIntent = "required" | "available" | "uninstall" | "availableWithoutEnrollment";

/** The install intents by name, e.g. `intents.required`. */
export const intents = {
    required: "required",
    available: "available",
    uninstall: "uninstall",
    availableWithoutEnrollment: "availableWithoutEnrollment",
} as const satisfies Readonly<Record<string, InstallIntent>>;

/** The restart grace period after a Windows app install (win32LobAppRestartSettings / winGetAppRestartSettings). */
export interface RestartSettings {
    /** Minutes after the install before the device restarts: 1 to 20160 (2 weeks). */
    readonly gracePeriodInMinutes?: pulumi.Input<number>;
    /** Minutes before the restart that the countdown dialog shows: 1 to 240. */
    readonly countdownDisplayBeforeRestartInMinutes?: pulumi.Input<number>;
    /** Minutes the user may snooze the restart notification: 1 to 712. */
    readonly restartNotificationSnoozeDurationInMinutes?: pulumi.Input<number>;
}

/** End-user toast notifications of a Windows app install. Graph's default: `showAll`. */
export type AppNotifications = "showAll" | "showReboot" | "hideAll";

/** win32LobAppAssignmentSettings (also win32CatalogAppAssignmentSettings, which has the same properties). */
export interface Win32AppSettings {
    readonly "@odata.type": "#microsoft.graph.win32LobAppAssignmentSettings" | "#microsoft.graph.win32CatalogAppAssignmentSettings";
    /** Default `showAll` (leaving it out never diffs against Graph's `showAll`). */
    readonly notifications?: pulumi.Input<AppNotifications>;
    /** Delivery Optimization priority: `notConfigured` (background; Graph's default) or `foreground`. */
    readonly deliveryOptimizationPriority?: pulumi.Input<"notConfigured" | "foreground">;
    /**
     * When the app becomes available and when its install is enforced (ISO 8601 with an offset, e.g.
     * "2026-12-31T18:00:00Z"; the same instant written another way never diffs). `useLocalTime` default false (UTC).
     */
    readonly installTimeSettings?: pulumi.Input<{ readonly useLocalTime?: pulumi.Input<boolean>; readonly startDateTime?: pulumi.Input<string>; readonly deadlineDateTime?: pulumi.Input<string> }>;
    /** Restart grace period; absent: none. */
    readonly restartSettings?: pulumi.Input<RestartSettings>;
    /** Whether superseded versions update automatically: `notConfigured` (Graph's default) or `enabled`. */
    readonly autoUpdateSettings?: pulumi.Input<{ readonly autoUpdateSupersededAppsState?: pulumi.Input<"notConfigured" | "enabled"> }>;
}

/** winGetAppAssignmentSettings (Microsoft Store apps, new). */
export interface WinGetAppSettings {
    readonly "@odata.type": "#microsoft.graph.winGetAppAssignmentSettings";
    /** Default `showAll`. */
    readonly notifications?: pulumi.Input<AppNotifications>;
    /** When the install is enforced; `useLocalTime` default false (UTC). */
    readonly installTimeSettings?: pulumi.Input<{ readonly useLocalTime?: pulumi.Input<boolean>; readonly deadlineDateTime?: pulumi.Input<string> }>;
    /** Restart grace period; absent: none. */
    readonly restartSettings?: pulumi.Input<RestartSettings>;
}

/** iosStoreAppAssignmentSettings / iosLobAppAssignmentSettings. */
export interface IosAppSettings {
    readonly "@odata.type": "#microsoft.graph.iosStoreAppAssignmentSettings" | "#microsoft.graph.iosLobAppAssignmentSettings";
    /** Whether the user may uninstall the app. Required installs only (check refuses it otherwise). Graph's default: true. */
    readonly isRemovable?: pulumi.Input<boolean>;
    /** Whether iCloud backup of the app is prevented. Graph's default: false. */
    readonly preventManagedAppBackup?: pulumi.Input<boolean>;
    /** Whether the app is removed when the device leaves Intune. Graph's default: true. */
    readonly uninstallOnDeviceRemoval?: pulumi.Input<boolean>;
    /** Id of the per-app VPN configuration. */
    readonly vpnConfigurationId?: pulumi.Input<string>;
}

/** iosVppAppAssignmentSettings (Apple Volume Purchase Program apps). */
export interface IosVppAppSettings extends Omit<IosAppSettings, "@odata.type"> {
    readonly "@odata.type": "#microsoft.graph.iosVppAppAssignmentSettings";
    /** Whether automatic updates from the App Store are prevented. Graph's default: false. */
    readonly preventAutoAppUpdate?: pulumi.Input<boolean>;
    /** Whether the license is the device's (true) or the user's (false, Graph's default). */
    readonly useDeviceLicensing?: pulumi.Input<boolean>;
}

/** androidManagedStoreAppAssignmentSettings (managed Google Play). */
export interface AndroidManagedStoreAppSettings {
    readonly "@odata.type": "#microsoft.graph.androidManagedStoreAppAssignmentSettings";
    /** Managed Google Play tracks to install (pre-production tracks). Graph's default: none. */
    readonly androidManagedStoreAppTrackIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** Update priority: `default` (Graph's default), `postponed` or `priority`. */
    readonly autoUpdateMode?: pulumi.Input<"default" | "postponed" | "priority">;
}

/**
 * An app assignment's `settings`: one of the 17 mobileAppAssignmentSettings types, named by `@odata.type` (the
 * builders below make the common ones; any other is written as a plain object with its `@odata.type`, and the provider
 * checks it against that type before any request).
 */
export type MobileAppAssignmentSettings =
    | Win32AppSettings
    | WinGetAppSettings
    | IosAppSettings
    | IosVppAppSettings
    | AndroidManagedStoreAppSettings
    | ({ readonly "@odata.type": string } & Readonly<Record<string, unknown>>);

type Without<T> = Omit<T, "@odata.type">;

/**
 * Builders for app assignment settings, e.g. `appSettings.win32({ notifications: "showReboot", restartSettings: {
 * gracePeriodInMinutes: 1440 } })`. Every setting updates in place; none replaces the assignment. A setting left out
 * is Graph's default and never diffs against it (the defaults are written out when settings are sent).
 */
export const appSettings = {
    /** Win32 (LOB) app settings; `catalog: true` for a Win32 catalog app (same properties). */
    win32(settings: Without<Win32AppSettings> = {}, options: { readonly catalog?: boolean } = {}): Win32AppSettings {
        const type = options.catalog === true ? "#microsoft.graph.win32CatalogAppAssignmentSettings" : "#microsoft.graph.win32LobAppAssignmentSettings";
        return { "@odata.type": type, ...settings };
    },
    /** WinGet (new Microsoft Store) app settings. */
    winGet(settings: Without<WinGetAppSettings> = {}): WinGetAppSettings {
        return { "@odata.type": "#microsoft.graph.winGetAppAssignmentSettings", ...settings };
    },
    /** iOS/iPadOS App Store app settings; `lob: true` for a line-of-business app (same properties). */
    iosStore(settings: Without<IosAppSettings> = {}, options: { readonly lob?: boolean } = {}): IosAppSettings {
        const type = options.lob === true ? "#microsoft.graph.iosLobAppAssignmentSettings" : "#microsoft.graph.iosStoreAppAssignmentSettings";
        return { "@odata.type": type, ...settings };
    },
    /** iOS/iPadOS Volume Purchase Program app settings. */
    iosVpp(settings: Without<IosVppAppSettings> = {}): IosVppAppSettings {
        return { "@odata.type": "#microsoft.graph.iosVppAppAssignmentSettings", ...settings };
    },
    /** Managed Google Play app settings. */
    androidManagedStore(settings: Without<AndroidManagedStoreAppSettings> = {}): AndroidManagedStoreAppSettings {
        return { "@odata.type": "#microsoft.graph.androidManagedStoreAppAssignmentSettings", ...settings };
    },
};
