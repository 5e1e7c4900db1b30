import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { configFlags, main, parseArgs, parsePolicyRef, stackLocation } from "../../../cli/main";

function collect() {
    const stream = new PassThrough();
    let text = "";
    stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
    return { stream, text: () => text };
}

describe("cli/main argument handling", () => {
    it("parses a command with value, repeated and boolean flags", () => {
        assert.deepEqual(parseArgs(["drift", "--stack", "dev", "--config=msgraph:a=1", "--config", "b=2", "--quiet"]), {
            command: "drift",
            flags: { stack: ["dev"], config: ["msgraph:a=1", "b=2"], quiet: ["true"] },
        });
    });

    it("rejects unknown options and missing values", () => {
        assert.throws(() => parseArgs(["drift", "--nope"]), /unknown option --nope/);
        assert.throws(() => parseArgs(["drift", "--stack"]), /--stack needs a value/);
        assert.throws(() => parseArgs(["drift", "--stack", "--quiet"]), /--stack needs a value/);
    });

    it("reads --config into msgraph keys and policy references", () => {
        assert.deepEqual(configFlags(["tenantId=t", "msgraph:clientId=c=d"]), { "msgraph:tenantId": "t", "msgraph:clientId": "c=d" });
        assert.throws(() => configFlags(["novalue"]), /<key>=<value>/);
        assert.deepEqual(parsePolicyRef("GroupPolicyConfigurationAssignment:abc"), { kind: "GroupPolicyConfigurationAssignment", policyId: "abc" });
        assert.throws(() => parsePolicyRef("Nope:abc"), /Kind one of/);
    });

    it("exits 1 with usage on a bad command line, 0 on --help", async () => {
        const out = collect();
        const err = collect();
        assert.equal(await main(["frobnicate"], out.stream, err.stream), 1);
        assert.match(err.text(), /unknown command "frobnicate"/);
        assert.equal(await main(["--help"], out.stream, err.stream), 0);
        assert.match(out.text(), /msgraph-assignments drift/);
        assert.equal(await main(["export"], out.stream, err.stream), 1);
        assert.match(err.text(), /--policy/);
        assert.equal(await main(["drift", "--work-dir", "/nonexistent-dir"], out.stream, err.stream), 1);
        assert.match(err.text(), /--stack is required/);
    });

    it("parses preview and up options", () => {
        const args = parseArgs(["preview", "--stack", "prod", "--work-dir", "w", "--repo=r", "--refresh", "--diff", "--summary-file", "s.md", "--backend-url", "file:///b"]);
        assert.deepEqual(args, {
            command: "preview",
            flags: { stack: ["prod"], "work-dir": ["w"], repo: ["r"], refresh: ["true"], diff: ["true"], "summary-file": ["s.md"], "backend-url": ["file:///b"] },
        });
        assert.deepEqual(stackLocation(args.flags), { stackName: "prod", workDir: path.resolve("w"), backendUrl: "file:///b" });
        assert.throws(() => stackLocation({}), /--stack is required/);
        assert.throws(() => stackLocation({ stack: ["a", "b"] }), /--stack given more than once/);
        assert.throws(() => parseArgs(["up", "--summary-file"]), /--summary-file needs a value/);
    });

    it("preview and up fail fast (exit 1) on an invalid repository, listing every problem in the summary file too", async () => {
        const dir = mkdtempSync(path.join(os.tmpdir(), "cli-deploy-"));
        try {
            writeFileSync(path.join(dir, "Pulumi.yaml"), "name: t\nruntime: nodejs\n");
            mkdirSync(path.join(dir, "assignments"));
            writeFileSync(path.join(dir, "assignments", "team.yaml"), "policies:\n  - kind: Nope\n");
            for (const command of ["preview", "up"]) {
                const out = collect();
                const err = collect();
                const summaryFile = path.join(dir, `${command}.md`);
                const code = await main([command, "--stack", "prod", "--work-dir", dir, "--summary-file", summaryFile], out.stream, err.stream);
                assert.equal(code, 1);
                assert.match(err.text(), new RegExp(`msgraph-assignments ${command}: assignments/team\\.yaml: policies\\[0\\]: kind: must be one of`));
                assert.match(out.text(), new RegExp(`^${command} of stack prod failed: assignments/team\\.yaml`));
                assert.match(readFileSync(summaryFile, "utf8"), new RegExp(`\\*\\*The ${command} failed\\.\\*\\*[\\s\\S]*kind: must be one of`));
            }
            rmSync(path.join(dir, "assignments", "team.yaml"));
            const err = collect();
            assert.equal(await main(["up", "--stack", "prod", "--work-dir", dir], collect().stream, err.stream), 1);
            assert.match(err.text(), /no assignment files/);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("preview and up refuse a --policy-pack folder without PulumiPolicy.yaml before anything else runs", async () => {
        const dir = mkdtempSync(path.join(os.tmpdir(), "cli-pack-"));
        try {
            for (const command of ["preview", "up"]) {
                const err = collect();
                assert.equal(await main([command, "--stack", "prod", "--work-dir", dir, "--policy-pack", dir], collect().stream, err.stream), 1);
                assert.match(err.text(), new RegExp(`msgraph-assignments ${command}: --policy-pack .*cli-pack-\\w+: no PulumiPolicy\\.yaml there; expected a policy pack folder such as node_modules/pulumi-msgraph-assignments/policy-pack`));
            }
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
