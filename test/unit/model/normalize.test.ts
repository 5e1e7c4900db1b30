import assert from "node:assert/strict";
import { normalizeInputs, UNKNOWN_VALUE } from "../../../provider/model/index.js";
import { CLOUD_PC, cloudPcTarget, FILTER, GPCA, gpca, GROUP, groupTarget, ITEM, PLAN, POLICY, FID, FT } from "./fixtures.js";

const ZERO = "00000000-0000-0000-0000-000000000000";

describe("normalizeInputs", () => {
    it("lower-cases GUIDs at every level", () => {
        const out = normalizeInputs(GPCA, { policyId: POLICY.toUpperCase(), target: groupTarget({ groupId: GROUP.toUpperCase() }) });
        assert.deepEqual(out, gpca());
    });

    it("adds the leading '#' to @odata.type", () => {
        const out = normalizeInputs(GPCA, gpca(groupTarget({ "@odata.type": "microsoft.graph.groupAssignmentTarget" })));
        assert.deepEqual(out, gpca());
    });

    it("takes a variant's type name in any case, writing it as declared (Graph reads Cloud PC targets as cloudPC…)", () => {
        const out = normalizeInputs(CLOUD_PC, { policyId: POLICY, target: { "@odata.type": "microsoft.graph.cloudPCManagementGroupAssignmentTarget", groupId: GROUP.toUpperCase() } });
        assert.deepEqual(out.target, { "@odata.type": "#microsoft.graph.cloudPcManagementGroupAssignmentTarget", groupId: GROUP });
    });

    it("treats filter none, an absent filter and the all-zero filter id alike (both omitted)", () => {
        const forms = [
            groupTarget(),
            groupTarget({ [FT]: "none" }),
            groupTarget({ [FT]: "none", [FID]: ZERO }),
            groupTarget({ [FID]: ZERO }),
            groupTarget({ [FT]: "none", [FID]: null }),
            groupTarget({ [FT]: null, [FID]: null }),
        ];
        for (const target of forms) assert.deepEqual(normalizeInputs(GPCA, gpca(target)), gpca());
    });

    it("keeps an active filter, with its id lower-cased", () => {
        const out = normalizeInputs(GPCA, gpca(groupTarget({ [FT]: "include", [FID]: FILTER.toUpperCase() })));
        assert.deepEqual(out, gpca(groupTarget({ [FT]: "include", [FID]: FILTER })));
    });

    it("upper-cases Configuration Manager collection ids", () => {
        const target = { "@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget", collectionId: "p01000a4" };
        assert.equal((normalizeInputs(GPCA, gpca(target)).target as Record<string, unknown>).collectionId, "P01000A4");
    });

    it("drops nulls, Pulumi's __provider and server-managed fields", () => {
        const out = normalizeInputs(CLOUD_PC, {
            policyId: POLICY,
            target: cloudPcTarget({ servicePlanId: null, allotmentDisplayName: null }),
            id: `${POLICY}_${GROUP}`,
            __provider: "x",
        });
        assert.deepEqual(out, { policyId: POLICY, target: cloudPcTarget() });
    });

    it("keeps Frontline values as they are", () => {
        const target = cloudPcTarget({ servicePlanId: PLAN.toUpperCase(), allotmentDisplayName: "Shift A", allotmentLicensesCount: 3 });
        const out = normalizeInputs(CLOUD_PC, { policyId: POLICY, target });
        assert.deepEqual(out.target, cloudPcTarget({ servicePlanId: PLAN, allotmentDisplayName: "Shift A", allotmentLicensesCount: 3 }));
    });

    it("leaves unknown placeholders untouched", () => {
        const inputs = gpca(groupTarget({ groupId: UNKNOWN_VALUE, [FT]: UNKNOWN_VALUE }), { policyId: UNKNOWN_VALUE });
        assert.deepEqual(normalizeInputs(GPCA, inputs), inputs);
        assert.deepEqual(normalizeInputs(GPCA, gpca(UNKNOWN_VALUE as never)), gpca(UNKNOWN_VALUE as never));
    });

    it("returns a new object and does not mutate its argument", () => {
        const inputs = gpca(groupTarget({ groupId: GROUP.toUpperCase(), [FT]: "none" }));
        const copy = structuredClone(inputs);
        const out = normalizeInputs(GPCA, inputs);
        assert.deepEqual(inputs, copy);
        assert.notEqual(out, inputs);
        assert.notEqual(out.target, inputs.target);
    });

    it("normalises flat descriptions too", () => {
        assert.deepEqual(normalizeInputs(ITEM, { policyId: POLICY.toUpperCase(), groupId: GROUP.toUpperCase() }), {
            policyId: POLICY,
            groupId: GROUP,
        });
    });
});
