import type * as pulumi from "@pulumi/pulumi";

/** Runs every `interval` hours (deviceHealthScriptHourlySchedule). */
export interface HourlyRunSchedule {
    readonly "@odata.type": "#microsoft.graph.deviceHealthScriptHourlySchedule";
    /** Every how many hours: 1 to 23. */
    readonly interval: pulumi.Input<number>;
}

/** Runs every `interval` days at a time of day (deviceHealthScriptDailySchedule). */
export interface DailyRunSchedule {
    readonly "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule";
    /** Every how many days: 1 to 23. */
    readonly interval: pulumi.Input<number>;
    /** Time of day, "HH:MM" or "HH:MM:SS" (Graph answers "01:00:00.0000000"; the same time never diffs). */
    readonly time: pulumi.Input<string>;
    /** Whether `time` is UTC; default false (the device's local time). */
    readonly useUtc?: pulumi.Input<boolean>;
}

/** Runs once, on a date at a time of day (deviceHealthScriptRunOnceSchedule). */
export interface RunOnceSchedule {
    readonly "@odata.type": "#microsoft.graph.deviceHealthScriptRunOnceSchedule";
    /** Carried by the type although a single run does not repeat: 1 to 23 (the builder sets 1). */
    readonly interval: pulumi.Input<number>;
    /** The day, "YYYY-MM-DD". */
    readonly date: pulumi.Input<string>;
    /** Time of day, "HH:MM" or "HH:MM:SS". */
    readonly time: pulumi.Input<string>;
    /** Whether `time` is UTC; default false (the device's local time). */
    readonly useUtc?: pulumi.Input<boolean>;
}

/** When a Remediations (device health) script runs: a deviceHealthScriptRunSchedule. */
export type RunSchedule = HourlyRunSchedule | DailyRunSchedule | RunOnceSchedule;

/**
 * Builders for a Remediations script's run schedule, e.g. `schedules.daily({ time: "01:00" })`. Values are checked by
 * the provider before any request (interval 1 to 23, a valid time of day and date).
 */
export const schedules = {
    /** Every `interval` hours (1 to 23). */
    hourly(interval: pulumi.Input<number>): HourlyRunSchedule {
        return { "@odata.type": "#microsoft.graph.deviceHealthScriptHourlySchedule", interval };
    },
    /**
     * Every `interval` days (1 to 23; default 1) at `time` ("HH:MM"), in the device's local time unless `useUtc`.
     */
    daily(options: { readonly time: pulumi.Input<string>; readonly interval?: pulumi.Input<number>; readonly useUtc?: pulumi.Input<boolean> }): DailyRunSchedule {
        return {
            "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule",
            interval: options.interval ?? 1,
            time: options.time,
            ...(options.useUtc !== undefined ? { useUtc: options.useUtc } : {}),
        };
    },
    /** Once, on `date` ("YYYY-MM-DD") at `time` ("HH:MM"), in the device's local time unless `useUtc`. */
    once(options: { readonly date: pulumi.Input<string>; readonly time: pulumi.Input<string>; readonly useUtc?: pulumi.Input<boolean> }): RunOnceSchedule {
        return {
            "@odata.type": "#microsoft.graph.deviceHealthScriptRunOnceSchedule",
            interval: 1,
            date: options.date,
            time: options.time,
            ...(options.useUtc !== undefined ? { useUtc: options.useUtc } : {}),
        };
    },
};
