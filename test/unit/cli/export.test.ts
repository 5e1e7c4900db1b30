import assert from "node:assert/strict";
import * as yaml from "js-yaml";
import { exportAssignments, exportKinds } from "../../../cli/export";
import { fakeGraph } from "../engine/fakeGraph";

const POLICY = "5b0f3c1e-7a2d-4c8b-9e61-0d4f2a9c7b10";
const groupId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

describe("cli/export exportAssignments", () => {
    it("reads the kind's list route to its last page (@odata.nextLink) and exports every assignment", async () => {
        const fake = fakeGraph({ pageSize: 2 });
        fake.lists.set(
            POLICY,
            [1, 2, 3, 4, 5].map((n) => ({ id: `a${n}`, target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: groupId(n) } })),
        );
        const result = await exportAssignments({ client: fake.client, policies: [{ kind: "GroupPolicyConfigurationAssignment", policyId: POLICY }] });
        assert.equal(result.assignments, 5);
        const doc = yaml.load(result.yaml) as { policies: { assignments: { target: { groupId: string } }[] }[] };
        assert.deepEqual(doc.policies[0]!.assignments.map((a) => a.target.groupId), [1, 2, 3, 4, 5].map(groupId));
        const pages = fake.requests.filter((r) => r.path.includes("/assignments"));
        assert.equal(pages.length, 3, JSON.stringify(pages));
    });

    it("refuses an unknown kind, listing the registry's kinds", async () => {
        const fake = fakeGraph();
        await assert.rejects(
            exportAssignments({ client: fake.client, policies: [{ kind: "NoSuchAssignment", policyId: POLICY }] }),
            /unknown kind NoSuchAssignment; expected one of: GroupPolicyConfigurationAssignment/,
        );
        assert.equal(fake.requests.length, 0);
    });

    it("names a policy Graph does not have", async () => {
        const fake = fakeGraph();
        await assert.rejects(
            exportAssignments({ client: fake.client, policies: [{ kind: "GroupPolicyConfigurationAssignment", policyId: POLICY }] }),
            new RegExp(`policy ${POLICY} \\(GroupPolicyConfigurationAssignment\\) was not found`),
        );
    });
});

describe("exportKinds", () => {
    it("exports a policy collection once: the kind whose policy route is the collection's own", () => {
        const kinds = exportKinds();
        assert.ok(kinds.includes("CloudPcProvisioningPolicyAssignment"));
        assert.ok(!kinds.includes("ProvisioningPolicyAssignment"), "the draft route reads the same Windows 365 policies");
        assert.ok(kinds.includes("GroupPolicyConfigurationAssignment"));
        assert.deepEqual(exportKinds(["ProvisioningPolicyAssignment"]), ["ProvisioningPolicyAssignment"], "a kind chosen alone is exported");
    });
});
