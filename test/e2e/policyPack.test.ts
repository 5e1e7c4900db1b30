/**
 * The policy pack (policy-pack/) under the real Pulumi CLI and its Node.js language host, as users run it:
 * `pulumi up|preview --policy-pack policy-pack` on a TypeScript-style program, and `msgraph-assignments up
 * --policy-pack` on a configuration repository. One emulator and one stack; each program change is one config set.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { newStateDir, providerConfigFor, pulumiEnvironment, repoRoot, type PulumiEnvironment } from "../../scripts/pulumiEnvironment";
import { runProcess } from "../support/runProcess";
import { initCliProject, skipWithoutLanguageHost, type CliProject } from "./cliProject";

const KIND = "GroupPolicyConfigurationAssignment";
const P1 = "1a1a1a1a-0000-4000-8000-000000000001";
const P2 = "2b2b2b2b-0000-4000-8000-000000000002";
const P3 = "3c3c3c3c-0000-4000-8000-000000000003";
const G1 = "aaaaaaaa-1111-4111-8111-000000000001";
const G2 = "aaaaaaaa-2222-4222-8222-000000000002";
const BREAK_GLASS = "bbbbbbbb-9999-4999-8999-000000000009"; // protected in the pack config
const STACK_PROTECTED = "cccccccc-8888-4888-8888-000000000008"; // protected in the stack config
const FILTER = "dddddddd-7777-4777-8777-000000000007";

const group = (groupId: string) => ({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId });
const exclusion = (groupId: string) => ({ "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId });
const allDevices = (filter?: string) => ({
    "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget",
    ...(filter ? { deviceAndAppManagementAssignmentFilterId: filter, deviceAndAppManagementAssignmentFilterType: "include" } : {}),
});
const assignment = (name: string, policyId: string, target: object) => ({ kind: KIND, name, args: { policyId, target } });

/** The program: one SDK resource per entry of the stack's `test:assignments` config. */
const PROGRAM = `const pulumi = require("@pulumi/pulumi");
const sdk = require("pulumi-msgraph-assignments");
for (const a of new pulumi.Config("test").requireObject("assignments")) new sdk[a.kind](a.name, a.args);
`;

describe("policy pack: policy-pack/ under the real Pulumi CLI (pulumi up|preview --policy-pack, msgraph-assignments up --policy-pack)", function () {
    this.timeout(600_000);
    let stateDir: string | undefined;
    let emulator: RunningEmulator | undefined;
    let environment: PulumiEnvironment;
    let project: CliProject;
    const pack = path.join(repoRoot, "policy-pack");

    before(async function () {
        skipWithoutLanguageHost(this);
        stateDir = newStateDir("policy-pack");
        const dir = path.join(stateDir, "project");
        mkdirSync(dir);
        writeFileSync(path.join(dir, "Pulumi.yaml"), "name: policy-pack-e2e\nruntime: nodejs\nmain: program.js\n");
        writeFileSync(path.join(dir, "program.js"), PROGRAM);
        // The root package.json makes `require("pulumi-msgraph-assignments")` resolve to the linked dist/ (self-reference).
        copyFileSync(path.join(repoRoot, "package.json"), path.join(dir, "package.json"));
        for (const folder of ["dist", "node_modules"]) symlinkSync(path.join(repoRoot, folder), path.join(dir, folder));
        emulator = await startEmulator({
            faults: { rateLimit: false },
            seed: { groupPolicyConfigurations: [P1, P2, P3].map((id, i) => ({ id, displayName: `Policy ${i + 1}` })) },
        });
        environment = pulumiEnvironment(stateDir);
        project = await initCliProject(dir, "dev", environment, {
            ...providerConfigFor(emulator),
            "msgraph:protectedGroupIds": { value: JSON.stringify([STACK_PROTECTED]) },
        });
    });

    after(async () => {
        await emulator?.stop();
        if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    });

    const writes = () => emulator!.log().filter((e) => e.method !== "GET" && e.path.startsWith("/beta/"));
    const live = (policyId: string) => emulator!.admin.listAssignments("groupPolicyConfigurations", policyId).map((a) => a.target);
    const packConfig = (name: string, config: object) => {
        const file = path.join(stateDir!, `${name}.json`);
        writeFileSync(file, JSON.stringify(config));
        return file;
    };
    const protectedConfig = { "protected-group-included": { protectedGroupIds: [BREAK_GLASS] } };
    const setProgram = (assignments: object[]) => project.pulumi(["config", "set", "test:assignments", JSON.stringify(assignments)]);
    /** Runs a command expected to fail; returns its whole output (the helper throws with stdout and stderr). */
    const failing = async (args: string[]) => {
        const error = await project.pulumi(args).then(
            (r) => assert.fail(`pulumi ${args[0]} succeeded:\n${r.stdout}`),
            (e: Error) => e,
        );
        return error.message;
    };
    /** A violation in the CLI's output: the level and policy on one line, the resource on it or within the next lines. */
    const violation = (output: string, level: string, policy: string, resource: string) =>
        assert.match(output, new RegExp(`\\[${level}\\]\\s+${policy}\\s+\\([^)]*${resource}\\)`), `${level} ${policy} on ${resource}:\n${output}`);

    it("mandatory violations block `pulumi up` with 0 Graph writes; each policy names its resources", async () => {
        await setProgram([
            assignment("include-g1", P1, group(G1)),
            assignment("exclude-g1", P1, exclusion(G1)),
            assignment("wide-a", P2, allDevices()),
            assignment("wide-b", P2, allDevices()),
            assignment("break-glass", P2, group(BREAK_GLASS)),
            assignment("stack-protected", P1, group(STACK_PROTECTED)),
            assignment("lonely-exclusion", P3, exclusion(G2)),
        ]);
        emulator!.admin.clearLog();
        const output = await failing(["up", "--yes", "--policy-pack", pack, "--policy-pack-config", packConfig("protected", protectedConfig)]);
        violation(output, "mandatory", "group-included-and-excluded", "include-g1");
        violation(output, "mandatory", "group-included-and-excluded", "exclude-g1");
        assert.match(output, new RegExp(`${KIND} "exclude-g1" \\(policy ${P1}\\) excludes group ${G1} that "include-g1" include`));
        violation(output, "mandatory", "duplicate-assignment-target", "wide-a");
        violation(output, "mandatory", "duplicate-assignment-target", "wide-b");
        violation(output, "mandatory", "protected-group-included", "break-glass");
        violation(output, "mandatory", "protected-group-included", "stack-protected");
        assert.match(output, new RegExp(`"stack-protected" \\(policy ${P1}\\) includes protected group ${STACK_PROTECTED}`));
        violation(output, "advisory", `broad-target-without-filter-${KIND}`, "wide-a");
        violation(output, "advisory", "policy-with-only-exclusions", "lonely-exclusion");
        assert.doesNotMatch(output, /\[\w+\]\s+\S+\s+\([^)]*include-g1\)[\s\S]{0,400}?duplicate-assignment-target/, "an include/exclude pair is not also a duplicate");
        assert.deepEqual(writes(), [], "no Graph write");
    });

    it("advisory violations warn and `pulumi up` proceeds", async () => {
        await setProgram([assignment("include-g1", P1, group(G1)), assignment("wide-a", P2, allDevices()), assignment("lonely-exclusion", P3, exclusion(G2))]);
        const { stdout } = await project.pulumi(["up", "--yes", "--policy-pack", pack, "--policy-pack-config", packConfig("protected", protectedConfig)]);
        violation(stdout, "advisory", `broad-target-without-filter-${KIND}`, "wide-a");
        violation(stdout, "advisory", "policy-with-only-exclusions", "lonely-exclusion");
        assert.doesNotMatch(stdout, /\[mandatory\]/, stdout);
        assert.match(stdout, /\+ 4 created/, stdout);
        assert.deepEqual(live(P2).map((t) => [t["@odata.type"], t.deviceAndAppManagementAssignmentFilterType]), [["#microsoft.graph.allDevicesAssignmentTarget", "none"]]);
    });

    it("the pack's config changes an enforcement level: an advisory policy set to mandatory fails the preview", async () => {
        emulator!.admin.clearLog();
        const config = packConfig("strict", { ...protectedConfig, "policy-with-only-exclusions": "mandatory" });
        const output = await failing(["preview", "--policy-pack", pack, "--policy-pack-config", config]);
        violation(output, "mandatory", "policy-with-only-exclusions", "lonely-exclusion");
        violation(output, "advisory", `broad-target-without-filter-${KIND}`, "wide-a");
        assert.deepEqual(writes(), []);
    });

    it("more deletes and replacements than maxDeletesAndReplacements block `pulumi up` with 0 Graph writes", async () => {
        // include-g1 moves to P2 (policyId replaces), lonely-exclusion goes: 2 > 1.
        await setProgram([assignment("include-g1", P2, group(G1)), assignment("wide-a", P2, allDevices(FILTER))]);
        emulator!.admin.clearLog();
        const config = packConfig("limit", { ...protectedConfig, "max-deletes-and-replacements": { maxDeletesAndReplacements: 1 } });
        const output = await failing(["up", "--yes", "--policy-pack", pack, "--policy-pack-config", config]);
        assert.match(output, /\[mandatory\]\s+max-deletes-and-replacements/, output);
        assert.match(output, /deletes or replaces 2 assignments, more than maxDeletesAndReplacements \(1\)\. Deletes \(1\): lonely-exclusion\. Replacements \(1\): include-g1\./, output);
        assert.deepEqual(writes(), []);
    });

    it("a compliant program passes silently (one delete stays under the default limit of 10)", async () => {
        await setProgram([assignment("include-g1", P1, group(G1)), assignment("wide-a", P2, allDevices(FILTER))]);
        const { stdout } = await project.pulumi(["up", "--yes", "--policy-pack", pack, "--policy-pack-config", packConfig("protected", protectedConfig)]);
        assert.doesNotMatch(stdout, /\[(mandatory|advisory)\]/, stdout);
        assert.match(stdout, /~ 1 updated/, stdout);
        assert.match(stdout, /- 1 deleted/, stdout);
        assert.deepEqual(live(P3), []);
        assert.deepEqual(live(P2).map((t) => [t["@odata.type"], t.deviceAndAppManagementAssignmentFilterId]), [["#microsoft.graph.allDevicesAssignmentTarget", FILTER]]);
    });

    it("msgraph-assignments up --policy-pack on a config repository: violations in the summary file, 0 Graph writes", async () => {
        const repo = path.join(stateDir!, "config-repo");
        mkdirSync(path.join(repo, "assignments"), { recursive: true });
        writeFileSync(path.join(repo, "Pulumi.yaml"), "name: policy-pack-repo\nruntime: nodejs\n");
        writeFileSync(
            path.join(repo, "assignments", "team.yaml"),
            [
                "policies:",
                `  - kind: ${KIND}`,
                `    policyId: ${P2}`,
                "    assignments:",
                `      - { name: repo-break-glass, target: { type: group, groupId: ${BREAK_GLASS} } }`,
                "      - { name: repo-everyone, target: { type: allDevices } }",
                `  - kind: ${KIND}`,
                `    policyId: ${P3}`,
                "    assignments:",
                `      - { name: repo-exclude, target: { type: exclusionGroup, groupId: ${G2} } }`,
                "",
            ].join("\n"),
        );
        const summaryFile = path.join(stateDir!, "summary.md");
        // A stack policy made mandatory: the engine runs stack policies after an up's writes, so only the preview
        // msgraph-assignments runs first keeps Graph untouched.
        const strict = packConfig("repo", { ...protectedConfig, "policy-with-only-exclusions": "mandatory" });
        const config = Object.entries(providerConfigFor(emulator!)).flatMap(([key, { value }]) => ["--config", `${key}=${value}`]);
        emulator!.admin.clearLog();
        const result = await runProcess(
            process.execPath,
            [path.join(repoRoot, "dist", "cli", "main.js"), "up", "--stack", "repo", "--work-dir", repo, "--policy-pack", pack, "--policy-pack-config", strict, "--summary-file", summaryFile, "--quiet", ...config],
            { cwd: repo, env: { ...process.env, ...environment.envVars } },
        );
        assert.equal(result.status, 1, `${result.stdout}\n${result.stderr}`);
        assert.match(result.stderr, /mandatory policy violation msgraph-assignments\/protected-group-included on repo-break-glass: /, result.stderr);
        const summary = readFileSync(summaryFile, "utf8");
        assert.match(summary, /\*\*Policy violations: 2 mandatory, 1 advisory\.\*\*/, summary);
        assert.match(summary, new RegExp(`\\| mandatory \\| \`protected-group-included\` \\| \`repo-break-glass\` \\| [^|]*${KIND} "repo-break-glass" \\(policy ${P2}\\) includes protected group ${BREAK_GLASS}`), summary);
        assert.match(summary, /\| mandatory \| `policy-with-only-exclusions` \| `repo-exclude` \|/, summary);
        assert.match(summary, new RegExp(`\\| advisory \\| \`broad-target-without-filter-${KIND}\` \\| \`repo-everyone\` \\| .*without an assignment filter`), summary);
        assert.match(summary, /\*\*The up failed\.\*\*/, summary);
        assert.deepEqual(writes(), [], "up previewed first and wrote nothing");
    });
});
