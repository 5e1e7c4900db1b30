import assert from "node:assert/strict";
import { viewOf, viewsOf } from "../../../policy/assignments.js";
import {
    broadTargetWithoutFilter,
    duplicateTargets,
    exclusionsOnly,
    groupsIncludedAndExcluded,
    hasRequiredIntent,
    protectedGroupIncluded,
    protectedGroupsFromStackConfig,
    protectedGroupSet,
} from "../../../policy/rules.js";
import { allDevices, allUsers, exclusion, G1, G2, group, P1, P2, resource, withFilter } from "./fixtures.js";

const view = (name: string, props: Record<string, unknown>, kind?: string) => viewOf(resource(name, props, kind))!;
const names = (violations: readonly { urn: string }[]) => violations.map((v) => v.urn.split("::").pop()).sort();

describe("policy rules", () => {
    describe("broad target without filter", () => {
        it("fires for all devices / all licensed users without a filter, naming resource, policy and the fix", () => {
            const v = broadTargetWithoutFilter(view("wide", { policyId: P1, target: allUsers() }));
            assert.ok(v);
            assert.match(v.message, new RegExp(`GroupPolicyConfigurationAssignment "wide" \\(policy ${P1}\\) assigns to all licensed users without an assignment filter`));
            assert.match(v.message, /deviceAndAppManagementAssignmentFilterId/);
        });
        it("is silent with a filter (include or exclude) and for groups", () => {
            assert.equal(broadTargetWithoutFilter(view("a", { policyId: P1, target: allDevices(withFilter("exclude")) })), undefined);
            assert.equal(broadTargetWithoutFilter(view("b", { policyId: P1, target: group(G1) })), undefined);
        });
        it("required intent is read from any resource's inputs", () => {
            const app = view("app", { policyId: P1, intent: "required", target: allDevices() }, "MobileAppAssignment");
            assert.equal(hasRequiredIntent(app), true);
            assert.match(broadTargetWithoutFilter(app)!.message, /MobileAppAssignment "app" .* with intent "required" without an assignment filter/);
            assert.equal(hasRequiredIntent(view("avail", { policyId: P1, intent: "available", target: allDevices() }, "MobileAppAssignment")), false);
        });
    });

    describe("group included and excluded", () => {
        it("reports both resources of the pair, each naming the other", () => {
            const found = groupsIncludedAndExcluded(viewsOf([resource("inc", { policyId: P1, target: group(G1) }), resource("exc", { policyId: P1, target: exclusion(G1.toUpperCase()) })]));
            assert.deepEqual(names(found), ["exc", "inc"]);
            assert.match(found.find((v) => v.urn.endsWith("inc"))!.message, new RegExp(`"inc" \\(policy ${P1}\\) includes group ${G1} that "exc" exclude`));
        });
        it("is silent across policies and for different groups", () => {
            assert.deepEqual(groupsIncludedAndExcluded(viewsOf([resource("inc", { policyId: P1, target: group(G1) }), resource("exc", { policyId: P2, target: exclusion(G1) })])), []);
            assert.deepEqual(groupsIncludedAndExcluded(viewsOf([resource("inc", { policyId: P1, target: group(G1) }), resource("exc", { policyId: P1, target: exclusion(G2) })])), []);
        });
    });

    describe("duplicate targets", () => {
        it("reports two resources for the same all-* target or group of one policy, filters aside", () => {
            const found = duplicateTargets(viewsOf([
                resource("a", { policyId: P1, target: allDevices() }),
                resource("b", { policyId: P1, target: allDevices(withFilter()) }),
                resource("c", { policyId: P1, target: group(G1) }),
            ]));
            assert.deepEqual(names(found), ["a", "b"]);
            assert.match(found[0]!.message, /would overwrite each other/);
        });
        it("sees two kinds writing the same Windows 365 list", () => {
            const found = duplicateTargets(viewsOf([
                resource("seed", { policyId: P1, groupId: G1 }, "ProvisioningPolicyAssignment"),
                resource("current", { policyId: P1, target: { "@odata.type": "#microsoft.graph.cloudPcManagementGroupAssignmentTarget", groupId: G1 } }, "CloudPcProvisioningPolicyAssignment"),
            ]));
            assert.deepEqual(names(found), ["current", "seed"]);
        });
        it("leaves include/exclude pairs to the rule above and skips unknown targets", () => {
            assert.deepEqual(duplicateTargets(viewsOf([resource("i", { policyId: P1, target: group(G1) }), resource("e", { policyId: P1, target: exclusion(G1) })])), []);
            const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
            assert.deepEqual(duplicateTargets(viewsOf([resource("x", { policyId: P1, target: group(unknown) }), resource("y", { policyId: P1, target: group(unknown) })])), []);
        });
    });

    describe("exclusions only", () => {
        it("reports every exclusion of a policy the stack never includes", () => {
            const found = exclusionsOnly(viewsOf([resource("x1", { policyId: P1, target: exclusion(G1) }), resource("x2", { policyId: P1, target: exclusion(G2) }), resource("inc", { policyId: P2, target: group(G1) })]));
            assert.deepEqual(names(found), ["x1", "x2"]);
            assert.match(found[0]!.message, /no include assignment for this policy/);
        });
        it("is silent once the policy has an include or all-* assignment", () => {
            assert.deepEqual(exclusionsOnly(viewsOf([resource("x", { policyId: P1, target: exclusion(G1) }), resource("all", { policyId: P1, target: allDevices() })])), []);
        });
    });

    describe("protected groups", () => {
        const groups = protectedGroupSet([G1.toUpperCase()], undefined);
        it("fires for an include of a protected group (ids compared case-insensitively)", () => {
            const v = protectedGroupIncluded(view("bg", { policyId: P1, target: group(G1) }), groups);
            assert.match(v!.message, new RegExp(`"bg" \\(policy ${P1}\\) includes protected group ${G1}`));
            assert.ok(protectedGroupIncluded(view("seed", { policyId: P1, groupId: G1 }, "ProvisioningPolicyAssignment"), groups));
        });
        it("allows excluding it, and other groups", () => {
            assert.equal(protectedGroupIncluded(view("x", { policyId: P1, target: exclusion(G1) }), groups), undefined);
            assert.equal(protectedGroupIncluded(view("y", { policyId: P1, target: group(G2) }), groups), undefined);
        });
        it("reads msgraph:protectedGroupIds from the stack config as a JSON array or a comma-separated list", () => {
            assert.deepEqual(protectedGroupsFromStackConfig(JSON.stringify({ "msgraph:protectedGroupIds": JSON.stringify([G1, G2]) })), [G1, G2]);
            assert.deepEqual([...protectedGroupSet(protectedGroupsFromStackConfig(JSON.stringify({ "msgraph:protectedGroupIds": `${G1}, ${G2}` })))], [G1, G2]);
            assert.deepEqual(protectedGroupsFromStackConfig(undefined), []);
            assert.deepEqual(protectedGroupsFromStackConfig(JSON.stringify({ "msgraph:tenantId": "t" })), []);
            assert.throws(() => protectedGroupsFromStackConfig(JSON.stringify({ "msgraph:protectedGroupIds": "[1, 2]" })), /msgraph:protectedGroupIds must be a JSON array of group id strings/);
        });
    });
});
