#!/usr/bin/env node
// Makes the real Pulumi engine available to the demo and the tests, without Pulumi's website installer
// (unreachable here): use a `pulumi` already on PATH when it is new enough, otherwise build the CLI from
// the Go module proxy at the version pinned in tools/pulumi-cli/go.mod into the ignored .tools/ folder.
// Second runs are cached and take about a second.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, lstatSync, readlinkSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const toolsDir = path.join(repoRoot, ".tools");
const binDir = path.join(toolsDir, "bin");
const cliModuleDir = path.join(repoRoot, "tools", "pulumi-cli");
const packageName = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")).name;

function say(message) {
    process.stdout.write(`[setup] ${message}\n`);
}

function fail(message) {
    process.stderr.write(`[setup] ERROR: ${message}\n`);
    process.exit(1);
}

/** The pinned release is the pkg/v3 requirement of the wrapper module: one place to change it. */
function pinnedPulumiVersion() {
    const goMod = readFileSync(path.join(cliModuleDir, "go.mod"), "utf8");
    const match = /github\.com\/pulumi\/pulumi\/pkg\/v3 v(\d+\.\d+\.\d+)/.exec(goMod);
    if (!match) fail("tools/pulumi-cli/go.mod does not require github.com/pulumi/pulumi/pkg/v3 at a release version");
    return match[1];
}

function parseVersion(text) {
    const match = /v?(\d+)\.(\d+)\.(\d+)/.exec(text ?? "");
    return match ? match.slice(1, 4).map(Number) : undefined;
}

function atLeast(actual, wanted) {
    for (let i = 0; i < 3; i++) {
        if (actual[i] !== wanted[i]) return actual[i] > wanted[i];
    }
    return true;
}

function pulumiVersionOf(binary) {
    const result = spawnSync(binary, ["version"], {
        encoding: "utf8",
        env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
        timeout: 30_000,
    });
    return result.status === 0 ? parseVersion(result.stdout) : undefined;
}

function findOnPath(command) {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        if (!dir || path.resolve(dir) === binDir) continue;
        const candidate = path.join(dir, command);
        if (existsSync(candidate)) return candidate;
    }
    return undefined;
}

function ensureSymlink(linkPath, target) {
    try {
        const stat = lstatSync(linkPath);
        if (stat.isSymbolicLink() && readlinkSync(linkPath) === target) return;
        unlinkSync(linkPath);
    } catch {
        // absent: create it below
    }
    symlinkSync(target, linkPath);
}

async function buildPulumiCli(version) {
    const go = findOnPath("go") ?? (existsSync("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : undefined);
    if (!go) {
        fail(
            `no Pulumi CLI >= v${version} on PATH, and no Go toolchain to build one.\n` +
                "  Either install the Pulumi CLI (https://www.pulumi.com/docs/install/) and put it on PATH,\n" +
                "  or install Go >= 1.26 (https://go.dev/dl/) so this step can build the CLI from the Go module proxy.",
        );
    }
    mkdirSync(binDir, { recursive: true });
    say(`building the Pulumi CLI v${version} from the Go module proxy with ${go} (first run only; about 5-15 minutes on 2 cores)`);
    const started = Date.now();
    const ldflags = `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${version}`;
    const child = spawn(go, ["install", "-trimpath", "-ldflags", ldflags, "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"], {
        cwd: cliModuleDir,
        env: { ...process.env, GOBIN: binDir, GOFLAGS: "-mod=readonly" },
        stdio: ["ignore", "inherit", "inherit"],
    });
    const heartbeat = setInterval(() => {
        say(`  still compiling the Pulumi CLI... ${Math.round((Date.now() - started) / 1000)} s`);
    }, 30_000);
    const code = await new Promise((resolve) => child.on("close", resolve));
    clearInterval(heartbeat);
    if (code !== 0) fail(`'go install github.com/pulumi/pulumi/pkg/v3/cmd/pulumi' (in tools/pulumi-cli) exited with ${code}`);
    say(`built the Pulumi CLI in ${Math.round((Date.now() - started) / 1000)} s`);
}

async function ensurePulumiCli() {
    const version = pinnedPulumiVersion();
    const wanted = parseVersion(version);
    const onPath = findOnPath("pulumi");
    const onPathVersion = onPath && pulumiVersionOf(onPath);
    let cli;
    if (onPathVersion && atLeast(onPathVersion, wanted)) {
        say(`using the Pulumi CLI on PATH: ${onPath} (v${onPathVersion.join(".")})`);
        cli = onPath;
    } else {
        if (onPath) say(`the Pulumi CLI on PATH (${onPath}) is older than v${version}: not using it`);
        const local = path.join(binDir, "pulumi");
        const localVersion = existsSync(local) ? pulumiVersionOf(local) : undefined;
        if (localVersion && localVersion.join(".") === version) {
            say(`using the cached Pulumi CLI build v${version} in .tools/bin`);
        } else {
            await buildPulumiCli(version);
        }
        cli = local;
    }
    const built = pulumiVersionOf(cli);
    if (!built) fail(`${cli} does not answer 'pulumi version'`);
    // The tests and the demo read this file to find the CLI the engine must use.
    writeFileSync(path.join(toolsDir, "pulumi-cli.json"), JSON.stringify({ path: cli, version: built.join(".") }, null, 2));
}

/**
 * The engine looks up the dynamic-provider plugin `pulumi-resource-pulumi-nodejs` on PATH; it ships inside
 * @pulumi/pulumi, so a link in .tools/bin (which the Pulumi environment puts on PATH) is all it takes.
 */
function ensureDynamicProviderPlugin() {
    const plugin = path.join(repoRoot, "node_modules", "@pulumi", "pulumi", "pulumi-resource-pulumi-nodejs");
    if (!existsSync(plugin)) fail("node_modules/@pulumi/pulumi is missing: run 'npm ci' first");
    mkdirSync(binDir, { recursive: true });
    ensureSymlink(path.join(binDir, "pulumi-resource-pulumi-nodejs"), plugin);
}

/**
 * The provider Pulumi serializes into state does `require("<package>/provider")`, the way it works for users who
 * installed the package. Inside this repository (the demo and the tests) a self-link makes that name resolve to
 * the working tree.
 */
function ensureSelfLink() {
    ensureSymlink(path.join(repoRoot, "node_modules", packageName), "..");
}

function checkNode() {
    const major = Number(process.versions.node.split(".")[0]);
    if (major < 24) {
        fail(`running on Node ${process.version}; this project needs Node 24 (run it through npm scripts after 'npm ci', which put node_modules/.bin first on PATH)`);
    }
}

checkNode();
ensureSelfLink();
ensureDynamicProviderPlugin();
await ensurePulumiCli();
say("ready");
