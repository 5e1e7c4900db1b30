/**
 * A host application with its own @pulumi/pulumi that embeds `configRepoProgram` from the packed package: npm must
 * give the host and the package one copy of @pulumi/pulumi (the package declares it as a peer dependency), because an
 * inline program registered through a second copy fails every registration with "13 INTERNAL: Request message
 * serialization failure". The host pins the lowest version of the declared peer range, so that end of the range is
 * the one tested here (the repository itself develops on the version in package-lock.json, and the SDK example
 * installs the newest).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { newStateDir, providerConfigFor, pulumiEnvironment, repoRoot } from "../../scripts/pulumiEnvironment";
import { allAssignments, exampleRepo, seedExampleTenant } from "./configRepoSeed";
import { npm, packageName, packInto } from "./sdkExampleCopy";

/** The lower bound of the peer range in package.json, e.g. ">=3.260.0 <4.0.0" → "3.260.0". */
function peerFloor(): string {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { peerDependencies?: Record<string, string> };
    const range = manifest.peerDependencies?.["@pulumi/pulumi"];
    assert.ok(range !== undefined, "package.json declares @pulumi/pulumi as a peer dependency");
    const floor = /^>=(\d+\.\d+\.\d+)\s/.exec(range)?.[1];
    assert.ok(floor !== undefined, `the peer range ${range} starts with >=x.y.z`);
    return floor;
}

/** The host's program: its own Automation API runs the package's configRepoProgram inline, as an embedding app would. */
const HOST_SCRIPT = `
const { LocalWorkspace } = require("@pulumi/pulumi/automation");
const { configRepoProgram } = require("${packageName}/cli");
(async () => {
    const [repoDir, backendUrl] = process.argv.slice(2);
    const stack = await LocalWorkspace.createOrSelectStack(
        { projectName: "host-app", stackName: "dev", program: configRepoProgram(repoDir) },
        { workDir: __dirname, projectSettings: { name: "host-app", runtime: "nodejs", backend: { url: backendUrl } } },
    );
    await stack.setAllConfig(JSON.parse(process.env.HOST_STACK_CONFIG));
    const up = await stack.up();
    console.log(JSON.stringify(up.summary.resourceChanges));
})().catch((error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
});
`;

describe("a host app with its own @pulumi/pulumi embedding configRepoProgram from the packed package", function () {
    this.timeout(600_000);
    let stateDir: string;
    let host: string;
    let emulator: RunningEmulator;
    let floor: string;

    before(async () => {
        floor = peerFloor();
        stateDir = newStateDir("sdk-host");
        host = path.join(stateDir, "host-app");
        mkdirSync(path.join(host, "vendor"), { recursive: true });
        const packed = packInto(path.join(host, "vendor"));
        writeFileSync(path.join(host, "package.json"), JSON.stringify({
            name: "host-app",
            version: "0.0.0",
            private: true,
            dependencies: { "@pulumi/pulumi": floor, [packageName]: `file:vendor/${packed.filename}` },
        }, null, 2));
        writeFileSync(path.join(host, "host.js"), HOST_SCRIPT);
        npm(["install", "--prefer-offline", "--no-audit", "--no-fund"], host);
        emulator = await startEmulator({ port: 0 });
    });

    after(async () => {
        await emulator?.stop();
        if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    });

    it("installs one copy of @pulumi/pulumi, the host's, and none inside the package", () => {
        const tree = JSON.parse(npm(["ls", "@pulumi/pulumi", "--all", "--json"], host)) as LsNode;
        const versions = copiesOf("@pulumi/pulumi", tree);
        assert.deepEqual(versions, [floor], `npm ls: ${JSON.stringify(tree)}`);
        assert.equal(existsSync(path.join(host, "node_modules", packageName, "node_modules", "@pulumi", "pulumi")), false, "no nested copy");
        const installed = JSON.parse(readFileSync(path.join(host, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as { version: string };
        assert.equal(installed.version, floor);
    });

    it("runs the embedded config repository: up creates every assignment through the host's @pulumi/pulumi", async () => {
        const seed = seedExampleTenant(emulator);
        const environment = pulumiEnvironment(stateDir);
        const config = providerConfigFor(emulator);
        const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
            execFile(process.execPath, [path.join(host, "host.js"), exampleRepo, environment.backendUrl], {
                cwd: host,
                env: { ...process.env, ...environment.envVars, HOST_STACK_CONFIG: JSON.stringify(config) },
                maxBuffer: 64 * 1024 * 1024,
            }, (error, stdout, stderr) => resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? 1), stdout, stderr }));
        });
        assert.equal(result.code, 0, `host app failed:\n${result.stderr.slice(-4000)}`);
        assert.doesNotMatch(result.stdout + result.stderr, /serialization failure/);
        const changes = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}") as { create?: number };
        const created = allAssignments(emulator, seed);
        assert.ok(created.length > 0, "the config repository declares assignments");
        assert.equal(changes.create, created.length + 1, `every assignment and the stack were created: ${result.stdout}`);
    });
});

interface LsNode {
    readonly version?: string;
    readonly dependencies?: Record<string, LsNode>;
}

/** The distinct versions of `name` in an `npm ls --json` tree (a deduped entry repeats the version it points to). */
function copiesOf(name: string, node: LsNode): string[] {
    const found = new Set<string>();
    const walk = (n: LsNode): void => {
        for (const [dep, child] of Object.entries(n.dependencies ?? {})) {
            if (dep === name && child.version !== undefined) found.add(child.version);
            walk(child);
        }
    };
    walk(node);
    return [...found];
}
