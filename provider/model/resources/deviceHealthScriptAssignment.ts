import { defineResource } from "../description.js";
import { INTUNE_ASSIGNMENT_TARGET } from "../targets.js";
import type { ComplexSpec, ValueAnnotations, ValueSpec } from "../types.js";
import { EXAMPLE_GROUP, exampleGroupTarget, intunePaths, intuneTargetOnly } from "./intuneFamily.js";

/** "Repeat every x hours/days", valid values 1 to 23 as documented (fact sheet section 6). */
const INTERVAL: ValueSpec = { type: "integer", minimum: 1, maximum: 23, doc: "Every how many hours (hourly) or days (daily): 1 to 23." };
const TIME: ValueSpec = { type: "timeOfDay", doc: 'Time of day the script runs, e.g. "01:00".' };
/** Not documented; false is the value of an unset Edm.Boolean (so an omitted useUtc never diffs against Graph's echo). */
const USE_UTC: ValueSpec = { type: "boolean", default: false, doc: "Whether `time` is UTC (true) or the device's local time (false, default)." };

/**
 * deviceHealthScriptRunSchedule (abstract) and the concrete schedules the SDK discriminator knows. The intermediate
 * deviceHealthScriptTimeSchedule is not accepted: whether Graph takes it as a concrete type is not confirmed, and
 * daily / run-once say the same thing explicitly. `time` is required where the schedule has one: the time Graph would
 * pick without it is not documented. The run-once schedule still carries `interval` (the type has it); the SDK's
 * builder sets 1.
 */
export const RUN_SCHEDULE: ComplexSpec & ValueAnnotations = {
    type: "complex",
    doc: "When the detection (and remediation) script runs: hourly, daily or once.",
    variants: {
        deviceHealthScriptHourlySchedule: { properties: { interval: INTERVAL }, required: ["interval"] },
        deviceHealthScriptDailySchedule: { properties: { interval: INTERVAL, time: TIME, useUtc: USE_UTC }, required: ["interval", "time"] },
        deviceHealthScriptRunOnceSchedule: {
            properties: { interval: INTERVAL, time: TIME, useUtc: USE_UTC, date: { type: "date", doc: 'The day it runs, e.g. "2026-12-31".' } },
            required: ["interval", "time", "date"],
        },
    },
};

const target = intuneTargetOnly(INTUNE_ASSIGNMENT_TARGET);

/**
 * Intune deviceHealthScriptAssignment: a Remediations (device health) script assigned to a target (beta; fact sheet
 * section 6). Inputs: `policyId` (GUID of the deviceHealthScript; changing it replaces), `target` (filters allowed:
 * Remediations are a filter-supported workload), `runRemediationScript` and `runSchedule`; everything but `policyId`
 * updates in place (through `assign`, see below).
 *
 * `runRemediationScript`: the docs give no default; false (run the detection script only) is taken as Graph's
 * default, the value of an unset Edm.Boolean. Should a tenant answer true for an assignment created without it, that
 * shows as drift and the next `up` writes false explicitly: the declared default never hides a real difference.
 *
 * Routes: all five item methods are documented, but item POST on the assignments collection is reported refused
 * ("No OData route", fact sheet section 6 (e)), so item create is not declared and the default write strategy is
 * `assign` (body key `deviceHealthScriptAssignments`, answer 204). Item PATCH and DELETE are documented and not
 * reported refused; they run only under an explicit `writeStrategy: auto`. The docs mark the id read-only: ids are not
 * posted back to `assign`.
 */
export const deviceHealthScriptAssignment = defineResource({
    kind: "DeviceHealthScriptAssignment",
    paths: intunePaths("deviceHealthScripts"),
    odataType: "#microsoft.graph.deviceHealthScriptAssignment",
    ...target,
    properties: {
        ...target.properties,
        runRemediationScript: {
            type: "boolean",
            default: false,
            doc: "Run the remediation script too (true), or only the detection script (false, taken as Graph's default).",
        },
        runSchedule: RUN_SCHEDULE,
    },
    bodyProperties: ["target", "runRemediationScript", "runSchedule"],
    replaceOnChange: ["policyId"],
    serverManaged: ["id"],
    itemRoutes: { create: false, update: true, delete: true },
    assignList: {
        listPath: "/deviceManagement/deviceHealthScripts/{policyId}/assignments",
        listShape: "collection",
        bodyKey: "deviceHealthScriptAssignments",
        answer: "noContent",
        readOnly: ["id"],
    },
    summary:
        "Assigns an Intune Remediations script (deviceHealthScripts) to a target, with whether the remediation script runs or only the detection script, and the schedule it runs on (hourly, daily at a time of day, or once on a date). Written through the script's assign action: Graph is reported to refuse creating one assignment at a time.",
    example: {
        inputs: {
            target: exampleGroupTarget(EXAMPLE_GROUP),
            runRemediationScript: true,
            runSchedule: { "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule", interval: 1, time: "01:00" },
        },
        update: {
            runSchedule: { "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule", interval: 1, time: "03:30" },
        },
    },
});
