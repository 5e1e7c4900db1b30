/**
 * examples/sdk-program as a user would consume it: the package packed with `npm pack`, installed from the tarball
 * into a copy of the example, the example compiled with tsc, and its program run from that copy under the real
 * Pulumi CLI against the emulator. Proves the published files are enough (exports, typings, the provider the
 * engine's plugin `require`s from state) and that the plugin loads the INSTALLED package, not the repository.
 */
import assert from "node:assert/strict";
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { createInlineStack, newStateDir, providerConfigFor, pulumiEnvironment, repoRoot } from "../../scripts/pulumiEnvironment";
import { dynamicProviderScript, runningProcesses } from "../support/processes";
import { stepTimings } from "../support/timings";
import { exampleIds as ids, exampleSeed, installExampleCopy, packageName, type PackResult } from "./sdkExampleCopy";

/** A dynamic-provider process started by this test's engine, as /proc shows it. */
interface ProviderProcess {
    readonly pid: number;
    readonly cwd: string;
    readonly script: string;
}

describe("examples/sdk-program from the npm pack tarball, installed and run as a user would", function () {
    this.timeout(600_000);
    let stateDir: string;
    let copy: string;
    let emulator: RunningEmulator;
    let stack: Stack;
    let packed: PackResult | undefined;
    const providers = new Map<number, ProviderProcess>();
    const { timed, summary: timingSummary } = stepTimings();

    before(async () => {
        stateDir = newStateDir("sdk-example");
        const installed = installExampleCopy(stateDir, { compile: true, timed });
        copy = installed.dir;
        packed = installed.packed;
        emulator = await startEmulator({ seed: exampleSeed });

        // An inline program must use the @pulumi/pulumi of the Automation API that runs it: a second copy in the same
        // process builds gRPC messages the first one's engine client rejects ("13 INTERNAL: Request message
        // serialization failure"). A user's own Automation API program has one copy; here the copy's @pulumi/pulumi
        // (the only module the SDK and the program import from it) is made the test's through require.cache. The
        // engine's plugin process is not touched: it runs the copy's installed tree as it is.
        const ours = require.resolve("@pulumi/pulumi");
        const theirs = createRequire(path.join(copy, "index.js")).resolve("@pulumi/pulumi");
        assert.ok(theirs.startsWith(path.join(copy, "node_modules") + path.sep), `the copy has its own @pulumi/pulumi: ${theirs}`);
        const shared = require.cache[ours];
        assert.ok(shared, "the test has loaded @pulumi/pulumi");
        require.cache[theirs] = shared;
        const version = (from: string) => (JSON.parse(readFileSync(path.join(from, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as { version: string }).version;
        console.log(`      @pulumi/pulumi: installed in the copy ${version(copy)}, the test's ${version(repoRoot)}`);

        // The program comes from the installed copy, so it imports the copy's pulumi-msgraph-assignments.
        const programFile = path.join(copy, "bin", "program.js");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const loaded = require(programFile) as { program?: unknown };
        assert.equal(typeof loaded.program, "function", `${programFile} exports program()`);
        const project = installed.project;
        stack = await createInlineStack({
            projectName: project,
            stackName: "dev",
            program: loaded.program as PulumiFn,
            workDir: copy,
            environment: pulumiEnvironment(stateDir),
            config: {
                ...providerConfigFor(emulator),
                ...Object.fromEntries(Object.entries(ids).map(([key, value]) => [`${project}:${key}`, { value }])),
            },
        });
    });

    after(async () => {
        console.log(`      timings: ${timingSummary()}`);
        await emulator?.stop();
        if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    });

    const groupPolicyAssignments = () => emulator.admin.listAssignments("groupPolicyConfigurations", ids.baselinePolicyId);
    const cloudPcAssignments = () => emulator.admin.listAssignments("provisioningPolicies", ids.cloudPcPolicyId);
    const graphWrites = () => emulator.log().filter((e) => e.method !== "GET" && e.path.startsWith("/beta/"));

    it("installs the package as a real folder from the tarball, and the program imports it from there", () => {
        const installed = path.join(copy, "node_modules", packageName);
        const stat = lstatSync(installed);
        assert.ok(stat.isDirectory() && !stat.isSymbolicLink(), `${installed} is a directory, not a link back to the repository`);
        // Resolved as a module of the copy would (this test file's own package would resolve its name to itself).
        const fromCopy = createRequire(path.join(copy, "index.js"));
        for (const request of [packageName, `${packageName}/provider`]) {
            const resolved = fromCopy.resolve(request);
            assert.ok(realpathSync(resolved).startsWith(realpathSync(installed) + path.sep), `${request} resolves to ${resolved}`);
        }
        // What is installed is the tarball this run packed: same integrity, same files.
        const lock = JSON.parse(readFileSync(path.join(copy, "package-lock.json"), "utf8")) as { packages: Record<string, { integrity?: string }> };
        assert.ok(packed);
        assert.equal(lock.packages[`node_modules/${packageName}`]?.integrity, packed.integrity, "installed from the packed tarball");
        const installedFiles = readdirSync(installed, { recursive: true, withFileTypes: true })
            .filter((entry) => entry.isFile() && !entry.parentPath.startsWith(path.join(installed, "node_modules")))
            .map((entry) => path.relative(installed, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"));
        assert.deepEqual(installedFiles.sort(), packed.files.map((f) => f.path).sort());
        assert.ok(installedFiles.includes("dist/sdk/index.d.ts") && installedFiles.includes("dist/provider/index.js"), "typings and the provider are installed");
        // The module the compiled program got for `require("pulumi-msgraph-assignments")` is the installed SDK.
        const program = require.cache[path.join(copy, "bin", "program.js")];
        assert.ok(program, "the program was loaded from the copy");
        const sdk = program.children.filter((child) => child.filename.endsWith(path.join("dist", "sdk", "index.js")));
        assert.equal(sdk.length, 1, program.children.map((child) => child.filename).join("\n"));
        assert.ok(sdk[0]!.filename.startsWith(installed + path.sep), `the program's SDK is ${sdk[0]!.filename}`);
    });

    it("up creates the three assignments in Graph", async () => {
        const { summary, outputs, stdout } = await timed("up (create)", () => watchProviders(providers, () => stack.up()));
        assert.equal(summary.resourceChanges?.create, 4, stdout); // 3 assignments + the stack

        const baseline = groupPolicyAssignments();
        assert.equal(baseline.length, 2, JSON.stringify(baseline));
        const pilot = baseline.find((a) => a.target["@odata.type"] === "#microsoft.graph.groupAssignmentTarget");
        assert.deepEqual(pilot?.target, {
            "@odata.type": "#microsoft.graph.groupAssignmentTarget",
            groupId: ids.pilotGroupId,
            deviceAndAppManagementAssignmentFilterId: ids.pilotFilterId,
            deviceAndAppManagementAssignmentFilterType: "include",
        });
        const excluded = baseline.find((a) => a.target["@odata.type"] === "#microsoft.graph.exclusionGroupAssignmentTarget");
        assert.equal(excluded?.target.groupId, ids.excludedGroupId);
        const cloudPcs = cloudPcAssignments();
        assert.equal(cloudPcs.length, 1, JSON.stringify(cloudPcs));
        assert.equal(cloudPcs[0]?.target.groupId, ids.cloudPcGroupId);

        assert.equal(outputs.baselinePilotAssignmentId?.value, pilot?.id);
        assert.equal(outputs.baselineExcludedAssignmentId?.value, excluded?.id);
        assert.equal(outputs.cloudPcAssignmentId?.value, cloudPcs[0]?.id);
        console.log(`      outputs: ${JSON.stringify(Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value])))}`);
    });

    it("the engine's provider plugin ran from the installed copy", () => {
        // /proc shows every dynamic-provider process this test's engine started: its working folder (where the
        // stored `require("pulumi-msgraph-assignments/provider")` is resolved from) and the @pulumi/pulumi it runs.
        assert.ok(providers.size > 0, "saw the dynamic-provider process of the up");
        const root = realpathSync(copy);
        for (const p of providers.values()) {
            console.log(`      provider process ${p.pid}: cwd ${p.cwd}, ${p.script}`);
            assert.equal(p.cwd, root, `provider process ${p.pid} runs in the installed copy`);
            assert.ok(p.script.startsWith(path.join(root, "node_modules", "@pulumi", "pulumi") + path.sep), `provider process ${p.pid} runs the copy's @pulumi/pulumi: ${p.script}`);
        }
        // From that folder, the closure's require (a module with no file, searching node_modules from the working
        // folder up) finds the installed package first.
        const fromProviderCwd = realpathSync(createRequire(path.join(root, "provider-closure.js")).resolve(`${packageName}/provider`));
        assert.ok(fromProviderCwd.startsWith(path.join(root, "node_modules", packageName) + path.sep), fromProviderCwd);
    });

    it("stores a small provider in state that requires the package by name, with no absolute path", async () => {
        const exported = await stack.exportStack();
        const resources = (exported.deployment as { resources?: { type: string; outputs?: Record<string, unknown> }[] }).resources ?? [];
        const assignments = resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/msgraph:"));
        assert.equal(assignments.length, 3);
        const forbidden = [repoRoot, copy, realpathSync(copy), os.homedir(), os.tmpdir(), "node_modules"];
        for (const resource of assignments) {
            const text = resource.outputs?.__provider;
            assert.equal(typeof text, "string", `${resource.type} has __provider`);
            const provider = text as string;
            const size = Buffer.byteLength(provider, "utf8");
            assert.ok(size < 4096, `${resource.type}: __provider is ${size} B`);
            assert.ok(provider.includes('require("pulumi-msgraph-assignments/provider")'), provider);
            for (const bad of forbidden) assert.ok(!provider.includes(bad), `${resource.type}: __provider contains ${bad}`);
            assert.doesNotMatch(provider, /["'`]\/(?:[\w.@-]+\/)+[\w.@-]*["'`]/, `${resource.type}: __provider contains an absolute path`);
        }
        console.log(`      __provider sizes: ${assignments.map((r) => `${r.type.split(":").pop()} ${Buffer.byteLength(String(r.outputs?.__provider), "utf8")} B`).join(", ")}`);
    });

    it("a second up changes nothing and sends no write to Graph", async () => {
        emulator.admin.clearLog();
        const { summary, stdout } = await timed("up (no changes)", () => stack.up());
        assert.deepEqual(summary.resourceChanges, { same: 4 }, stdout);
        assert.deepEqual(graphWrites(), []);
    });

    it("destroy deletes the assignments", async () => {
        await timed("destroy", () => stack.destroy());
        assert.deepEqual(groupPolicyAssignments(), []);
        assert.deepEqual(cloudPcAssignments(), []);
    });
});

/** While `work` runs, records every `…/@pulumi/pulumi/cmd/dynamic-provider` process descended from this process. */
async function watchProviders<T>(seen: Map<number, ProviderProcess>, work: () => Promise<T>): Promise<T> {
    const poll = () => {
        for (const candidate of runningProcesses()) {
            const { pid } = candidate;
            if (seen.has(pid)) continue;
            try {
                const script = dynamicProviderScript(candidate);
                if (script === undefined || !descendsFromThisProcess(pid)) continue;
                seen.set(pid, { pid, cwd: readlinkSync(`/proc/${pid}/cwd`), script });
            } catch {
                // the process ended between listing and reading
            }
        }
    };
    assert.ok(existsSync("/proc/self/cmdline"), "this test reads /proc (Linux)");
    const timer = setInterval(poll, 50);
    try {
        return await work();
    } finally {
        clearInterval(timer);
    }
}

function descendsFromThisProcess(pid: number): boolean {
    for (let current = pid, hops = 0; current > 1 && hops < 16; hops++) {
        const stat = readFileSync(`/proc/${current}/stat`, "utf8");
        current = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        if (current === process.pid) return true;
    }
    return false;
}
