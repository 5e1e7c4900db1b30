import assert from "node:assert/strict";
import { entryFromInputs, entryProperties, entryValueToInput, inputToEntryValue, targetShapeOf, yamlTargetType } from "../../../cli/repoKinds";
import { defineResource, descriptions, type ComplexSpec } from "../../../provider/model";
import { INTUNE_ASSIGNMENT_TARGET } from "../../../provider/model/targets";

const GROUP = "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f";
const SCHEDULE: ComplexSpec = {
    type: "complex",
    variants: {
        dailySchedule: { properties: { interval: { type: "integer", minimum: 1, maximum: 23 }, time: { type: "timeOfDay" } }, required: ["interval"] },
    },
};

/** A description with a target and two properties of its own (one polymorphic), as the new families have. */
const withOwnProperties = defineResource({
    kind: "TestScheduledAssignment",
    paths: { parent: "/p/{policyId}", collection: "/p/{policyId}/assignments", item: "/p/{policyId}/assignments/{id}" },
    odataType: "#microsoft.graph.testScheduledAssignment",
    sendOdataType: true,
    properties: { policyId: { type: "guid" }, target: INTUNE_ASSIGNMENT_TARGET, runNow: { type: "boolean", default: false }, schedule: SCHEDULE },
    required: ["policyId", "target"],
    replaceOnChange: ["policyId"],
    serverManaged: ["id"],
    bodyProperties: ["target", "runNow", "schedule"],
    pathProperties: ["policyId"],
    matchKey: () => "slot",
    itemRoutes: { create: true, update: true, delete: true },
});

describe("cli/repoKinds targetShapeOf", () => {
    it("takes a complex target's variants as the YAML target types, with the keys they carry", () => {
        const shape = targetShapeOf(descriptions.GroupPolicyConfigurationAssignment!);
        assert.equal(shape.form, "target");
        assert.deepEqual(shape.variants.map((v) => v.type), ["group", "exclusionGroup", "allDevices", "allLicensedUsers", "configurationManagerCollection"]);
        assert.deepEqual([...shape.keys].sort(), ["collectionId", "filter", "group", "groupId", "type"]);
    });

    it("gives a Windows 365 target type group and its allotment keys, without filter", () => {
        const shape = targetShapeOf(descriptions.CloudPcProvisioningPolicyAssignment!);
        assert.deepEqual(shape.variants.map((v) => v.type), ["group"]);
        assert.deepEqual([...shape.keys].sort(), ["allotmentDisplayName", "allotmentLicensesCount", "group", "groupId", "servicePlanId", "type"]);
    });

    it("maps a flat groupId body (the draft Windows 365 shape) to a group target", () => {
        const shape = targetShapeOf(descriptions.ProvisioningPolicyAssignment!);
        assert.equal(shape.form, "flat");
        assert.equal(shape.property, "groupId");
        assert.deepEqual(entryProperties(descriptions.ProvisioningPolicyAssignment!), []);
    });

    it("names variants it has no short name for by their type name without the suffix", () => {
        assert.equal(yamlTargetType("allUsersInSomeNewAssignmentTarget"), "allUsersInSomeNew");
        assert.equal(yamlTargetType("cloudPcManagementGroupAssignmentTarget"), "group");
    });
});

describe("cli/repoKinds entry properties", () => {
    it("are the body properties beyond the target", () => {
        assert.deepEqual(entryProperties(withOwnProperties), ["runNow", "schedule"]);
    });

    it("take `type:` for a polymorphic value's @odata.type, and leave an explicit @odata.type alone", () => {
        assert.deepEqual(entryValueToInput(SCHEDULE, { type: "dailySchedule", interval: 2 }), {
            "@odata.type": "#microsoft.graph.dailySchedule",
            interval: 2,
        });
        const explicit = { "@odata.type": "#microsoft.graph.dailySchedule", interval: 2 };
        assert.deepEqual(entryValueToInput(SCHEDULE, explicit), explicit);
        assert.equal(entryValueToInput({ type: "boolean" }, true), true);
    });

    it("come back from inputs for export, with the target in YAML terms (filter pair as filter)", () => {
        const entry = entryFromInputs(withOwnProperties, {
            policyId: GROUP,
            target: {
                "@odata.type": "#microsoft.graph.groupAssignmentTarget",
                groupId: GROUP,
                deviceAndAppManagementAssignmentFilterId: GROUP,
                deviceAndAppManagementAssignmentFilterType: "exclude",
            },
            runNow: true,
            schedule: { "@odata.type": "#microsoft.graph.dailySchedule", interval: 2 },
        });
        assert.deepEqual(entry, {
            target: { type: "group", groupId: GROUP, filter: { id: GROUP, type: "exclude" } },
            properties: { runNow: true, schedule: { type: "dailySchedule", interval: 2 } },
        });
    });

    it("come back as an admin writes them: `type:` for a variant, a time on the minute without Graph's seconds", () => {
        assert.deepEqual(inputToEntryValue(SCHEDULE, { "@odata.type": "#microsoft.graph.dailySchedule", interval: 1, time: "01:00:00" }), {
            type: "dailySchedule",
            interval: 1,
            time: "01:00",
        });
        assert.equal((inputToEntryValue(SCHEDULE, { "@odata.type": "#microsoft.graph.dailySchedule", interval: 1, time: "01:00:30" }) as { time: string }).time, "01:00:30");
        assert.deepEqual(inputToEntryValue(SCHEDULE, { "@odata.type": "#microsoft.graph.unknownSchedule", time: "01:00:00" }), {
            "@odata.type": "#microsoft.graph.unknownSchedule",
            time: "01:00:00",
        }, "a variant it does not know stays as it is");
        for (const value of [{ "@odata.type": "#microsoft.graph.dailySchedule", interval: 3, time: "23:15:00" }]) {
            assert.deepEqual(entryValueToInput(SCHEDULE, inputToEntryValue(SCHEDULE, value)), { ...value, time: "23:15" }, "loads back to the same input");
        }
    });

    it("have no YAML form for a target type the kind does not know", () => {
        assert.equal(entryFromInputs(withOwnProperties, { target: { "@odata.type": "#microsoft.graph.somethingElse" } }), undefined);
    });
});
