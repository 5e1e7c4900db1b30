import assert from "node:assert/strict";
import { UNKNOWN_VALUE, validateInputs, type ResourceDescription } from "../../../provider/model/index.js";
import {
    CLOUD_PC,
    cloudPcTarget,
    FILTER,
    GPCA,
    gpca,
    GROUP,
    groupTarget,
    ITEM,
    PLAN,
    POLICY,
    FID,
    FT,
} from "./fixtures.js";


interface InvalidCase {
    readonly name: string;
    readonly description: ResourceDescription;
    readonly inputs: Record<string, unknown>;
    /** The property the failure must name (in `property` and in `reason`). */
    readonly property: string;
    /** Extra text the reason must contain. */
    readonly mentions?: string;
    /** A secret-looking value that must not appear in any message. */
    readonly secret?: string;
}

const withPolicyId = (policyId: unknown) => gpca(groupTarget(), { policyId });
const withGroupId = (groupId: unknown) => gpca(groupTarget({ groupId }));
const SECRET = "s3cr3t-T0ken-value-that-must-not-leak";

const invalid: InvalidCase[] = [
    { name: "empty policyId", description: GPCA, inputs: withPolicyId(""), property: "policyId", mentions: "empty" },
    { name: "malformed policyId", description: GPCA, inputs: withPolicyId("not-a-guid"), property: "policyId", mentions: "GUID" },
    { name: "policyId one digit short", description: GPCA, inputs: withPolicyId(POLICY.slice(1)), property: "policyId" },
    { name: "policyId with braces", description: GPCA, inputs: withPolicyId(`{${POLICY}}`), property: "policyId" },
    { name: "policyId with '/'", description: GPCA, inputs: withPolicyId(`${POLICY}/assignments`), property: "policyId", mentions: "'/'" },
    { name: "policyId with '..'", description: GPCA, inputs: withPolicyId(".."), property: "policyId", mentions: "'..'" },
    { name: "policyId with '?'", description: GPCA, inputs: withPolicyId(`${POLICY}?$top=1`), property: "policyId", mentions: "'?'" },
    { name: "policyId with '#'", description: GPCA, inputs: withPolicyId(`${POLICY}#x`), property: "policyId", mentions: "'#'" },
    { name: "policyId with %2F", description: GPCA, inputs: withPolicyId(`a%2F${POLICY}`), property: "policyId", mentions: "percent" },
    { name: "policyId with a space", description: GPCA, inputs: withPolicyId(`${POLICY} `), property: "policyId", mentions: "spaces" },
    { name: "policyId with a control character", description: GPCA, inputs: withPolicyId(`${POLICY}\u0000`), property: "policyId", mentions: "control" },
    { name: "policyId with a Cyrillic look-alike", description: GPCA, inputs: withPolicyId(POLICY.replace("a", "\u0430")), property: "policyId", mentions: "ASCII" },
    { name: "policyId with full-width digits", description: GPCA, inputs: withPolicyId(POLICY.replace("0", "\uff10")), property: "policyId", mentions: "ASCII" },
    { name: "policyId with a zero-width space", description: GPCA, inputs: withPolicyId(`${POLICY.slice(0, 8)}\u200b${POLICY.slice(8)}`), property: "policyId", mentions: "ASCII" },
    { name: "oversized policyId", description: GPCA, inputs: withPolicyId(SECRET.repeat(300)), property: "policyId", mentions: "too long", secret: SECRET },
    { name: "secret pasted into policyId", description: GPCA, inputs: withPolicyId(SECRET), property: "policyId", secret: SECRET },
    { name: "numeric policyId", description: GPCA, inputs: withPolicyId(42), property: "policyId", mentions: "number" },
    { name: "null policyId", description: GPCA, inputs: withPolicyId(null), property: "policyId", mentions: "null" },
    { name: "missing policyId", description: GPCA, inputs: { target: groupTarget() }, property: "policyId", mentions: "required" },
    { name: "missing target", description: GPCA, inputs: { policyId: POLICY }, property: "target", mentions: "required" },
    { name: "null target", description: GPCA, inputs: gpca(null as never), property: "target", mentions: "object" },
    { name: "string target", description: GPCA, inputs: gpca("group" as never), property: "target", mentions: "object" },
    { name: "array target", description: GPCA, inputs: gpca([groupTarget()] as never), property: "target", mentions: "object" },
    { name: "target without @odata.type", description: GPCA, inputs: gpca({ groupId: GROUP }), property: "target.@odata.type", mentions: "required" },
    { name: "unknown target kind", description: GPCA, inputs: gpca({ "@odata.type": "#microsoft.graph.bogusAssignmentTarget" }), property: "target.@odata.type", mentions: "groupAssignmentTarget" },
    { name: "Windows 365 target on an Intune assignment", description: GPCA, inputs: gpca(cloudPcTarget()), property: "target.@odata.type" },
    { name: "target kind without namespace", description: GPCA, inputs: gpca({ "@odata.type": "groupAssignmentTarget", groupId: GROUP }), property: "target.@odata.type" },
    { name: "target kind in the wrong case", description: GPCA, inputs: gpca({ "@odata.type": "#microsoft.graph.GroupAssignmentTarget", groupId: GROUP }), property: "target.@odata.type" },
    { name: "numeric @odata.type", description: GPCA, inputs: gpca({ "@odata.type": 7, groupId: GROUP }), property: "target.@odata.type" },
    { name: "group target without groupId", description: GPCA, inputs: gpca({ "@odata.type": "#microsoft.graph.groupAssignmentTarget" }), property: "target.groupId", mentions: "groupAssignmentTarget" },
    { name: "exclusion target without groupId", description: GPCA, inputs: gpca({ "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget" }), property: "target.groupId", mentions: "required" },
    { name: "malformed groupId", description: GPCA, inputs: withGroupId("1234"), property: "target.groupId", mentions: "GUID" },
    { name: "groupId with '/'", description: GPCA, inputs: withGroupId(`${GROUP}/../x`), property: "target.groupId", mentions: "'/'" },
    { name: "numeric groupId", description: GPCA, inputs: withGroupId(12), property: "target.groupId" },
    { name: "null groupId", description: GPCA, inputs: withGroupId(null), property: "target.groupId" },
    { name: "unknown property in target", description: GPCA, inputs: gpca(groupTarget({ foo: 1 })), property: "target.foo", mentions: 'unexpected property "foo" in target' },
    { name: "unknown top-level property", description: GPCA, inputs: gpca(groupTarget(), { foo: "x" }), property: "foo", mentions: 'unexpected property "foo" in inputs' },
    { name: "server-managed id given as input", description: GPCA, inputs: gpca(groupTarget(), { id: "x" }), property: "id", mentions: "unexpected property" },
    { name: "collectionId on a group target", description: GPCA, inputs: gpca(groupTarget({ collectionId: "SMS00001" })), property: "target.collectionId", mentions: "not allowed for groupAssignmentTarget" },
    { name: "groupId on an all-devices target", description: GPCA, inputs: gpca({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", groupId: GROUP }), property: "target.groupId", mentions: "unexpected property" },
    { name: "collection target without collectionId", description: GPCA, inputs: gpca({ "@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget" }), property: "target.collectionId", mentions: "required" },
    { name: "malformed collectionId", description: GPCA, inputs: gpca({ "@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget", collectionId: "SMS/0001" }), property: "target.collectionId", mentions: "'/'" },
    { name: "collectionId that is not site code + hex", description: GPCA, inputs: gpca({ "@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget", collectionId: "SMS0000Z" }), property: "target.collectionId", mentions: "collection id" },
    { name: "unknown filter type", description: GPCA, inputs: gpca(groupTarget({ [FT]: "sometimes", [FID]: FILTER })), property: `target.${FT}`, mentions: "none, include, exclude" },
    { name: "include filter without filter id", description: GPCA, inputs: gpca(groupTarget({ [FT]: "include" })), property: `target.${FID}`, mentions: "required" },
    { name: "exclude filter with the all-zero id", description: GPCA, inputs: gpca(groupTarget({ [FT]: "exclude", [FID]: "00000000-0000-0000-0000-000000000000" })), property: `target.${FID}`, mentions: "all-zero" },
    { name: "filter id without filter type", description: GPCA, inputs: gpca(groupTarget({ [FID]: FILTER })), property: `target.${FT}`, mentions: "include or exclude" },
    { name: "filter id with filter type none", description: GPCA, inputs: gpca(groupTarget({ [FID]: FILTER, [FT]: "none" })), property: `target.${FT}`, mentions: "include or exclude" },
    { name: "malformed filter id", description: GPCA, inputs: gpca(groupTarget({ [FID]: "filter-1", [FT]: "include" })), property: `target.${FID}`, mentions: "GUID" },
    { name: "exclusion target with a filter", description: GPCA, inputs: gpca({ "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: GROUP, [FT]: "include", [FID]: FILTER }), property: `target.${FT}`, mentions: "cannot carry a filter" },
    { name: "exclusion target with a filter id only", description: GPCA, inputs: gpca({ "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: GROUP, [FID]: FILTER }), property: `target.${FID}`, mentions: "cannot carry a filter" },
    { name: "provisioning item without groupId", description: ITEM, inputs: { policyId: POLICY }, property: "groupId", mentions: "required" },
    { name: "provisioning item groupId with %2F", description: ITEM, inputs: { policyId: POLICY, groupId: `${GROUP}%2F` }, property: "groupId", mentions: "percent" },
    { name: "provisioning item with a target", description: ITEM, inputs: { policyId: POLICY, groupId: GROUP, target: groupTarget() }, property: "target", mentions: "unexpected property" },
    { name: "provisioning item with an empty policyId", description: ITEM, inputs: { policyId: "", groupId: GROUP }, property: "policyId" },
    { name: "Intune target on a Cloud PC assignment", description: CLOUD_PC, inputs: { policyId: POLICY, target: groupTarget() }, property: "target.@odata.type", mentions: "cloudPcManagementGroupAssignmentTarget" },
    { name: "Cloud PC target with a filter", description: CLOUD_PC, inputs: { policyId: POLICY, target: cloudPcTarget({ [FT]: "include" }) }, property: `target.${FT}`, mentions: "unexpected property" },
    { name: "malformed servicePlanId", description: CLOUD_PC, inputs: { policyId: POLICY, target: cloudPcTarget({ servicePlanId: "plan" }) }, property: "target.servicePlanId", mentions: "GUID" },
    { name: "zero allotmentLicensesCount", description: CLOUD_PC, inputs: { policyId: POLICY, target: cloudPcTarget({ servicePlanId: PLAN, allotmentLicensesCount: 0 }) }, property: "target.allotmentLicensesCount", mentions: "integer from 1" },
    { name: "fractional allotmentLicensesCount", description: CLOUD_PC, inputs: { policyId: POLICY, target: cloudPcTarget({ servicePlanId: PLAN, allotmentLicensesCount: 1.5 }) }, property: "target.allotmentLicensesCount" },
    { name: "string allotmentLicensesCount", description: CLOUD_PC, inputs: { policyId: POLICY, target: cloudPcTarget({ servicePlanId: PLAN, allotmentLicensesCount: "3" }) }, property: "target.allotmentLicensesCount" },
    { name: "empty allotmentDisplayName", description: CLOUD_PC, inputs: { policyId: POLICY, target: cloudPcTarget({ servicePlanId: PLAN, allotmentDisplayName: "" }) }, property: "target.allotmentDisplayName", mentions: "non-empty" },
    { name: "oversized allotmentDisplayName", description: CLOUD_PC, inputs: { policyId: POLICY, target: cloudPcTarget({ servicePlanId: PLAN, allotmentDisplayName: SECRET.repeat(10) }) }, property: "target.allotmentDisplayName", mentions: "at most 256", secret: SECRET },
    { name: "allotment without servicePlanId", description: CLOUD_PC, inputs: { policyId: POLICY, target: cloudPcTarget({ allotmentDisplayName: "Shift A" }) }, property: "target.servicePlanId", mentions: "when target.allotmentDisplayName is set" },
];

describe("validateInputs", () => {
    describe("accepts valid inputs", () => {
        const valid: [string, ResourceDescription, Record<string, unknown>][] = [
            ["a group target", GPCA, gpca()],
            ["a group target with an include filter", GPCA, gpca(groupTarget({ [FT]: "include", [FID]: FILTER }))],
            ["a group target with an exclude filter", GPCA, gpca(groupTarget({ [FT]: "exclude", [FID]: FILTER }))],
            ["a group target with filter none", GPCA, gpca(groupTarget({ [FT]: "none" }))],
            ["a group target with filter none and the all-zero id", GPCA, gpca(groupTarget({ [FT]: "none", [FID]: "00000000-0000-0000-0000-000000000000" }))],
            ["an exclusion target", GPCA, gpca({ "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: GROUP })],
            ["an exclusion target with filter none", GPCA, gpca({ "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: GROUP, [FT]: "none" })],
            ["an all-devices target", GPCA, gpca({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" })],
            ["an all-devices target with a filter", GPCA, gpca({ "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", [FT]: "include", [FID]: FILTER })],
            ["an all-licensed-users target", GPCA, gpca({ "@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget" })],
            ["a collection target", GPCA, gpca({ "@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget", collectionId: "SMS00001" })],
            ["an @odata.type without '#'", GPCA, gpca(groupTarget({ "@odata.type": "microsoft.graph.groupAssignmentTarget" }))],
            ["upper-case GUIDs", GPCA, { policyId: POLICY.toUpperCase(), target: groupTarget({ groupId: GROUP.toUpperCase() }) }],
            ["Pulumi's reserved __provider input", GPCA, gpca(groupTarget(), { __provider: "serialized-provider" })],
            ["a provisioning item", ITEM, { policyId: POLICY, groupId: GROUP }],
            ["a dedicated Cloud PC assignment", CLOUD_PC, { policyId: POLICY, target: cloudPcTarget() }],
            ["a Frontline Cloud PC assignment", CLOUD_PC, { policyId: POLICY, target: cloudPcTarget({ servicePlanId: PLAN, allotmentDisplayName: "Shift A", allotmentLicensesCount: 10 }) }],
        ];
        for (const [name, description, inputs] of valid) {
            it(`accepts ${name}`, () => assert.deepEqual(validateInputs(description, inputs), []));
        }
    });

    describe("rejects invalid inputs, naming the property", () => {
        for (const c of invalid) {
            it(`rejects ${c.name}`, () => {
                const failures = validateInputs(c.description, c.inputs);
                const failure = failures.find((f) => f.property === c.property);
                assert.ok(failure, `no failure for ${c.property}: ${JSON.stringify(failures)}`);
                const leaf = c.property.split(".").pop()!;
                const parent = c.property.split(".").slice(0, -1).join(".") || "inputs";
                assert.ok(
                    failure.reason.includes(c.property) || failure.reason.includes(`"${leaf}" in ${parent}`),
                    `reason does not name ${c.property}: ${failure.reason}`,
                );
                if (c.mentions) assert.ok(failure.reason.includes(c.mentions), `reason lacks "${c.mentions}": ${failure.reason}`);
                for (const f of failures) {
                    assert.ok(f.reason.length < 400, "messages stay short");
                    if (c.secret) assert.ok(!f.reason.includes(c.secret), "the value is never echoed");
                }
            });
        }
        it("covers at least 30 invalid cases", () => assert.ok(invalid.length >= 30));
    });

    it("reports one failure per problem, without oneOf/if noise", () => {
        const failures = validateInputs(GPCA, gpca({ "@odata.type": "#microsoft.graph.bogus", groupId: GROUP }));
        assert.deepEqual(failures.map((f) => f.property), ["target.@odata.type"]);
    });

    it("reports several independent problems together", () => {
        const failures = validateInputs(GPCA, { policyId: "x", target: groupTarget({ groupId: "y", foo: 1 }) });
        assert.deepEqual(failures.map((f) => f.property).sort(), ["policyId", "target.foo", "target.groupId"]);
    });

    it("folds the children of a failing parent into the parent's failure", () => {
        const failures = validateInputs(GPCA, gpca(42 as never));
        assert.deepEqual(failures, [{ property: "target", reason: 'target must be an object with an "@odata.type"' }]);
    });

    it("rejects inputs that are not an object", () => {
        assert.equal(validateInputs(GPCA, null).length, 1);
        assert.equal(validateInputs(GPCA, [gpca()]).length, 1);
    });

    it("caps and sanitises unexpected property names in messages", () => {
        const [failure] = validateInputs(GPCA, gpca(groupTarget(), { [`\u0000${"k".repeat(500)}`]: 1 }));
        assert.ok(failure!.reason.length < 120);
        assert.ok(!failure!.reason.includes("\u0000"));
    });

    describe("lets Pulumi's unknown placeholder through", () => {
        const cases: [string, ResourceDescription, Record<string, unknown>][] = [
            ["an unknown policyId", GPCA, gpca(groupTarget(), { policyId: UNKNOWN_VALUE })],
            ["an unknown target", GPCA, gpca(UNKNOWN_VALUE as never)],
            ["an unknown target kind", GPCA, gpca({ "@odata.type": UNKNOWN_VALUE, groupId: GROUP })],
            ["an unknown groupId", GPCA, gpca(groupTarget({ groupId: UNKNOWN_VALUE }))],
            ["an unknown filter id with an include filter", GPCA, gpca(groupTarget({ [FT]: "include", [FID]: UNKNOWN_VALUE }))],
            ["an unknown filter type with a filter id", GPCA, gpca(groupTarget({ [FT]: UNKNOWN_VALUE, [FID]: FILTER }))],
            ["an unknown groupId on a provisioning item", ITEM, { policyId: POLICY, groupId: UNKNOWN_VALUE }],
            ["an unknown servicePlanId with an allotment", CLOUD_PC, { policyId: POLICY, target: cloudPcTarget({ servicePlanId: UNKNOWN_VALUE, allotmentLicensesCount: 2 }) }],
        ];
        for (const [name, description, inputs] of cases) {
            it(`accepts ${name}`, () => assert.deepEqual(validateInputs(description, inputs), []));
        }

        it("still reports known problems next to unknown values", () => {
            const failures = validateInputs(GPCA, { policyId: UNKNOWN_VALUE, target: groupTarget({ groupId: "bad" }) });
            assert.deepEqual(failures.map((f) => f.property), ["target.groupId"]);
        });
    });
});
