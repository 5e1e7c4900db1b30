import assert from "node:assert/strict";
import type { EngineEvent, OpType } from "@pulumi/pulumi/automation";
import { ChangeCollector, renderChangeMarkdown, summaryLine, type ChangeSummary } from "../../../cli/changeSummary";
import type { Stack } from "@pulumi/pulumi/automation";
import { deploy, secretValuesFrom, withoutRepeats } from "../../../cli/deploy";
import { REDACTED, redactSecrets } from "../../../cli";

const TYPE = "pulumi-nodejs:dynamic/msgraph:GroupPolicyConfigurationAssignment";
const urn = (name: string, type = TYPE) => `urn:pulumi:prod::intune::${type}::${name}`;

function step(op: OpType, name: string, extra: Record<string, unknown> = {}, type = TYPE): EngineEvent {
    return {
        sequence: 1,
        timestamp: 0,
        resourcePreEvent: { metadata: { op, urn: urn(name, type), type, provider: "", ...extra } },
    } as unknown as EngineEvent;
}

describe("cli/changeSummary", () => {
    it("collects one change per resource: replace steps fold into one, plumbing and same are not changes", () => {
        const c = new ChangeCollector();
        c.onEvent(step("create", "stack", {}, "pulumi:pulumi:Stack"));
        c.onEvent(step("same", "default", {}, "pulumi:providers:pulumi-nodejs"));
        c.onEvent(step("create", "b-new", { new: { inputs: { policyId: "p1" } } }));
        c.onEvent(step("update", "a-upd", { diffs: ["target", "__provider"], new: { inputs: { policyId: "p1" } } }));
        c.onEvent(step("create-replacement", "c-rep", { keys: ["policyId"] }));
        c.onEvent(step("replace", "c-rep", { keys: ["policyId"] }));
        c.onEvent(step("delete-replaced", "c-rep", { old: { inputs: { policyId: "p0" } } }));
        c.onEvent(step("delete", "d-del", { old: { inputs: { policyId: "p2" } } }));
        c.onEvent(step("same", "e-same"));
        c.onEvent(step("refresh", "f-refreshed"));
        c.onEvent({ sequence: 2, timestamp: 0, diagnosticEvent: { message: "x", color: "never", severity: "info" } } as EngineEvent);
        assert.deepEqual(
            c.changes().map((x) => [x.change, x.name, x.kind, x.policyId, x.properties]),
            [
                ["create", "b-new", "GroupPolicyConfigurationAssignment", "p1", []],
                ["update", "a-upd", "GroupPolicyConfigurationAssignment", "p1", ["target"]],
                ["replace", "c-rep", "GroupPolicyConfigurationAssignment", "p0", ["policyId"]],
                ["delete", "d-del", "GroupPolicyConfigurationAssignment", "p2", []],
            ],
        );
        assert.equal(c.unchanged(), 1);
    });

    it("marks a create that adopted an existing assignment, from the provider's warning on the resource", () => {
        const c = new ChangeCollector();
        const warning = (name: string, message: string): EngineEvent =>
            ({ sequence: 3, timestamp: 0, diagnosticEvent: { urn: urn(name), message: `${message}\n`, color: "never", severity: "warning" } }) as unknown as EngineEvent;
        c.onEvent(step("create", "taken", { new: { inputs: { policyId: "p1" } } }));
        c.onEvent(warning("taken", "adopted existing assignment a-9 on policy p1"));
        c.onEvent(step("create", "fresh", { new: { inputs: { policyId: "p1" } } }));
        c.onEvent(warning("fresh", "some other warning"));
        assert.deepEqual(c.changes().map((x) => [x.name, x.adopted]), [["fresh", undefined], ["taken", "a-9"]]);
        const result: ChangeSummary = { operation: "up", stack: "prod", unchanged: 0, changes: c.changes() };
        assert.equal(summaryLine(result), "up of stack prod: 2 created, 0 updated, 0 replaced, 0 deleted, 0 unchanged; 1 existing assignment adopted");
        const md = renderChangeMarkdown(result);
        assert.match(md, /\| create: adopted `a-9` \| `taken` \|/);
        assert.match(md, /\| create \| `fresh` \|/);
        assert.match(md, /retainOnDelete/);
    });

    const summary: ChangeSummary = {
        operation: "preview",
        stack: "prod",
        unchanged: 3,
        changes: [
            { name: "new|one", kind: "GroupPolicyConfigurationAssignment", change: "create", urn: "u1", policyId: "p1", properties: [] },
            { name: "pilot", kind: "GroupPolicyConfigurationAssignment", change: "update", urn: "u2", policyId: "p1", properties: ["target"] },
        ],
    };

    it("renders a one-line summary for previews, ups and failures", () => {
        assert.equal(summaryLine(summary), "preview of stack prod: 1 to create, 1 to update, 0 to replace, 0 to delete, 3 unchanged");
        assert.equal(summaryLine({ ...summary, operation: "up" }), "up of stack prod: 1 created, 1 updated, 0 replaced, 0 deleted, 3 unchanged");
        assert.equal(summaryLine({ ...summary, errors: ["error: boom", "error: two"] }), "preview of stack prod failed: error: boom");
        assert.equal(summaryLine({ ...summary, errors: ["x".repeat(500)] }), `preview of stack prod failed: ${"x".repeat(239)}…`);
    });

    it("renders Markdown with a row per change (pipes escaped, changed properties named), no changes, and failures", () => {
        const md = renderChangeMarkdown(summary);
        assert.match(md, /^### Assignment changes planned: stack `prod`/);
        assert.match(md, /\*\*1 to create\*\*, \*\*1 to update\*\*, 0 to replace, 0 to delete, 3 unchanged/);
        assert.match(md, /\| create \| `new\\\|one` \| GroupPolicyConfigurationAssignment \| `p1` \|  \|/);
        assert.match(md, /\| update \| `pilot` \| GroupPolicyConfigurationAssignment \| `p1` \| `target` \|/);
        assert.match(renderChangeMarkdown({ ...summary, changes: [] }), /No changes: all 3 assignment\(s\) already match/);
        const failed = renderChangeMarkdown({ ...summary, operation: "up", errors: ["error: ```bad```"] });
        assert.match(failed, /Assignment changes applied.*\n\n\*\*The up failed\.\*\*/);
        assert.match(failed, /```text\nerror: '''bad'''\n```/);
    });

    it("finds secret values in the environment and removes them from text", () => {
        const secrets = secretValuesFrom({ PULUMI_CONFIG_PASSPHRASE: "pass-phrase", SYSTEM_ACCESSTOKEN: "pass-phrase-and-more", AZURE_TENANT_ID: "not-a-secret", AZURE_CLIENT_SECRET: "abc", PULUMI_ACCESS_TOKEN: "pul5" }, ["cfg-secret"]);
        assert.deepEqual(secrets, ["pass-phrase-and-more", "pass-phrase", "cfg-secret", "pul5"], "longest first; values shorter than 4 characters ignored");
        assert.equal(
            redactSecrets("a pass-phrase-and-more b pass-phrase c cfg-secret d pul5 not-a-secret", secrets),
            `a ${REDACTED} b ${REDACTED} c ${REDACTED} d ${REDACTED} not-a-secret`,
        );
    });

    it("redacts the engine's output and error lines with the provider's redaction: short secrets, bearer tokens and JWTs", async () => {
        const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJl";
        const secrets = secretValuesFrom({ PULUMI_CONFIG_PASSPHRASE: "k3y5" }, ["cfg-secret-value"]);
        const printed = `passphrase k3y5, config cfg-secret-value, Authorization: Bearer opaque.token-value, token ${jwt}\n`;
        let output = "";
        const stack = {
            name: "prod",
            preview: async (run: { onOutput?: (text: string) => void }) => {
                run.onOutput?.(printed);
                throw new Error(`error: ${printed}`);
            },
        } as unknown as Stack;
        const result = await deploy({ stack, operation: "preview", secrets, onOutput: (text) => (output += text) });
        assert.equal(result.exitCode, 1);
        const expected = `passphrase ${REDACTED}, config ${REDACTED}, Authorization: Bearer ${REDACTED}, token ${REDACTED}`;
        assert.equal(output, `${expected}\n`);
        assert.deepEqual(result.summary.errors, [`error: ${expected}`]);
    });

    it("folds an error line repeated at the end of a longer one", () => {
        assert.deepEqual(withoutRepeats(["Unhandled exception: E: boom", "boom", "boom", "other"]), ["Unhandled exception: E: boom", "other"]);
    });
});
