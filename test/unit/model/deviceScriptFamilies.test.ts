/**
 * The device-script, Autopilot and Windows update families: each description's schema takes its example,
 * refuses its own bad inputs naming the property, and finds no drift in Graph's echo of the example.
 */
import assert from "node:assert/strict";
import {
    buildMinimalPatch,
    diffInputs,
    diffLive,
    getDescription,
    toGraphBody,
    validateInputs,
    type ResourceDescription,
} from "../../../provider/model/index.js";
import { FID, FILTER, FT, GROUP, OTHER_GROUP, POLICY } from "./fixtures.js";

const group = (groupId: string, extra: Record<string, unknown> = {}) => ({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId, ...extra });
const filtered = group(GROUP, { [FT]: "include", [FID]: FILTER });
const daily = (extra: Record<string, unknown> = {}) => ({ "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule", interval: 1, time: "01:00", ...extra });

/** Graph's echo of a target: the filter pair filled with "none" and no id. */
const echoedTarget = (target: Record<string, unknown>) => ({
    [FID]: null,
    [FT]: "none",
    ...target,
    "@odata.type": String(target["@odata.type"]).replace(/^#?/, "#"),
});

interface Family {
    readonly kind: string;
    readonly collection: string;
    readonly odataType: string;
    readonly defaultWriteStrategy: "auto" | "assign" | "item";
    readonly bodyKey?: string;
    /** Read-only fields Graph adds to an entity besides the id. */
    readonly echoExtras: Record<string, unknown>;
    /** Bad inputs of this family: [what, inputs (merged over the example with policyId), property, reason]. */
    readonly bad: [string, Record<string, unknown>, string, RegExp][];
}

const NO_FILTER = /must be none: (Intune applies no assignment filter to|assignment filters are not confirmed for)/;

const families: Family[] = [
    {
        kind: "DeviceManagementScriptAssignment",
        collection: "deviceManagementScripts",
        odataType: "#microsoft.graph.deviceManagementScriptAssignment",
        defaultWriteStrategy: "auto",
        bodyKey: "deviceManagementScriptAssignments",
        echoExtras: {},
        bad: [
            ["a filter on a script", { target: filtered }, `target.${FT}`, NO_FILTER],
            ["an intent (no intent on scripts)", { intent: "apply" }, "intent", /unexpected property "intent" in inputs/],
            ["a run schedule (Remediations only)", { runSchedule: daily() }, "runSchedule", /unexpected property "runSchedule"/],
        ],
    },
    {
        kind: "DeviceShellScriptAssignment",
        collection: "deviceShellScripts",
        odataType: "#microsoft.graph.deviceManagementScriptAssignment",
        defaultWriteStrategy: "auto",
        bodyKey: "deviceManagementScriptAssignments",
        echoExtras: {},
        bad: [
            ["a filter id on a script", { target: group(GROUP, { [FID]: FILTER }) }, `target.${FID}`, /must be omitted: Intune applies no assignment filter to (PowerShell|shell) scripts/],
            ["an exclude filter on all devices", { target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", [FT]: "exclude", [FID]: FILTER } }, `target.${FT}`, /must be none: Intune applies no assignment filter to (PowerShell|shell) scripts/],
            ["runRemediationScript (Remediations only)", { runRemediationScript: true }, "runRemediationScript", /unexpected property/],
        ],
    },
    {
        kind: "DeviceHealthScriptAssignment",
        collection: "deviceHealthScripts",
        odataType: "#microsoft.graph.deviceHealthScriptAssignment",
        defaultWriteStrategy: "assign",
        bodyKey: "deviceHealthScriptAssignments",
        echoExtras: {},
        bad: [
            ["runSchedule.interval 0", { runSchedule: daily({ interval: 0 }) }, "runSchedule.interval", /must be an integer from 1 to 23/],
            ["runSchedule.interval 24", { runSchedule: { "@odata.type": "#microsoft.graph.deviceHealthScriptHourlySchedule", interval: 24 } }, "runSchedule.interval", /from 1 to 23/],
            ["a time that is not a time of day", { runSchedule: daily({ time: "25:00" }) }, "runSchedule.time", /must be a time of day/],
            ["a run-once schedule without a date", { runSchedule: { "@odata.type": "#microsoft.graph.deviceHealthScriptRunOnceSchedule", interval: 1, time: "01:00" } }, "runSchedule.date", /required for deviceHealthScriptRunOnceSchedule/],
            ["a malformed date", { runSchedule: { "@odata.type": "#microsoft.graph.deviceHealthScriptRunOnceSchedule", interval: 1, time: "01:00", date: "31.12.2026" } }, "runSchedule.date", /must be a day of the calendar written like "2026-12-31"/],
            ["a day February does not have", { runSchedule: { "@odata.type": "#microsoft.graph.deviceHealthScriptRunOnceSchedule", interval: 1, time: "01:00", date: "2026-02-30" } }, "runSchedule.date", /must be a day of the calendar/],
            ["29 February of a common year", { runSchedule: { "@odata.type": "#microsoft.graph.deviceHealthScriptRunOnceSchedule", interval: 1, time: "01:00", date: "2027-02-29" } }, "runSchedule.date", /must be a day of the calendar/],
            ["a daily schedule without a time", { runSchedule: { "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule", interval: 1 } }, "runSchedule.time", /required/],
            ["a date on a daily schedule", { runSchedule: daily({ date: "2026-12-31" }) }, "runSchedule.date", /not allowed for deviceHealthScriptDailySchedule|unexpected property/],
            ["the pre-rename schedule type", { runSchedule: { "@odata.type": "microsoft.graph.runSchedule", interval: 1 } }, "runSchedule.@odata.type", /deviceHealthScriptHourlySchedule/],
            ["the intermediate time schedule", { runSchedule: { "@odata.type": "#microsoft.graph.deviceHealthScriptTimeSchedule", interval: 1, time: "01:00" } }, "runSchedule.@odata.type", /must be one of/],
            ["runRemediationScript as a string", { runRemediationScript: "yes" }, "runRemediationScript", /must be true or false/],
        ],
    },
    {
        kind: "WindowsAutopilotDeploymentProfileAssignment",
        collection: "windowsAutopilotDeploymentProfiles",
        odataType: "#microsoft.graph.windowsAutopilotDeploymentProfileAssignment",
        defaultWriteStrategy: "item",
        echoExtras: { source: "direct", sourceId: null },
        bad: [
            ["a filter (not confirmed for Autopilot)", { target: filtered }, `target.${FT}`, NO_FILTER],
            ["a device id list (the assign action's body)", { deviceIds: ["x"] }, "deviceIds", /unexpected property "deviceIds"/],
            ["a read-only source", { source: "direct" }, "source", /unexpected property "source"/],
        ],
    },
    {
        kind: "WindowsFeatureUpdateProfileAssignment",
        collection: "windowsFeatureUpdateProfiles",
        odataType: "#microsoft.graph.windowsFeatureUpdateProfileAssignment",
        defaultWriteStrategy: "auto",
        echoExtras: {},
        bad: [
            ["a filter on a feature update", { target: filtered }, `target.${FT}`, NO_FILTER],
            ["an intent", { intent: "apply" }, "intent", /unexpected property/],
            ["a Windows 365 target", { target: { "@odata.type": "#microsoft.graph.cloudPcManagementGroupAssignmentTarget", groupId: GROUP } }, "target.@odata.type", /must be one of/],
        ],
    },
    {
        kind: "WindowsQualityUpdateProfileAssignment",
        collection: "windowsQualityUpdateProfiles",
        odataType: "#microsoft.graph.windowsQualityUpdateProfileAssignment",
        defaultWriteStrategy: "auto",
        echoExtras: {},
        bad: [
            ["a filter (not confirmed for quality updates)", { target: filtered }, `target.${FT}`, NO_FILTER],
            ["a group target without groupId", { target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget" } }, "target.groupId", /required/],
            ["a run schedule", { runSchedule: daily() }, "runSchedule", /unexpected property/],
        ],
    },
    {
        kind: "WindowsDriverUpdateProfileAssignment",
        collection: "windowsDriverUpdateProfiles",
        odataType: "#microsoft.graph.windowsDriverUpdateProfileAssignment",
        defaultWriteStrategy: "auto",
        echoExtras: {},
        bad: [
            ["a filter (not confirmed for driver updates)", { target: filtered }, `target.${FT}`, NO_FILTER],
            ["a filter on a collection target", { target: { "@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget", collectionId: "SMS00001", [FT]: "include", [FID]: FILTER } }, `target.${FT}`, /must be none: assignment filters are not confirmed for/],
            ["a malformed policyId", { policyId: "driver-profile" }, "policyId", /GUID/],
        ],
    },
];

/** Graph's echo of a body as an entity: its id, entity type, read-only fields and filled-in target. */
function echo(family: Family, description: ResourceDescription, inputs: Record<string, unknown>): Record<string, unknown> {
    const body = toGraphBody(description, inputs) as Record<string, unknown>;
    const entity: Record<string, unknown> = { "@odata.type": family.odataType, id: "a-1", ...family.echoExtras, ...body };
    entity.target = echoedTarget(body.target as Record<string, unknown>);
    return entity;
}

describe("device script, Autopilot and Windows update families", () => {
    for (const family of families) {
        describe(family.kind, () => {
            const description = getDescription(family.kind);
            const example = description.example!;
            const inputs = { policyId: POLICY, ...example.inputs };
            const updated = { ...inputs, ...example.update };

            it("routes under its policy collection, with its write strategy and assign body", () => {
                assert.equal(description.paths.collection, `/deviceManagement/${family.collection}/{policyId}/assignments`);
                assert.equal(description.odataType, family.odataType);
                assert.equal(description.defaultWriteStrategy, family.defaultWriteStrategy);
                assert.equal(description.assignList?.bodyKey ?? (description.assignList ? "assignments" : undefined), family.bodyKey ?? (description.assignList ? "assignments" : undefined));
                if (description.assignList) assert.equal(description.assignList.answer, "noContent");
                assert.ok(description.summary && description.summary.length > 40);
            });

            it("accepts its example and the example's update", () => {
                assert.deepEqual(validateInputs(description, inputs), []);
                assert.deepEqual(validateInputs(description, updated), []);
                assert.equal(diffInputs(description, inputs, updated).changes, true);
            });

            it("accepts every Intune target type without a filter", () => {
                for (const target of [
                    group(OTHER_GROUP),
                    { "@odata.type": "microsoft.graph.exclusionGroupAssignmentTarget", groupId: GROUP },
                    { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", [FT]: "none" },
                    { "@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget" },
                    { "@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget", collectionId: "SMS00001" },
                ]) {
                    assert.deepEqual(validateInputs(description, { ...inputs, target }), [], JSON.stringify(target));
                }
            });

            for (const [what, bad, property, reason] of family.bad) {
                it(`refuses ${what}, naming ${property}`, () => {
                    const failures = validateInputs(description, { ...inputs, ...bad });
                    // A filter pair is refused once per property of the pair; nothing else may fail.
                    assert.ok(failures.length >= 1 && failures.every((f) => f.property.split(".")[0] === property.split(".")[0]), JSON.stringify(failures));
                    assert.equal(failures[0]!.property, property);
                    assert.match(failures[0]!.reason, reason);
                });
            }

            it("finds no drift in Graph's echo of the example and of its update", () => {
                for (const desired of [inputs, updated]) {
                    assert.deepEqual(diffLive(description, desired, echo(family, description, desired)), []);
                }
            });

            it("sends the entity type and the target whole in a create body", () => {
                const body = toGraphBody(description, inputs) as Record<string, unknown>;
                assert.equal(body["@odata.type"], family.odataType);
                const target = body.target as Record<string, unknown>;
                assert.equal(target["@odata.type"], "#microsoft.graph.groupAssignmentTarget");
                assert.equal(target.groupId, (example.inputs.target as Record<string, unknown>).groupId);
                assert.equal(target[FT], "none");
                assert.equal(body.policyId, undefined);
            });
        });
    }

    describe("DeviceManagementScriptAssignment and the update profiles", () => {
        it("update the target in place with a PATCH of the target alone", () => {
            for (const kind of ["DeviceManagementScriptAssignment", "DeviceShellScriptAssignment", "WindowsFeatureUpdateProfileAssignment", "WindowsQualityUpdateProfileAssignment", "WindowsDriverUpdateProfileAssignment"]) {
                const description = getDescription(kind);
                const olds = { policyId: POLICY, target: group(GROUP) };
                const news = { policyId: POLICY, target: group(OTHER_GROUP) };
                assert.deepEqual(diffInputs(description, olds, news).replaces, [], kind);
                const patch = buildMinimalPatch(description, olds, news) as Record<string, Record<string, unknown>>;
                assert.deepEqual(Object.keys(patch).sort(), ["@odata.type", "target"], kind);
                assert.equal(patch.target!.groupId, OTHER_GROUP, kind);
            }
        });
    });

    describe("WindowsAutopilotDeploymentProfileAssignment", () => {
        const description = getDescription("WindowsAutopilotDeploymentProfileAssignment");
        it("has no assign write (the profile's assign takes device ids) and never PATCHes: a new target replaces", () => {
            assert.equal(description.assignList, undefined);
            assert.equal(description.paths.assign, undefined);
            assert.equal(description.itemRoutes.update, false);
            const another = diffInputs(description, { policyId: POLICY, target: group(GROUP) }, { policyId: POLICY, target: group(OTHER_GROUP) });
            assert.deepEqual(another.replaces, ["target"]);
            assert.equal(another.deleteBeforeReplace, false, "a new group is assigned before the old assignment goes");
            const sameGroup = diffInputs(description, { policyId: POLICY, target: group(GROUP) }, { policyId: POLICY, target: { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: GROUP } });
            assert.deepEqual(sameGroup.replaces, ["target"]);
            assert.equal(sameGroup.deleteBeforeReplace, true, "Graph holds one assignment per group");
        });

        it("never compares Graph's source and sourceId", () => {
            const live = { id: "a-1", source: "policySets", sourceId: "set-1", target: echoedTarget(group(GROUP)) };
            assert.deepEqual(diffLive(description, { policyId: POLICY, target: group(GROUP) }, live), []);
        });
    });

    describe("DeviceHealthScriptAssignment", () => {
        const description = getDescription("DeviceHealthScriptAssignment");
        const base = { policyId: POLICY, target: group(GROUP) };

        it("allows filters on its targets (Remediations is a filter-supported workload)", () => {
            assert.deepEqual(validateInputs(description, { ...base, target: filtered }), []);
        });

        it("takes a run-once date that the calendar has, 29 February of a leap year included", () => {
            for (const date of ["2028-02-29", "2026-12-31", "2026-04-30"]) {
                const runSchedule = { "@odata.type": "#microsoft.graph.deviceHealthScriptRunOnceSchedule", interval: 1, time: "01:00", date };
                assert.deepEqual(validateInputs(description, { ...base, runSchedule }), [], date);
            }
        });

        it("takes runRemediationScript false as Graph's default: leaving it out is the same, and never diffs", () => {
            assert.equal(diffInputs(description, base, { ...base, runRemediationScript: false }).changes, false);
            assert.deepEqual(diffLive(description, base, { id: "a-1", target: echoedTarget(group(GROUP)), runRemediationScript: false, runSchedule: null }), []);
            assert.deepEqual(buildMinimalPatch(description, { ...base, runRemediationScript: true }, base), { "@odata.type": description.odataType, runRemediationScript: false });
        });

        it("compares times of day in canonical form and useUtc false as its default", () => {
            const live = {
                id: "a-1",
                target: echoedTarget(group(GROUP)),
                runRemediationScript: true,
                runSchedule: { "@odata.type": "#microsoft.graph.deviceHealthScriptRunOnceSchedule", interval: 1, time: "22:15:00.0000000", useUtc: false, date: "2026-12-31" },
            };
            const desired = { ...base, runRemediationScript: true, runSchedule: { "@odata.type": "microsoft.graph.deviceHealthScriptRunOnceSchedule", interval: 1, time: "22:15", date: "2026-12-31" } };
            assert.deepEqual(diffLive(description, desired, live), []);
            assert.deepEqual(diffLive(description, { ...desired, runSchedule: { ...desired.runSchedule, useUtc: true } }, live).map((d) => d.property), ["runSchedule"]);
        });

        it("sends a schedule change whole, with its @odata.type and Graph's default useUtc written out", () => {
            const olds = { ...base, runSchedule: daily() };
            const news = { ...base, runSchedule: daily({ time: "03:30" }) };
            assert.deepEqual(buildMinimalPatch(description, olds, news), {
                "@odata.type": description.odataType,
                runSchedule: { "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule", interval: 1, time: "03:30:00", useUtc: false },
            });
        });

        it("declares no item create (reported refused), so the default write strategy is assign", () => {
            assert.deepEqual(description.itemRoutes, { create: false, update: true, delete: true });
            assert.deepEqual(description.assignList?.readOnly, ["id"]);
        });
    });
});
