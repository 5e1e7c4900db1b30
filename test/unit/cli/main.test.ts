import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEFAULT_PARALLEL, MAX_PARALLEL, SUBCOMMANDS, subcommandSpec } from "../../../cli/commandLine";
import { configFlags, main, parallelFlag, parseArgs, parsePolicyRef, stackLocation, USAGE } from "../../../cli/main";
import { subcommandUsage, UsageError } from "../../../cli/options";

function collect() {
    const stream = new PassThrough();
    let text = "";
    stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
    return { stream, text: () => text };
}

describe("cli/main argument handling", () => {
    it("parses a subcommand with value, repeated and boolean options (long, --name=value and short forms)", () => {
        assert.deepEqual(parseArgs(["drift", "--stack", "dev", "--config=msgraph:a=1", "--config", "b=2", "--quiet"]), {
            command: "drift",
            values: { stack: "dev", config: ["msgraph:a=1", "b=2"], quiet: true },
        });
        assert.deepEqual(parseArgs(["drift", "-s", "dev", "-q"]).values, { stack: "dev", quiet: true });
    });

    it("refuses, naming the option and the subcommand: unknown options, missing values, repeats, values of booleans, stray arguments", () => {
        const refused = (argv: string[], message: RegExp) =>
            assert.throws(() => parseArgs(argv), (e: Error) => UsageError.isUsageError(e) && message.test(e.message) && !e.message.includes("\n"));
        refused(["drift", "--nope"], /^msgraph-assignments drift: unknown option --nope; see msgraph-assignments drift --help$/);
        refused(["drift", "-x"], /^msgraph-assignments drift: unknown option -x/);
        refused(["drift", "--stack"], /^msgraph-assignments drift: --stack needs a value \(--stack <name>\)$/);
        refused(["drift", "--stack", "--quiet"], /--stack needs a value/);
        refused(["drift", "--stack", "a", "--stack", "b"], /^msgraph-assignments drift: --stack given more than once$/);
        refused(["drift", "--quiet=yes"], /--quiet takes no value/);
        refused(["up", "--stack", "a", "extra"], /^msgraph-assignments up: unexpected argument "extra"/);
        refused(["preview", "--stack", "a", "--checkpoints"], /^msgraph-assignments preview: unknown option --checkpoints/);
        refused(["export", "--stack", "a"], /^msgraph-assignments export: unknown option --stack/);
        refused(["frobnicate"], /^msgraph-assignments: unknown subcommand "frobnicate"; expected one of preview, up, drift, export/);
        refused(["--stack", "a", "drift"], /^msgraph-assignments: --stack before the subcommand/);
        refused([], /no subcommand/);
    });

    it("takes every option of each subcommand's table, and the table's options are the ones its help lists", () => {
        for (const spec of SUBCOMMANDS) {
            const argv = [spec.name, ...spec.options.filter((o) => o.name !== "help").flatMap((o) => (o.type === "string" ? [`--${o.name}`, "v"] : [`--${o.name}`]))];
            const values = parseArgs(argv).values;
            for (const option of spec.options.filter((o) => o.name !== "help")) {
                assert.deepEqual(values[option.name], option.type === "boolean" ? true : option.multiple ? ["v"] : "v", `${spec.name} --${option.name}`);
            }
            const usage = subcommandUsage("msgraph-assignments", spec);
            for (const option of spec.options) assert.match(usage, new RegExp(`--${option.name}\\b`), `${spec.name} --help lists --${option.name}`);
        }
    });

    it("keeps the options of every subcommand: none dropped or renamed", () => {
        const names = (command: string) => subcommandSpec(command)!.options.map((o) => o.name).sort();
        const stackOptions = ["stack", "work-dir", "backend-url", "pulumi", "config", "json", "quiet", "help"];
        const deployOptions = [...stackOptions, "repo", "refresh", "diff", "parallel", "summary-file", "policy-pack", "policy-pack-config"];
        assert.deepEqual(names("preview"), [...deployOptions].sort());
        assert.deepEqual(names("up"), [...deployOptions, "checkpoints", "stop-on-error"].sort());
        assert.deepEqual(names("drift"), [...stackOptions, "report-dir"].sort());
        assert.deepEqual(names("export"), ["policy", "out", "all", "kind", "out-dir", "config", "quiet", "help"].sort());
    });

    it("reads --parallel as a whole number from 1 to the maximum, the default when absent, and refuses anything else by name", () => {
        assert.equal(parallelFlag(undefined), DEFAULT_PARALLEL);
        assert.equal(parallelFlag("1"), 1);
        assert.equal(parallelFlag(String(MAX_PARALLEL)), MAX_PARALLEL);
        for (const bad of ["0", "-3", "2.5", "1e3", "", "many", " 8", String(MAX_PARALLEL + 1)]) {
            assert.throws(() => parallelFlag(bad), (e: Error) => UsageError.isUsageError(e) && e.message === `--parallel expects a whole number from 1 to ${MAX_PARALLEL}, got "${bad}"`, bad);
        }
    });

    it("reads --config into msgraph keys and policy references", () => {
        assert.deepEqual(configFlags(["tenantId=t", "msgraph:clientId=c=d"]), { "msgraph:tenantId": "t", "msgraph:clientId": "c=d" });
        assert.throws(() => configFlags(["novalue"]), /<key>=<value>/);
        assert.deepEqual(parsePolicyRef("GroupPolicyConfigurationAssignment:abc"), { kind: "GroupPolicyConfigurationAssignment", policyId: "abc" });
        assert.throws(() => parsePolicyRef("Nope:abc"), /Kind one of/);
    });

    it("exits 1 with one line on a command line that does not parse (never drift's 2), 1 when a subcommand fails, 0 on --help", async () => {
        for (const [argv, line] of [
            [["frobnicate"], 'msgraph-assignments: unknown subcommand "frobnicate"; expected one of preview, up, drift, export (see msgraph-assignments --help)\n'],
            [["drift", "--stak", "dev"], "msgraph-assignments drift: unknown option --stak; see msgraph-assignments drift --help\n"],
        ] as const) {
            const out = collect();
            const err = collect();
            assert.equal(await main(argv, out.stream, err.stream), 1);
            assert.equal(err.text(), line, "one line, no usage dump, no stack trace");
            assert.equal(out.text(), "");
        }
        const out = collect();
        const err = collect();
        assert.equal(await main(["export"], out.stream, err.stream), 1);
        assert.match(err.text(), /--policy/);
        assert.equal(await main(["drift", "--work-dir", "/nonexistent-dir"], out.stream, err.stream), 1);
        assert.match(err.text(), /--stack is required/);
    });

    it("--help lists the subcommands; <subcommand> --help prints that subcommand's usage from its table", async () => {
        const top = collect();
        assert.equal(await main(["--help"], top.stream, collect().stream), 0);
        assert.equal(top.text(), USAGE);
        for (const spec of SUBCOMMANDS) assert.match(top.text(), new RegExp(`^  msgraph-assignments ${spec.name} `, "m"));
        assert.match(top.text(), /msgraph-assignments preview --stack <name> \[options\]/);
        for (const spec of SUBCOMMANDS) {
            const out = collect();
            assert.equal(await main([spec.name, "--help"], out.stream, collect().stream), 0);
            assert.equal(out.text(), subcommandUsage("msgraph-assignments", spec));
            assert.match(out.text(), new RegExp(`^usage: msgraph-assignments ${spec.name} `));
        }
        const short = collect();
        assert.equal(await main(["drift", "-h"], short.stream, collect().stream), 0);
        assert.match(short.text(), /--report-dir <dir>\s+Writes drift-report\.json/);
    });

    it("parses preview and up options", () => {
        const args = parseArgs(["preview", "--stack", "prod", "--work-dir", "w", "--repo=r", "--refresh", "--diff", "--summary-file", "s.md", "--backend-url", "file:///b"]);
        assert.deepEqual(args, {
            command: "preview",
            values: { stack: "prod", "work-dir": "w", repo: "r", refresh: true, diff: true, "summary-file": "s.md", "backend-url": "file:///b" },
        });
        assert.deepEqual(stackLocation(args.values), { stackName: "prod", workDir: path.resolve("w"), backendUrl: "file:///b" });
        assert.throws(() => stackLocation({}), /--stack is required/);
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
