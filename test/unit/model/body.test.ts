import assert from "node:assert/strict";
import {
    buildMinimalPatch,
    diffInputs,
    fromGraphEntity,
    normalizeInputs,
    toGraphBody,
    UNKNOWN_VALUE,
    withDeclaredTypeNames,
} from "../../../provider/model/index.js";
import { CLOUD_PC, cloudPcTarget, FILTER, GPCA, gpca, GROUP, groupTarget, ITEM, OTHER_GROUP, OTHER_POLICY, PLAN, POLICY, FID, FT } from "./fixtures.js";

const ENTITY_TYPE = "#microsoft.graph.groupPolicyConfigurationAssignment";

describe("toGraphBody", () => {
    it("sends body properties only, canonical, with the entity @odata.type and an explicit 'no filter'", () => {
        const body = toGraphBody(GPCA, { policyId: POLICY, target: groupTarget({ "@odata.type": "microsoft.graph.groupAssignmentTarget", groupId: GROUP.toUpperCase() }) });
        assert.deepEqual(body, {
            "@odata.type": ENTITY_TYPE,
            target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: GROUP, [FID]: null, [FT]: "none" },
        });
    });

    it("keeps an active filter as given", () => {
        const body = toGraphBody(GPCA, gpca(groupTarget({ [FT]: "include", [FID]: FILTER })));
        assert.deepEqual(body.target, groupTarget({ [FT]: "include", [FID]: FILTER }));
    });

    it("builds the provisioning item body with its entity type", () => {
        assert.deepEqual(toGraphBody(ITEM, { policyId: POLICY, groupId: GROUP }), {
            "@odata.type": "#microsoft.graph.ProvisionPolicyAssignmentItem",
            groupId: GROUP,
        });
    });

    it("builds the Cloud PC body without an entity type and without filter properties", () => {
        const target = cloudPcTarget({ servicePlanId: PLAN, allotmentDisplayName: "Shift A", allotmentLicensesCount: 5 });
        assert.deepEqual(toGraphBody(CLOUD_PC, { policyId: POLICY, target }), { target });
    });

    it("refuses to build a body from unknown values", () => {
        assert.throws(() => toGraphBody(GPCA, gpca(groupTarget({ groupId: UNKNOWN_VALUE }))), /target is not known yet/);
    });
});

describe("fromGraphEntity", () => {
    it("round-trips toGraphBody plus server fields back to the canonical inputs", () => {
        const cases = [
            [GPCA, gpca(groupTarget({ [FT]: "exclude", [FID]: FILTER }))],
            [GPCA, gpca({ "@odata.type": "microsoft.graph.configurationManagerCollectionAssignmentTarget", collectionId: "sms00001" })],
            [GPCA, gpca()],
            [ITEM, { policyId: POLICY, groupId: GROUP.toUpperCase() }],
            [CLOUD_PC, { policyId: POLICY, target: cloudPcTarget({ servicePlanId: PLAN, allotmentLicensesCount: 2 }) }],
        ] as const;
        for (const [description, inputs] of cases) {
            const entity = { ...toGraphBody(description, inputs), id: "server-id", lastModifiedDateTime: "2026-01-01T00:00:00Z" };
            const read = fromGraphEntity(description, entity, { policyId: POLICY });
            assert.deepEqual(read, normalizeInputs(description, inputs));
            assert.equal(diffInputs(description, read, inputs).changes, false);
        }
    });

    it("drops navigation properties, annotations and undeclared target properties", () => {
        const entity = {
            "@odata.context": "x",
            id: `${POLICY}_${GROUP}`,
            assignedUsers: [{ id: "u" }],
            target: { "@odata.type": "#microsoft.graph.cloudPcManagementGroupAssignmentTarget", groupId: GROUP, servicePlanId: null, allotmentDisplayName: null, allotmentLicensesCount: null, newThing: 1 },
        };
        assert.deepEqual(fromGraphEntity(CLOUD_PC, entity, { policyId: POLICY }), { policyId: POLICY, target: cloudPcTarget() });
    });

    it("takes path properties from the path parameters only", () => {
        const read = fromGraphEntity(ITEM, { id: "x", groupId: GROUP, policyId: OTHER_POLICY }, { policyId: POLICY });
        assert.deepEqual(read, { policyId: POLICY, groupId: GROUP });
    });

    it("keeps a target of a type the description does not know, so that it shows as drift", () => {
        const target = { "@odata.type": "#microsoft.graph.scopeTagGroupAssignmentTarget", groupId: GROUP, extra: 1 };
        assert.deepEqual(fromGraphEntity(GPCA, { target }, { policyId: POLICY }).target, target);
    });
});

describe("buildMinimalPatch", () => {
    it("returns undefined when nothing changed", () => {
        assert.equal(buildMinimalPatch(GPCA, gpca(), gpca()), undefined);
    });

    it("returns undefined for a change of normalisation only", () => {
        const news = gpca({ "@odata.type": "microsoft.graph.groupAssignmentTarget", groupId: GROUP.toUpperCase(), [FT]: "none" });
        assert.equal(buildMinimalPatch(GPCA, gpca(), news), undefined);
    });

    it("never patches path properties", () => {
        assert.equal(buildMinimalPatch(GPCA, gpca(), gpca(groupTarget(), { policyId: OTHER_POLICY })), undefined);
    });

    it("sends the changed target whole, with its @odata.type", () => {
        const patch = buildMinimalPatch(GPCA, gpca(), gpca(groupTarget({ groupId: OTHER_GROUP })));
        assert.deepEqual(patch, {
            "@odata.type": ENTITY_TYPE,
            target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: OTHER_GROUP, [FID]: null, [FT]: "none" },
        });
    });

    it("removes a filter explicitly", () => {
        const patch = buildMinimalPatch(GPCA, gpca(groupTarget({ [FT]: "include", [FID]: FILTER })), gpca());
        assert.deepEqual((patch!.target as Record<string, unknown>)[FT], "none");
    });

    it("sends only the changed property of a flat description", () => {
        const patch = buildMinimalPatch(ITEM, { policyId: POLICY, groupId: GROUP }, { policyId: POLICY, groupId: OTHER_GROUP });
        assert.deepEqual(patch, { "@odata.type": "#microsoft.graph.ProvisionPolicyAssignmentItem", groupId: OTHER_GROUP });
    });

    it("sends a changed Cloud PC target whole, without an entity type", () => {
        const news = { policyId: POLICY, target: cloudPcTarget({ servicePlanId: PLAN, allotmentLicensesCount: 3 }) };
        assert.deepEqual(buildMinimalPatch(CLOUD_PC, { policyId: POLICY, target: cloudPcTarget() }, news), { target: news.target });
    });

    it("refuses unknown values in a changed property", () => {
        assert.throws(() => buildMinimalPatch(GPCA, gpca(), gpca(UNKNOWN_VALUE as never)), /not known yet/);
    });
});

describe("withDeclaredTypeNames", () => {
    it("spells a declared target type as declared, whatever case and '#' Graph read it with, and keeps the rest", () => {
        const read = { id: "p_g", target: { "@odata.type": "microsoft.graph.cloudPCManagementGroupAssignmentTarget", groupId: GROUP, servicePlanId: null } };
        assert.deepEqual(withDeclaredTypeNames(CLOUD_PC, read), {
            id: "p_g",
            target: { "@odata.type": "#microsoft.graph.cloudPcManagementGroupAssignmentTarget", groupId: GROUP, servicePlanId: null },
        });
        assert.deepEqual(read.target["@odata.type"], "microsoft.graph.cloudPCManagementGroupAssignmentTarget", "the entry read is not changed");
    });

    it("keeps a type the description does not declare, and entries already spelled as declared, exactly", () => {
        const unknown = { target: { "@odata.type": "#microsoft.graph.someFutureTarget", groupId: GROUP } };
        assert.deepEqual(withDeclaredTypeNames(GPCA, unknown), unknown);
        const declared = { id: "a", target: { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: GROUP } };
        assert.deepEqual(withDeclaredTypeNames(GPCA, declared), declared);
    });
});
