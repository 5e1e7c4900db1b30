import assert from "node:assert/strict";
import Ajv from "ajv";
import { defineResource, descriptions, getDescription } from "../../../provider/model/index.js";
import { GPCA } from "./fixtures.js";

describe("getDescription", () => {
    it("returns the description registered for each kind", () => {
        for (const kind of [
            "GroupPolicyConfigurationAssignment",
            "ProvisioningPolicyAssignment",
            "CloudPcProvisioningPolicyAssignment",
        ]) {
            assert.equal(getDescription(kind).kind, kind);
        }
    });

    it("rejects an unknown kind and lists the known ones", () => {
        assert.throws(() => getDescription("Nope"), /unknown resource kind "Nope"; expected one of: GroupPolicyConfigurationAssignment/);
    });

    it("does not resolve inherited object keys as kinds", () => {
        assert.throws(() => getDescription("toString"), /unknown resource kind/);
    });
});

describe("descriptions", () => {
    it("holds every resource type, keyed by kind", () => {
        for (const [kind, description] of Object.entries(descriptions)) assert.equal(description.kind, kind);
        for (const kind of ["CloudPcProvisioningPolicyAssignment", "GroupPolicyConfigurationAssignment", "ProvisioningPolicyAssignment"]) {
            assert.ok(kind in descriptions, kind);
        }
    });

    it("exports input schemas that are plain JSON and compile with a fresh ajv", () => {
        for (const description of Object.values(descriptions)) {
            const schema = JSON.parse(JSON.stringify(description.inputSchema));
            assert.deepEqual(schema, description.inputSchema);
            const ajv = new Ajv({ strict: false });
            assert.equal(typeof ajv.compile(schema), "function");
        }
    });

    it("keeps path properties out of the body", () => {
        for (const description of Object.values(descriptions)) {
            for (const key of description.pathProperties) assert.ok(!description.bodyProperties.includes(key));
            assert.ok(description.paths.item.startsWith(description.paths.collection));
        }
    });
});

describe("defineResource", () => {
    const base = {
        kind: "Test",
        paths: { parent: "/p/{policyId}", collection: "/p/{policyId}/a", item: "/p/{policyId}/a/{id}" },
        odataType: "#microsoft.graph.test",
        sendOdataType: false,
        properties: { policyId: { type: "guid" as const }, groupId: { type: "guid" as const } },
        required: ["policyId"],
        replaceOnChange: ["policyId"],
        serverManaged: ["id"],
        bodyProperties: ["groupId"],
        pathProperties: ["policyId"],
        matchKey: () => "slot",
        itemRoutes: { create: true, update: true, delete: true },
    };

    it("attaches a generated input schema", () => {
        const description = defineResource(base);
        assert.equal((description.inputSchema as { title: string }).title, "Test");
        assert.equal(description.matchKey({}), "slot");
    });

    it("rejects properties that are neither body nor path properties", () => {
        assert.throws(() => defineResource({ ...base, bodyProperties: [] }), /bodyProperties \+ pathProperties/);
    });

    it("rejects a replaceOnChange path that is not an input", () => {
        assert.throws(() => defineResource({ ...base, replaceOnChange: ["nope.x"] }), /"nope.x" is not an input property/);
    });

    it("derives the default write strategy from the item routes and the assign action", () => {
        assert.equal(defineResource(base).defaultWriteStrategy, "item");
        const assignList = { listPath: "/p/{policyId}/a", listShape: "collection" as const, answer: "noContent" as const, readOnly: [] };
        const withAssign = { ...base, paths: { ...base.paths, assign: "/p/{policyId}/assign" }, assignList };
        assert.equal(defineResource(withAssign).defaultWriteStrategy, "auto");
        assert.equal(defineResource({ ...withAssign, itemRoutes: { create: false, update: true, delete: true } }).defaultWriteStrategy, "assign");
        assert.throws(() => defineResource({ ...base, itemRoutes: { create: false, update: false, delete: false } }), /nothing can write it/);
        assert.throws(() => defineResource({ ...base, assignList }), /assignList needs paths.assign/);
    });

    it("refuses a kind without PATCH and without assign whose body properties would update in place", () => {
        const noPatch = { ...base, itemRoutes: { create: true, update: false, delete: true } };
        assert.throws(() => defineResource(noPatch), /Test: neither PATCH nor an assign action: groupId must be in replaceOnChange/);
        assert.deepEqual(defineResource({ ...noPatch, replaceOnChange: ["policyId", "groupId"] }).replaceOnChange, ["policyId", "groupId"]);
    });

    it("takes each path property's id kind for its placeholder", () => {
        const enrollment = defineResource({ ...base, properties: { ...base.properties, policyId: { type: "intuneId" as const } } });
        assert.equal(enrollment.pathKinds.policyId, "intuneId");
        assert.equal(defineResource(base).pathKinds.policyId, "guid");
        assert.throws(() => defineResource({ ...base, properties: { ...base.properties, policyId: { type: "boolean" as const } } }), /must be an id/);
    });

    it("matches the registered description's roles for GroupPolicyConfigurationAssignment", () => {
        assert.deepEqual(GPCA.replaceOnChange, ["policyId"]);
        assert.deepEqual(GPCA.serverManaged, ["id", "lastModifiedDateTime"]);
        assert.deepEqual(GPCA.bodyProperties, ["target"]);
        assert.deepEqual(GPCA.pathProperties, ["policyId"]);
    });
});
