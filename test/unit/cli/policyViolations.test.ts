import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { renderChangeMarkdown } from "../../../cli/changeSummary";
import { distinctViolations, violationLines, violationOf } from "../../../cli/policyViolations";
import { repoRoot } from "../../../scripts/pulumiEnvironment";

const event = (resourceUrn: string | undefined, enforcementLevel: "warning" | "mandatory", message: string): EngineEvent =>
    ({
        sequence: 1,
        timestamp: 0,
        policyEvent: { ...(resourceUrn ? { resourceUrn } : {}), message, color: "never", policyName: "p", policyPackName: "msgraph-assignments", policyPackVersion: "0.1.0", policyPackVersionTag: "v0.1.0", enforcementLevel },
    }) as EngineEvent;

describe("cli: policy violations from engine events", () => {
    it("takes the resource name from the URN, none for the stack; warning is advisory; color directives go", () => {
        const urn = "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/msgraph:GroupPolicyConfigurationAssignment::wide";
        assert.deepEqual(violationOf(event(urn, "warning", "<{%fg 3%}>needs a filter<{%reset%}>\n")), { pack: "msgraph-assignments", policy: "p", level: "advisory", resource: "wide", message: "needs a filter" });
        assert.equal(violationOf(event("urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev", "mandatory", "too many"))!.resource, undefined);
        assert.equal(violationOf({ sequence: 1, timestamp: 0 } as EngineEvent), undefined);
    });

    it("de-duplicates (a preview and its up report the same) and lists mandatory first", () => {
        const a = violationOf(event(undefined, "warning", "a"))!;
        const b = violationOf(event(undefined, "mandatory", "b"))!;
        assert.deepEqual(distinctViolations([a, b, a]), [b, a]);
        assert.deepEqual(violationLines([b]), ["mandatory policy violation msgraph-assignments/p: b"]);
    });

    it("the summary file lists them above the changes, also when the run failed", () => {
        const v = violationOf(event("urn:pulumi:dev::proj::t::wide", "mandatory", "x | y"))!;
        const markdown = renderChangeMarkdown({ operation: "preview", stack: "prod", changes: [], unchanged: 0, errors: ["preview failed"], policyViolations: [v] });
        assert.match(markdown, /\*\*Policy violations: 1 mandatory, 0 advisory\.\*\* Mandatory violations block the deployment\./);
        assert.match(markdown, /\| mandatory \| `p` \| `wide` \| x \\\| y \|/);
        assert.ok(markdown.indexOf("Policy violations") < markdown.indexOf("The preview failed"));
        assert.doesNotMatch(renderChangeMarkdown({ operation: "preview", stack: "prod", changes: [], unchanged: 1, policyViolations: [] }), /Policy violations/);
    });

    it("the shipped pack's version is the package's, and the package exports ./policy", () => {
        const root = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string; exports: Record<string, unknown>; files: string[] };
        const pack = JSON.parse(readFileSync(path.join(repoRoot, "policy-pack", "package.json"), "utf8")) as { version: string };
        assert.equal(pack.version, root.version);
        assert.ok(root.exports["./policy"]);
        assert.ok(root.files.includes("policy-pack/") && root.files.includes("dist/policy/"));
    });
});
