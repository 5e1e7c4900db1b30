/**
 * The configuration, compliance, settings catalog, enrollment, intent and Windows 365 user-setting families:
 * each schema takes its example, refuses family-specific bad inputs naming the property, and Graph's echo of the
 * example (read-only fields, defaults, spellings Graph adds) never diffs against it.
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

const POLICY = "5b0f3c1e-7a2d-4c8b-9e61-0d4f2a9c7b10";
const ENROLLMENT_POLICY = "7c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f_Windows10EnrollmentCompletionPageConfiguration";
const GROUP = "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f";
const FILTER = "9d8c7b6a-5f4e-4d3c-8b2a-190817263544";
const group = (extra: Record<string, unknown> = {}) => ({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: GROUP, ...extra });
const cloudPcGroup = (extra: Record<string, unknown> = {}) => ({ "@odata.type": "#microsoft.graph.cloudPcManagementGroupAssignmentTarget", groupId: GROUP, ...extra });

interface BadInput {
    readonly title: string;
    readonly inputs: Record<string, unknown>;
    readonly property: string;
    readonly reason: RegExp;
}

interface FamilyCase {
    readonly kind: string;
    readonly policyId: string;
    readonly strategy: "auto" | "assign";
    /** Graph's answer to a read of the example: what it adds to what was written. */
    readonly echo: (body: Record<string, unknown>) => Record<string, unknown>;
    readonly bad: readonly BadInput[];
    /** The example's update is a new group: the kind has no in-place change a policy of its type takes. */
    readonly exampleReplaces?: true;
}

const INTUNE_ECHO = (entity: string, extra: Record<string, unknown> = {}) => (body: Record<string, unknown>) => {
    const target = body.target as Record<string, unknown>;
    return {
        "@odata.type": `#microsoft.graph.${entity}`,
        id: "a0e1f2d3-0000-4000-8000-000000000001",
        ...body,
        // Graph spells the filter pair out even when there is none, and writes type names without '#' in some answers.
        target: {
            deviceAndAppManagementAssignmentFilterId: null,
            deviceAndAppManagementAssignmentFilterType: "none",
            ...target,
            "@odata.type": String(target["@odata.type"]).replace(/^#/, ""),
        },
        ...extra,
    };
};
const SOURCE = { source: "direct", sourceId: "c1a5b1d2-0000-4000-8000-00000000000a" };

const FAMILIES: readonly FamilyCase[] = [
    {
        kind: "DeviceConfigurationAssignment",
        policyId: POLICY,
        strategy: "auto",
        // Graph answers intent apply where none was sent.
        echo: (body) => INTUNE_ECHO("deviceConfigurationAssignment", SOURCE)({ intent: "apply", ...body }),
        bad: [
            { title: "an intent that is neither apply nor remove", inputs: { target: group(), intent: "install" }, property: "intent", reason: /apply.*remove/ },
            { title: "source, which Graph owns", inputs: { target: group(), source: "direct" }, property: "source", reason: /not|unexpected|allowed/i },
            { title: "a filter on an exclusion", inputs: { target: { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: GROUP, deviceAndAppManagementAssignmentFilterId: FILTER, deviceAndAppManagementAssignmentFilterType: "include" } }, property: "target.deviceAndAppManagementAssignmentFilterType", reason: /./ },
            { title: "a Windows 365 target", inputs: { target: cloudPcGroup() }, property: "target.@odata.type", reason: /groupAssignmentTarget/ },
        ],
    },
    {
        kind: "DeviceCompliancePolicyAssignment",
        policyId: POLICY,
        strategy: "assign",
        echo: INTUNE_ECHO("deviceCompliancePolicyAssignment", SOURCE),
        bad: [
            { title: "an intent (compliance assignments have none)", inputs: { target: group(), intent: "apply" }, property: "intent", reason: /./ },
            { title: "scheduled actions (not part of assign)", inputs: { target: group(), scheduledActionsForRule: [] }, property: "scheduledActionsForRule", reason: /./ },
            { title: "a filter type that is not include/exclude", inputs: { target: group({ deviceAndAppManagementAssignmentFilterId: FILTER, deviceAndAppManagementAssignmentFilterType: "maybe" }) }, property: "target.deviceAndAppManagementAssignmentFilterType", reason: /include|exclude/ },
        ],
    },
    {
        kind: "DeviceManagementConfigurationPolicyAssignment",
        policyId: POLICY,
        strategy: "auto",
        echo: INTUNE_ECHO("deviceManagementConfigurationPolicyAssignment", SOURCE),
        bad: [
            { title: "a policy id that is not a GUID", inputs: { policyId: "settings-catalog-1", target: group() }, property: "policyId", reason: /GUID/ },
            { title: "a filter without its id", inputs: { target: group({ deviceAndAppManagementAssignmentFilterType: "include" }) }, property: "target.deviceAndAppManagementAssignmentFilterId", reason: /./ },
            { title: "a collection target without its collection id", inputs: { target: { "@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget" } }, property: "target.collectionId", reason: /required|missing/i },
        ],
    },
    {
        kind: "DeviceEnrollmentConfigurationAssignment",
        policyId: ENROLLMENT_POLICY,
        strategy: "assign",
        echo: INTUNE_ECHO("enrollmentConfigurationAssignment", SOURCE),
        bad: [
            { title: "a policy id with a path separator", inputs: { policyId: "abc/../def", target: group() }, property: "policyId", reason: /./ },
            { title: "a policy id with a space", inputs: { policyId: "7c1d2e3f 4a5b", target: group() }, property: "policyId", reason: /./ },
            { title: "an intent (enrollment assignments have none)", inputs: { target: group(), intent: "apply" }, property: "intent", reason: /./ },
        ],
    },
    {
        kind: "DeviceManagementIntentAssignment",
        policyId: POLICY,
        strategy: "auto",
        echo: INTUNE_ECHO("deviceManagementIntentAssignment"),
        bad: [
            { title: "an intent property (intents' assignments are id and target only)", inputs: { target: group(), intent: "apply" }, property: "intent", reason: /./ },
            { title: "a group target without a group", inputs: { target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget" } }, property: "target.groupId", reason: /required|missing/i },
            { title: "a group id that is not a GUID", inputs: { target: group({ groupId: "Engineers" }) }, property: "target.groupId", reason: /GUID/ },
        ],
    },
    {
        kind: "CloudPcUserSettingAssignment",
        policyId: POLICY,
        strategy: "assign",
        // The allotment fields (the only ones updated in place) need a Frontline provisioning type, which a user
        // setting does not have.
        exampleReplaces: true,
        // Graph reads spell the type with a capital PC and no '#', and add the id and createdDateTime.
        echo: (body) => ({
            id: `${POLICY}_${GROUP}`,
            createdDateTime: "2026-11-30T08:00:00Z",
            target: { ...(body.target as object), "@odata.type": "microsoft.graph.cloudPCManagementGroupAssignmentTarget", allotmentDisplayName: null },
        }),
        bad: [
            { title: "an Intune group target", inputs: { target: group() }, property: "target.@odata.type", reason: /cloudPcManagementGroupAssignmentTarget/ },
            { title: "an assignment filter (Cloud PC targets have none)", inputs: { target: cloudPcGroup({ deviceAndAppManagementAssignmentFilterId: FILTER }) }, property: "target.deviceAndAppManagementAssignmentFilterId", reason: /./ },
            { title: "a Frontline service plan (a user setting has no provisioning type)", inputs: { target: cloudPcGroup({ servicePlanId: FILTER }) }, property: "target.servicePlanId", reason: /must be omitted: a user setting has no provisioning type/ },
            { title: "an allotment", inputs: { target: cloudPcGroup({ allotmentLicensesCount: 2 }) }, property: "target.allotmentLicensesCount", reason: /must be omitted: a user setting has no provisioning type/ },
            { title: "no target", inputs: {}, property: "target", reason: /required|missing/i },
        ],
    },
];

function example(description: ResourceDescription): { inputs: Record<string, unknown>; updated: Record<string, unknown> } {
    assert.ok(description.example, `${description.kind} has no example`);
    return { inputs: { ...description.example.inputs }, updated: { ...description.example.inputs, ...description.example.update } };
}

for (const family of FAMILIES) {
    describe(`${family.kind} description`, () => {
        const description = getDescription(family.kind);
        const { inputs, updated } = example(description);
        const withPolicy = (i: Record<string, unknown>) => ({ policyId: family.policyId, ...i });

        it(`writes with ${family.strategy} by default and has a summary`, () => {
            assert.equal(description.defaultWriteStrategy, family.strategy);
            assert.ok((description.summary ?? "").length > 40);
        });

        it("takes its example and the example's update", () => {
            assert.deepEqual(validateInputs(description, withPolicy(inputs)), []);
            assert.deepEqual(validateInputs(description, withPolicy(updated)), []);
        });

        for (const bad of family.bad) {
            it(`refuses ${bad.title}, naming ${bad.property}`, () => {
                const failures = validateInputs(description, withPolicy(bad.inputs));
                const failure = failures.find((f) => f.property === bad.property);
                assert.ok(failure, `no failure for ${bad.property}: ${JSON.stringify(failures)}`);
                assert.ok(failure.reason.includes(bad.property.split(".").pop()!), failure.reason);
                assert.match(failure.reason, bad.reason);
            });
        }

        it("sees no drift between its example and Graph's echo of it", () => {
            for (const desired of [inputs, updated]) {
                const echo = family.echo(toGraphBody(description, withPolicy(desired)));
                assert.deepEqual(diffLive(description, withPolicy(desired), echo), []);
            }
        });

        if (family.exampleReplaces) {
            it("replaces the example on its update: a new group is a new slot, created before the old one goes", () => {
                const diff = diffInputs(description, withPolicy(inputs), withPolicy(updated));
                assert.deepEqual(diff.replaces, Object.keys(description.example!.update));
                assert.equal(diff.deleteBeforeReplace, false);
            });
        } else it("updates the example in place with a PATCH of the changed property only", () => {
            const diff = diffInputs(description, withPolicy(inputs), withPolicy(updated));
            assert.ok(diff.changes);
            assert.deepEqual(diff.replaces, []);
            const patch = buildMinimalPatch(description, withPolicy(inputs), withPolicy(updated))!;
            const changed = Object.keys(patch).filter((k) => k !== "@odata.type");
            assert.deepEqual(changed, Object.keys(description.example!.update));
        });

        it("replaces on a policy change", () => {
            const other = family.policyId.replace(/^5b0f|^7c1d/, "4a0e");
            assert.deepEqual(diffInputs(description, withPolicy(inputs), { ...inputs, policyId: other }).replaces, ["policyId"]);
        });
    });
}

describe("DeviceConfigurationAssignment intent", () => {
    const description = getDescription("DeviceConfigurationAssignment");
    it("treats Graph's default apply as no input, and sends apply when a change goes back to it", () => {
        const base = { policyId: POLICY, target: group() };
        assert.equal(diffInputs(description, base, { ...base, intent: "apply" }).changes, false);
        assert.deepEqual(buildMinimalPatch(description, { ...base, intent: "remove" }, base), {
            "@odata.type": "#microsoft.graph.deviceConfigurationAssignment",
            intent: "apply",
        });
    });

    it("never sends source or sourceId back through assign", () => {
        assert.deepEqual(description.assignList?.readOnly, ["source", "sourceId"]);
    });
});

describe("CloudPcUserSettingAssignment target", () => {
    const description = getDescription("CloudPcUserSettingAssignment");
    it("replaces on a group change (its Graph id is {policyId}_{groupId}) and keeps the group assigned while it does", () => {
        const other = "0c9e8f7a-6b5d-4c3b-8a29-1e0f2d3c4b5a";
        const diff = diffInputs(description, { policyId: POLICY, target: cloudPcGroup() }, { policyId: POLICY, target: cloudPcGroup({ groupId: other }) });
        assert.deepEqual(diff.replaces, ["target"]);
        assert.equal(diff.deleteBeforeReplace, false);
    });

    it("reads with $expand on the setting and never posts back id or createdDateTime", () => {
        assert.equal(description.assignList?.listShape, "expand");
        assert.ok(description.assignList?.readOnly.includes("createdDateTime"));
        assert.ok(description.assignList?.readOnly.includes("id"));
    });
});

describe("DeviceEnrollmentConfigurationAssignment assign", () => {
    it("posts under enrollmentConfigurationAssignments and expects 204", () => {
        const list = getDescription("DeviceEnrollmentConfigurationAssignment").assignList;
        assert.equal(list?.bodyKey, "enrollmentConfigurationAssignments");
        assert.equal(list?.answer, "noContent");
    });
});
