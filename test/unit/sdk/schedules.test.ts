import assert from "node:assert/strict";
import { schedules } from "../../../sdk/schedules";
import { getDescription, validateInputs } from "../../../provider/model";

const HEALTH = getDescription("DeviceHealthScriptAssignment");
const inputsWith = (runSchedule: unknown) => ({
    policyId: "0f6c2b1a-3d4e-4f50-8a9b-0c1d2e3f4a5b",
    target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" },
    runSchedule,
});

describe("schedules", () => {
    it("builds an hourly schedule", () => {
        assert.deepEqual(schedules.hourly(4), { "@odata.type": "#microsoft.graph.deviceHealthScriptHourlySchedule", interval: 4 });
    });

    it("builds a daily schedule, every day unless told, useUtc only when given", () => {
        assert.deepEqual(schedules.daily({ time: "01:00" }), { "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule", interval: 1, time: "01:00" });
        assert.deepEqual(schedules.daily({ time: "23:30", interval: 7, useUtc: true }), {
            "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule",
            interval: 7,
            time: "23:30",
            useUtc: true,
        });
    });

    it("builds a run-once schedule with the interval its type carries", () => {
        assert.deepEqual(schedules.once({ date: "2026-12-31", time: "18:00" }), {
            "@odata.type": "#microsoft.graph.deviceHealthScriptRunOnceSchedule",
            interval: 1,
            date: "2026-12-31",
            time: "18:00",
        });
    });

    it("builds what DeviceHealthScriptAssignment's check accepts", () => {
        for (const schedule of [schedules.hourly(23), schedules.daily({ time: "01:00", useUtc: false }), schedules.once({ date: "2026-12-31", time: "18:00:30" })]) {
            assert.deepEqual(validateInputs(HEALTH, inputsWith(schedule)), [], JSON.stringify(schedule));
        }
    });

    it("leaves range checks to the provider, which names the property", () => {
        const failures = validateInputs(HEALTH, inputsWith(schedules.hourly(0)));
        assert.deepEqual(failures.map((f) => f.property), ["runSchedule.interval"]);
    });
});
