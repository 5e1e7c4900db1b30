import assert from "node:assert/strict";
import { buildPath, describeIdProblem, InvalidIdError } from "../../../provider/model/index.js";
import { GPCA, GROUP, POLICY } from "./fixtures.js";

describe("buildPath", () => {
    it("fills placeholders from validated parameters", () => {
        assert.equal(
            buildPath(GPCA.paths.item, { policyId: POLICY, id: `${POLICY}_${GROUP}` }),
            `/deviceManagement/groupPolicyConfigurations/${POLICY}/assignments/${POLICY}_${GROUP}`,
        );
        assert.equal(buildPath(GPCA.paths.assign!, { policyId: POLICY }), `/deviceManagement/groupPolicyConfigurations/${POLICY}/assign`);
    });

    it("accepts opaque assignment ids of letters, digits, '_' and '-'", () => {
        assert.ok(buildPath(GPCA.paths.item, { policyId: POLICY, id: "Abc_123-x" }).endsWith("/Abc_123-x"));
    });

    const rejected: [string, Record<string, string | undefined>, string, RegExp][] = [
        ["a policy id that is not a GUID", { policyId: "abc", id: "x" }, "policyId", /GUID/],
        ["an id with '/'", { policyId: POLICY, id: "a/b" }, "id", /'\/'/],
        ["an id with '..'", { policyId: POLICY, id: "a..b" }, "id", /'\.\.'/],
        ["an id with '?'", { policyId: POLICY, id: "a?b" }, "id", /'\?'/],
        ["an id with '#'", { policyId: POLICY, id: "a#b" }, "id", /'#'/],
        ["an id with %2F", { policyId: POLICY, id: "a%2Fb" }, "id", /percent/],
        ["an id with a space", { policyId: POLICY, id: "a b" }, "id", /spaces/],
        ["an id with a control character", { policyId: POLICY, id: "a\nb" }, "id", /control/],
        ["an id with a Unicode look-alike", { policyId: POLICY, id: "\u0430bc" }, "id", /ASCII/],
        ["an empty id", { policyId: POLICY, id: "" }, "id", /empty/],
        ["an oversized id", { policyId: POLICY, id: "a".repeat(129) }, "id", /too long/],
        ["an id starting with '-'", { policyId: POLICY, id: "-a" }, "id", /assignment id/],
        ["a missing parameter", { policyId: POLICY }, "id", /required/],
    ];
    for (const [name, params, parameter, problem] of rejected) {
        it(`rejects ${name} with an InvalidIdError naming the parameter`, () => {
            assert.throws(
                () => buildPath(GPCA.paths.item, params),
                (error: unknown) => {
                    assert.ok(InvalidIdError.isInstance(error));
                    assert.equal(error.parameter, parameter);
                    assert.match(error.problem, problem);
                    assert.ok(error.message.startsWith(`${parameter} `));
                    const value = params[parameter];
                    if (value && value.length > 3) assert.ok(!error.message.includes(value), "the value is never echoed");
                    return true;
                },
            );
        });
    }

    it("refuses placeholders without a known id kind", () => {
        assert.throws(() => buildPath("/x/{secret}", { secret: "a" }), (e: unknown) => InvalidIdError.isInstance(e) && e.parameter === "secret");
    });

    it("ignores parameters inherited from Object.prototype", () => {
        assert.throws(() => buildPath("/x/{id}", {}), /id is required/);
    });
});

describe("InvalidIdError", () => {
    it("is recognised by isInstance across module copies, not by name alone", () => {
        const error = new InvalidIdError("policyId", "must be a GUID");
        assert.equal(error.name, "InvalidIdError");
        assert.ok(InvalidIdError.isInstance(error));
        assert.ok(InvalidIdError.isInstance({ ...error, __msgraphInvalidIdError: true }));
        assert.equal(InvalidIdError.isInstance(new Error("x")), false);
        assert.equal(InvalidIdError.isInstance(null), false);
    });
});

describe("describeIdProblem", () => {
    it("accepts well-formed ids of each kind", () => {
        assert.equal(describeIdProblem(GROUP.toUpperCase(), "guid"), undefined);
        assert.equal(describeIdProblem(`${POLICY}_${GROUP}`, "assignmentId"), undefined);
        assert.equal(describeIdProblem("SMS00001", "collectionId"), undefined);
    });

    it("names the kind of value it got, not the value", () => {
        assert.match(describeIdProblem(undefined, "guid")!, /got undefined/);
        assert.match(describeIdProblem({}, "guid")!, /got object/);
    });
});
