import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { renderMarkdown, renderTable, roundRobinOrder, writeDriftReports, type DriftReport } from "../../../cli/drift";

const report: DriftReport = {
    stack: "prod",
    checkedAt: "2026-11-25T06:00:00.000Z",
    checked: 3,
    drifted: [
        {
            name: "baseline-engineers",
            urn: "urn:pulumi:prod::p::pulumi-nodejs:dynamic/msgraph:GroupPolicyConfigurationAssignment::baseline-engineers",
            kind: "GroupPolicyConfigurationAssignment",
            policyId: "5b0f3c1e-7a2d-4c8b-9e61-0d4f2a9c7b10",
            assignmentId: "a1",
            status: "changed",
            changes: [{ property: "target.deviceAndAppManagementAssignmentFilterType", before: "include", after: "exclude" }],
        },
        {
            name: "w365|pipe",
            urn: "u2",
            kind: "ProvisioningPolicyAssignment",
            policyId: "2e4a6c8e-1b3d-4f5a-8c7e-9a0b1c2d3e4f",
            assignmentId: "a2",
            status: "deleted",
            changes: [{ property: "groupId", before: "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f", after: undefined }],
        },
    ],
};

describe("cli/drift reports", () => {
    it("renders a Markdown table for a PR comment, escaping pipes", () => {
        const md = renderMarkdown(report);
        assert.match(md, /^### Assignment drift: stack `prod`/);
        assert.match(md, /\*\*2\*\* of 3 assignment\(s\) drifted/);
        assert.match(md, /\| baseline-engineers \| GroupPolicyConfigurationAssignment \| changed \| `target\.deviceAndAppManagementAssignmentFilterType` \| `include` \| `exclude` \|/);
        assert.match(md, /\| w365\\\|pipe \| ProvisioningPolicyAssignment \| deleted \| `groupId` \| `6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f` \| `\(deleted\)` \|/);
    });

    it("says so when there is no drift", () => {
        const clean = { ...report, drifted: [] };
        assert.match(renderMarkdown(clean), /No drift: all 3 assignment\(s\) match/);
        assert.match(renderTable(clean), /^No drift: 3 assignment\(s\) checked in stack prod/);
    });

    it("renders an aligned terminal table and writes both files", () => {
        const table = renderTable(report).split("\n");
        assert.match(table[0]!, /2 of 3 assignment\(s\) drifted in stack prod/);
        assert.match(table[1]!, /^Assignment\s+Kind\s+Status\s+Property\s+Expected \(state\)\s+Live \(Graph\)$/);
        const dir = mkdtempSync(path.join(os.tmpdir(), "drift-unit-"));
        try {
            const files = writeDriftReports(report, dir);
            assert.deepEqual(JSON.parse(readFileSync(files.json, "utf8")).drifted[0].changes[0].after, "exclude");
            assert.equal(readFileSync(files.markdown, "utf8"), renderMarkdown(report));
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("roundRobinOrder", () => {
    it("takes the first item of every group first, keeping order inside a group", () => {
        const items = ["a1", "a2", "a3", "b1", "c1", "c2"];
        assert.deepEqual(roundRobinOrder(items, (x) => x[0]!).map((i) => items[i]), ["a1", "b1", "c1", "a2", "c2", "a3"]);
    });

    it("visits every index exactly once", () => {
        const items = Array.from({ length: 97 }, (_, i) => i % 7);
        const order = roundRobinOrder(items, String);
        assert.deepEqual([...order].sort((x, y) => x - y), items.map((_, i) => i));
    });
});
