import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { configFlags, main, parseArgs, parsePolicyRef } from "../../../cli/main";

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
});
