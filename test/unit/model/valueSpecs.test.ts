import assert from "node:assert/strict";
import { buildMinimalPatch, defineResource, diffLive, fromGraphEntity, normalizeInputs, toGraphBody, validateInputs } from "../../../provider/model";

/** A made-up kind using every value spec beyond the two original families' (time, date, object, array, defaults). */
const kind = defineResource({
    kind: "SpecTest",
    paths: { parent: "/p/{policyId}", collection: "/p/{policyId}/a", item: "/p/{policyId}/a/{id}" },
    odataType: "#microsoft.graph.specTest",
    sendOdataType: false,
    properties: {
        policyId: { type: "intuneId" },
        enabled: { type: "boolean", default: false },
        mode: { type: "enum", values: ["apply", "remove"], default: "apply" },
        schedule: {
            type: "complex",
            variants: {
                dailySchedule: { properties: { interval: { type: "integer", minimum: 1, maximum: 23 }, time: { type: "timeOfDay" }, useUtc: { type: "boolean", default: false } }, required: ["interval"] },
                runOnceSchedule: { properties: { interval: { type: "integer", minimum: 1, maximum: 23 }, date: { type: "date" }, time: { type: "timeOfDay" } }, required: ["interval", "date"] },
            },
        },
        window: { type: "object", properties: { start: { type: "dateTime" }, minutes: { type: "integer", minimum: 1, maximum: 1440 } }, required: [] },
        tracks: { type: "array", items: { type: "string", maxLength: 64 }, maxItems: 10 },
    },
    required: ["policyId"],
    replaceOnChange: ["policyId"],
    serverManaged: ["id", "source", "sourceId"],
    bodyProperties: ["enabled", "mode", "schedule", "window", "tracks"],
    pathProperties: ["policyId"],
    matchKey: () => "slot",
    itemRoutes: { create: true, update: true, delete: true },
});

const POLICY = "0f8fad5b-d9cb-469f-a165-70867728950e_Windows10EnrollmentCompletionPageConfiguration";

describe("value specs beyond ids, strings, enums and targets", () => {
    describe("normalizeInputs", () => {
        it("takes Graph's seven-digit time of day for the short form", () => {
            const a = normalizeInputs(kind, { policyId: POLICY, schedule: { "@odata.type": "#microsoft.graph.dailySchedule", interval: 1, time: "01:00" } });
            const b = normalizeInputs(kind, { policyId: POLICY, schedule: { "@odata.type": "microsoft.graph.dailySchedule", interval: 1, time: "01:00:00.0000000" } });
            assert.deepEqual(a, b);
            assert.equal((a.schedule as { time: string }).time, "01:00:00");
        });

        it("keeps a time's non-zero fraction", () => {
            const a = normalizeInputs(kind, { schedule: { "@odata.type": "#microsoft.graph.dailySchedule", interval: 1, time: "01:00:00.5000000" } });
            assert.equal((a.schedule as { time: string }).time, "01:00:00.5");
        });

        it("compares a date and time as the instant it names", () => {
            const a = normalizeInputs(kind, { window: { start: "2026-12-31T19:00:00+01:00" } });
            const b = normalizeInputs(kind, { window: { start: "2026-12-31T18:00:00.0000000Z" } });
            assert.deepEqual(a, b);
        });

        it("drops a value equal to Graph's default, at the top and inside complex values", () => {
            assert.deepEqual(normalizeInputs(kind, { policyId: POLICY, enabled: false, mode: "apply" }), { policyId: POLICY });
            const withDefault = normalizeInputs(kind, { schedule: { "@odata.type": "#microsoft.graph.dailySchedule", interval: 2, useUtc: false } });
            assert.deepEqual(withDefault.schedule, { "@odata.type": "#microsoft.graph.dailySchedule", interval: 2 });
        });
    });

    describe("diffLive", () => {
        it("finds no drift when Graph fills its defaults and read-only fields the user left out", () => {
            const desired = { policyId: POLICY, schedule: { "@odata.type": "#microsoft.graph.dailySchedule", interval: 1, time: "01:00" } };
            const live = {
                id: "a1", source: "direct", sourceId: null, enabled: false, mode: "apply",
                schedule: { "@odata.type": "#microsoft.graph.dailySchedule", interval: 1, time: "01:00:00.0000000", useUtc: false, extra: "noise" },
            };
            assert.deepEqual(diffLive(kind, desired, live), []);
        });

        it("finds a changed item of a list", () => {
            assert.deepEqual(diffLive(kind, { tracks: ["a", "b"] }, { tracks: ["a", "c"] }).map((d) => d.property), ["tracks"]);
        });
    });

    describe("request bodies", () => {
        it("leaves defaults out of a create body", () => {
            assert.deepEqual(toGraphBody(kind, { policyId: POLICY, enabled: false, mode: "remove" }), { mode: "remove" });
        });

        it("sends Graph's default, not null, when a property goes back to it", () => {
            assert.deepEqual(buildMinimalPatch(kind, { policyId: POLICY, mode: "remove", enabled: true }, { policyId: POLICY }), { enabled: false, mode: "apply" });
        });

        it("reads a live entity's nested values without the properties its spec does not declare", () => {
            const inputs = fromGraphEntity(kind, { window: { start: "2026-12-31T18:00:00Z", minutes: 30, readOnlyNoise: 1 } }, { policyId: POLICY });
            assert.deepEqual(inputs.window, { start: "2026-12-31T18:00:00.000Z", minutes: 30 });
        });
    });

    describe("validateInputs", () => {
        const check = (inputs: Record<string, unknown>) => validateInputs(kind, { policyId: POLICY, ...inputs });
        it("accepts an Intune id that is not a plain GUID", () => assert.deepEqual(check({}), []));
        const cases: [string, Record<string, unknown>, RegExp][] = [
            ["policyId", { policyId: "a/b" }, /policyId must not contain '\/'/],
            ["enabled", { enabled: "yes" }, /enabled must be true or false/],
            ["schedule.time", { schedule: { "@odata.type": "#microsoft.graph.dailySchedule", interval: 1, time: "25:00" } }, /schedule.time must be a time of day/],
            ["schedule.interval", { schedule: { "@odata.type": "#microsoft.graph.dailySchedule", interval: 0 } }, /schedule.interval must be an integer from 1 to 23/],
            ["schedule.date", { schedule: { "@odata.type": "#microsoft.graph.runOnceSchedule", interval: 1 } }, /schedule.date is required for runOnceSchedule/],
            ["window.start", { window: { start: "2026-12-31 18:00" } }, /window.start must be a date and time with an offset/],
            ["window.other", { window: { other: 1 } }, /unexpected property "other" in window/],
            ["tracks", { tracks: Array.from({ length: 11 }, () => "t") }, /tracks must be a list of at most 10 items/],
            ["tracks.0", { tracks: [""] }, /tracks.0 must be a non-empty string/],
        ];
        for (const [property, inputs, reason] of cases) {
            it(`refuses a bad ${property}, naming it`, () => {
                const failures = check(inputs);
                assert.equal(failures.length, 1, JSON.stringify(failures));
                assert.equal(failures[0]!.property, property);
                assert.match(failures[0]!.reason, reason);
            });
        }
    });
});

/** A made-up kind whose variants give one property name different specs, with a rule tying two inputs together. */
const ruled = defineResource({
    kind: "RuleTest",
    paths: { parent: "/p/{policyId}", collection: "/p/{policyId}/a", item: "/p/{policyId}/a/{id}" },
    odataType: "#microsoft.graph.ruleTest",
    sendOdataType: false,
    properties: {
        policyId: { type: "guid" },
        mode: { type: "enum", values: ["strict", "loose"] },
        options: {
            type: "complex",
            variants: {
                aOptions: { properties: { level: { type: "enum", values: ["low", "high"] }, lock: { type: "boolean", default: true } }, required: [] },
                bOptions: { properties: { level: { type: "integer", minimum: 1, maximum: 3 }, limits: { type: "object", properties: { max: { type: "integer", minimum: 1, maximum: 9, default: 5 } }, required: [] } }, required: [] },
            },
        },
    },
    required: ["policyId", "mode"],
    replaceOnChange: ["policyId"],
    serverManaged: ["id"],
    bodyProperties: ["mode", "options"],
    pathProperties: ["policyId"],
    matchKey: () => "slot",
    itemRoutes: { create: true, update: true, delete: true },
    rules: [{ when: { property: "mode", values: ["loose"] }, forbid: ["options.lock"], reason: "lock applies to strict mode only" }],
});

describe("variants with their own specs for one name, rules, and nested defaults", () => {
    const P = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const a = (extra: Record<string, unknown>) => ({ "@odata.type": "#microsoft.graph.aOptions", ...extra });
    const b = (extra: Record<string, unknown>) => ({ "@odata.type": "#microsoft.graph.bOptions", ...extra });

    it("checks a property against the spec of the variant the value names", () => {
        assert.deepEqual(validateInputs(ruled, { policyId: P, mode: "strict", options: a({ level: "high" }) }), []);
        assert.deepEqual(validateInputs(ruled, { policyId: P, mode: "strict", options: b({ level: 2 }) }), []);
        assert.deepEqual(validateInputs(ruled, { policyId: P, mode: "strict", options: a({ level: 2 }) }).map((f) => f.property), ["options.level"]);
        const failures = validateInputs(ruled, { policyId: P, mode: "strict", options: b({ level: "high" }) });
        assert.deepEqual(failures.map((f) => f.property), ["options.level"]);
        assert.match(failures[0]!.reason, /integer from 1 to 3/);
    });

    it("refuses what a rule forbids for the inputs, naming the path and the reason", () => {
        assert.deepEqual(validateInputs(ruled, { policyId: P, mode: "strict", options: a({ lock: false }) }), []);
        assert.deepEqual(validateInputs(ruled, { policyId: P, mode: "loose", options: a({ lock: false }) }), [
            { property: "options.lock", reason: "options.lock must be omitted: lock applies to strict mode only" },
        ]);
    });

    it("neither compares nor writes what a rule forbids, and writes nested defaults out elsewhere", () => {
        const loose = { policyId: P, mode: "loose", options: a({ level: "low" }) };
        assert.deepEqual(toGraphBody(ruled, loose), { mode: "loose", options: a({ level: "low" }) });
        assert.deepEqual(diffLive(ruled, loose, { id: "x", mode: "loose", options: a({ level: "low", lock: false }) }), []);
        assert.deepEqual(toGraphBody(ruled, { ...loose, mode: "strict" }), { mode: "strict", options: a({ level: "low", lock: true }) });
        assert.deepEqual(toGraphBody(ruled, { policyId: P, mode: "strict", options: b({ limits: {} }) }), { mode: "strict", options: b({ limits: { max: 5 } }) });
        assert.deepEqual(buildMinimalPatch(ruled, { policyId: P, mode: "strict", options: b({}) }, { policyId: P, mode: "strict", options: b({ level: 1 }) }), {
            options: b({ level: 1 }),
        });
    });
});
