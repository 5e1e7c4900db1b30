import assert from "node:assert/strict";
import {
    defineResource,
    diffInputs,
    diffLive,
    matchesDesired,
    UNKNOWN_VALUE,
} from "../../../provider/model/index.js";
import {
    CLOUD_PC,
    cloudPcTarget,
    FILTER,
    GPCA,
    gpca,
    GROUP,
    groupTarget,
    ITEM,
    OTHER_GROUP,
    OTHER_POLICY,
    PLAN,
    POLICY,
    FID,
    FT,
} from "./fixtures.js";

const exclusion = (groupId = GROUP) => ({ "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId });

/** A live Intune entity as Graph returns it: server fields, nulls, '#'-less nested type, upper-case ids. */
const liveGpca = (target: Record<string, unknown> = {}) => ({
    "@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/groupPolicyConfigurations('x')/assignments/$entity",
    "@odata.type": "#microsoft.graph.groupPolicyConfigurationAssignment",
    id: `${POLICY}_${GROUP}`,
    lastModifiedDateTime: "2026-01-01T00:00:00Z",
    target: {
        "@odata.type": "microsoft.graph.groupAssignmentTarget",
        groupId: GROUP.toUpperCase(),
        [FID]: null,
        [FT]: "none",
        ...target,
    },
});

describe("diffInputs", () => {
    it("reports no change for identical inputs", () => {
        const diff = diffInputs(GPCA, gpca(), gpca());
        assert.deepEqual(diff, { changes: false, replaces: [], changedProperties: [], stables: ["policyId", "target"], deleteBeforeReplace: false });
    });

    it("reports no change from normalisation alone", () => {
        const news = {
            policyId: POLICY.toUpperCase(),
            target: { "@odata.type": "microsoft.graph.groupAssignmentTarget", groupId: GROUP.toUpperCase(), [FT]: "none", [FID]: "00000000-0000-0000-0000-000000000000" },
        };
        assert.equal(diffInputs(GPCA, gpca(), news).changes, false);
    });

    it("ignores server-managed fields and __provider in the old outputs", () => {
        const olds = gpca(groupTarget(), { id: "abc", lastModifiedDateTime: "2026-01-01T00:00:00Z", __provider: "p" });
        assert.equal(diffInputs(GPCA, olds, gpca()).changes, false);
    });

    it("updates in place when the target changes", () => {
        const diff = diffInputs(GPCA, gpca(), gpca(groupTarget({ groupId: OTHER_GROUP })));
        assert.deepEqual(diff.changedProperties, ["target"]);
        assert.deepEqual(diff.replaces, []);
        assert.deepEqual(diff.stables, ["policyId"]);
        assert.equal(diff.deleteBeforeReplace, false);
    });

    it("updates in place when only the filter changes", () => {
        const diff = diffInputs(GPCA, gpca(), gpca(groupTarget({ [FT]: "include", [FID]: FILTER })));
        assert.equal(diff.changes, true);
        assert.deepEqual(diff.replaces, []);
    });

    it("replaces when the policy changes, creating the new assignment first", () => {
        const diff = diffInputs(GPCA, gpca(), gpca(groupTarget(), { policyId: OTHER_POLICY }));
        assert.deepEqual(diff.replaces, ["policyId"]);
        assert.equal(diff.deleteBeforeReplace, false);
    });

    it("counts an unknown value as a change", () => {
        const diff = diffInputs(GPCA, gpca(), gpca(groupTarget({ groupId: UNKNOWN_VALUE })));
        assert.deepEqual(diff.changedProperties, ["target"]);
        assert.deepEqual(diff.replaces, []);
    });

    it("replaces and deletes first when an unknown policy could be the same one", () => {
        const diff = diffInputs(GPCA, gpca(), gpca(groupTarget(), { policyId: UNKNOWN_VALUE }));
        assert.deepEqual(diff.replaces, ["policyId"]);
        assert.equal(diff.deleteBeforeReplace, true);
    });

    it("replaces a Cloud PC assignment whose group changes, without deleting first", () => {
        const diff = diffInputs(CLOUD_PC, { policyId: POLICY, target: cloudPcTarget() }, { policyId: POLICY, target: cloudPcTarget({ groupId: OTHER_GROUP }) });
        assert.deepEqual(diff.replaces, ["target"]);
        assert.equal(diff.deleteBeforeReplace, false);
    });

    it("updates a Cloud PC assignment whose Frontline allotment changes", () => {
        const olds = { policyId: POLICY, target: cloudPcTarget({ servicePlanId: PLAN, allotmentLicensesCount: 1 }) };
        const news = { policyId: POLICY, target: cloudPcTarget({ servicePlanId: PLAN, allotmentLicensesCount: 2 }) };
        const diff = diffInputs(CLOUD_PC, olds, news);
        assert.deepEqual(diff.changedProperties, ["target"]);
        assert.deepEqual(diff.replaces, []);
    });

    it("replaces a provisioning item whose group changes (its id is {policyId}_{groupId}), without deleting first", () => {
        const diff = diffInputs(ITEM, { policyId: POLICY, groupId: GROUP }, { policyId: POLICY, groupId: OTHER_GROUP });
        assert.deepEqual(diff.changedProperties, ["groupId"]);
        assert.deepEqual(diff.replaces, ["groupId"]);
        assert.equal(diff.deleteBeforeReplace, false, "a new group is a new slot: create first, then delete");
    });

    it("deletes a provisioning item first only when its new group may be the old one (unknown during preview)", () => {
        const diff = diffInputs(ITEM, { policyId: POLICY, groupId: GROUP }, { policyId: POLICY, groupId: UNKNOWN_VALUE });
        assert.deepEqual(diff.replaces, ["groupId"]);
        assert.equal(diff.deleteBeforeReplace, true);
        const caseOnly = diffInputs(ITEM, { policyId: POLICY, groupId: GROUP }, { policyId: POLICY, groupId: GROUP.toUpperCase() });
        assert.equal(caseOnly.changes, false);
    });

    it("deletes before replacing when the replacement occupies the same slot of the same policy", () => {
        // A description that replaces on any target change: a filter change keeps the group's slot.
        const strict = defineResource({ ...GPCA, kind: "StrictAssignment", replaceOnChange: ["policyId", "target"] });
        const same = diffInputs(strict, gpca(), gpca(groupTarget({ [FT]: "include", [FID]: FILTER })));
        assert.deepEqual(same.replaces, ["target"]);
        assert.equal(same.deleteBeforeReplace, true);
        const include2exclude = diffInputs(strict, gpca(), gpca(exclusion()));
        assert.equal(include2exclude.deleteBeforeReplace, true);
        const other = diffInputs(strict, gpca(), gpca(groupTarget({ groupId: OTHER_GROUP })));
        assert.equal(other.deleteBeforeReplace, false);
    });
});

describe("diffLive", () => {
    it("finds no drift when Graph holds the desired state", () => {
        assert.deepEqual(diffLive(GPCA, gpca(), liveGpca()), []);
    });

    it("ignores read-only properties Graph adds to the target", () => {
        assert.deepEqual(diffLive(GPCA, gpca(), liveGpca({ targetType: "group", "@odata.etag": "x" })), []);
    });

    it("reports a drifted target with canonical desired and live values", () => {
        const drift = diffLive(GPCA, gpca(), liveGpca({ groupId: OTHER_GROUP }));
        assert.deepEqual(drift, [
            { property: "target", desired: groupTarget(), live: groupTarget({ groupId: OTHER_GROUP }) },
        ]);
    });

    it("reports a filter added out of band", () => {
        const drift = diffLive(GPCA, gpca(), liveGpca({ [FT]: "exclude", [FID]: FILTER }));
        assert.deepEqual(drift.map((d) => d.property), ["target"]);
    });

    it("compares flat descriptions", () => {
        const live = { "@odata.type": "#microsoft.graph.ProvisionPolicyAssignmentItem", id: `${POLICY}_${GROUP}`, groupId: OTHER_GROUP };
        assert.deepEqual(diffLive(ITEM, { policyId: POLICY, groupId: GROUP }, live), [
            { property: "groupId", desired: GROUP, live: OTHER_GROUP },
        ]);
    });
});

describe("matchesDesired", () => {
    it("matches the live assignment of the same group whatever its filter", () => {
        assert.equal(matchesDesired(GPCA, gpca(groupTarget({ [FT]: "include", [FID]: FILTER })), liveGpca()), true);
    });

    it("matches an exclusion of the same group (Graph allows one assignment per group)", () => {
        assert.equal(matchesDesired(GPCA, gpca(exclusion()), liveGpca()), true);
    });

    it("does not match another group", () => {
        assert.equal(matchesDesired(GPCA, gpca(groupTarget({ groupId: OTHER_GROUP })), liveGpca()), false);
    });

    it("matches all-devices targets by kind", () => {
        const allDevices = { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" };
        const live = { id: "x", target: { "@odata.type": "microsoft.graph.allDevicesAssignmentTarget", [FT]: "none" } };
        assert.equal(matchesDesired(GPCA, gpca(allDevices), live), true);
        assert.equal(matchesDesired(GPCA, gpca({ "@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget" }), live), false);
    });

    it("matches Cloud PC assignments by group", () => {
        const live = { id: `${POLICY}_${GROUP}`, target: { "@odata.type": "#microsoft.graph.cloudPcManagementGroupAssignmentTarget", groupId: GROUP, servicePlanId: null }, assignedUsers: [] };
        assert.equal(matchesDesired(CLOUD_PC, { policyId: POLICY, target: cloudPcTarget() }, live), true);
    });

    it("never matches while the desired body is unknown", () => {
        assert.equal(matchesDesired(GPCA, gpca(groupTarget({ groupId: UNKNOWN_VALUE })), liveGpca()), false);
    });
});
