import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { automation } from "@pulumi/pulumi";
import { detectDrift, renderMarkdown, renderTable, roundRobinOrder, writeDriftReports, type DriftReport } from "../../../cli/drift";

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

describe("detectDrift", () => {
    it("leaves read-only references (the SDK's get) out: they are no desired state, and nothing is read for them", async () => {
        const reference = {
            urn: "urn:pulumi:prod::p::pulumi-nodejs:dynamic/msgraph:GroupPolicyConfigurationAssignment::existing",
            type: "pulumi-nodejs:dynamic/msgraph:GroupPolicyConfigurationAssignment",
            id: "a1",
            external: true,
            inputs: { policyId: "5b0f3c1e-7a2d-4c8b-9e61-0d4f2a9c7b10" },
            outputs: { policyId: "5b0f3c1e-7a2d-4c8b-9e61-0d4f2a9c7b10", assignmentId: "a1", target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } },
        };
        const stack = {
            name: "prod",
            exportStack: async () => ({ version: 3, deployment: { resources: [reference] } }),
            getAllConfig: async () => ({}),
        } as unknown as automation.Stack;
        const config = {
            "msgraph:tenantId": "6f1d9c4e-2b7a-4e3f-9a51-0c8d7e6b5a42",
            "msgraph:clientId": "b4e2f7a1-93c6-4d58-8e0f-2a1c6d9b7e35",
            "msgraph:clientSecret": "unused",
            "msgraph:graphBaseUrl": "https://127.0.0.1:9",
            "msgraph:authorityHost": "https://127.0.0.1:9",
        };
        const result = await detectDrift({ stack, config });
        assert.equal(result.error, undefined);
        assert.equal(result.exitCode, 0);
        assert.equal(result.report?.checked, 0);
    });
});
