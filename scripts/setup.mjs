#!/usr/bin/env node
// Makes the real Pulumi engine available to the demo and the tests, without Pulumi's website installer
// (unreachable here): use a `pulumi` already on PATH when it is new enough, otherwise build the CLI from
// the Go module proxy at the version pinned in tools/pulumi-cli/go.mod into the ignored .tools/ folder. Next to that
// build it puts Pulumi's Node.js language host, built from ../shared/tools/pulumi-language-nodejs when that folder
// exists (so `pulumi up` runs programs as on users' machines). Second runs are cached and take about a second.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
    existsSync,
    lstatSync,
    mkdirSync,
    readFileSync,
    readdirSync,
    readlinkSync,
    renameSync,
    rmSync,
    symlinkSync,
    unlinkSync,
    writeFileSync,
} from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const toolsDir = path.join(repoRoot, ".tools");
const binDir = path.join(toolsDir, "bin");
const cliModuleDir = path.join(repoRoot, "tools", "pulumi-cli");
// The language host's source sits beside the repository in this environment only; MSGRAPH_SHARED_TOOLS_DIR moves
// (or, pointed at a missing folder, hides) it.
const sharedToolsDir = path.resolve(process.env.MSGRAPH_SHARED_TOOLS_DIR ?? path.join(repoRoot, "..", "shared", "tools"));
const languageHostSourceDir = path.join(sharedToolsDir, "pulumi-language-nodejs");
const languageHostName = "pulumi-language-nodejs";
const languageHostStamp = path.join(toolsDir, "pulumi-language-nodejs.json");
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

function findGo() {
    return findOnPath("go") ?? (existsSync("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : undefined);
}

/** Runs a long build with its output shown, saying every `everySeconds` that it is still going; resolves to the exit code. */
async function runWithHeartbeat(what, everySeconds, command, args, options) {
    const started = Date.now();
    const child = spawn(command, args, { ...options, stdio: ["ignore", "inherit", "inherit"] });
    const heartbeat = setInterval(() => {
        say(`  still compiling ${what}... ${Math.round((Date.now() - started) / 1000)} s`);
    }, everySeconds * 1000);
    const code = await new Promise((resolve) => child.on("close", resolve));
    clearInterval(heartbeat);
    return { code, seconds: Math.round((Date.now() - started) / 1000) };
}

async function buildPulumiCli(version) {
    const go = findGo();
    if (!go) {
        fail(
            `no Pulumi CLI >= v${version} on PATH, and no Go toolchain to build one.\n` +
                "  Either install the Pulumi CLI (https://www.pulumi.com/docs/install/) and put it on PATH,\n" +
                "  or install Go >= 1.26 (https://go.dev/dl/) so this step can build the CLI from the Go module proxy.",
        );
    }
    mkdirSync(binDir, { recursive: true });
    say(`building the Pulumi CLI v${version} from the Go module proxy with ${go} (first run only; about 5-15 minutes on 2 cores)`);
    const ldflags = `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${version}`;
    const { code, seconds } = await runWithHeartbeat(
        "the Pulumi CLI",
        30,
        go,
        ["install", "-trimpath", "-ldflags", ldflags, "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"],
        { cwd: cliModuleDir, env: { ...process.env, GOBIN: binDir, GOFLAGS: "-mod=readonly" } },
    );
    if (code !== 0) fail(`'go install github.com/pulumi/pulumi/pkg/v3/cmd/pulumi' (in tools/pulumi-cli) exited with ${code}`);
    say(`built the Pulumi CLI in ${seconds} s`);
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
    return { path: cli, version: built.join(".") };
}

/** Hash of everything build.sh compiles from (sources, module pins, the script): a change means a rebuild. */
function languageHostSourceHash() {
    const hash = createHash("sha256");
    const files = readdirSync(languageHostSourceDir)
        .filter((name) => /\.go$|^go\.(mod|sum)$|^build\.sh$/.test(name))
        .sort();
    for (const name of files) {
        hash.update(`${name}\0`);
        hash.update(readFileSync(path.join(languageHostSourceDir, name)));
    }
    return hash.digest("hex");
}

function readStamp() {
    try {
        return JSON.parse(readFileSync(languageHostStamp, "utf8"));
    } catch {
        return undefined;
    }
}

/** Builds the language host with the shared folder's build.sh into a scratch folder, then moves it next to the CLI. */
async function buildLanguageHost(target, sourceHash) {
    const go = findGo();
    if (!go) {
        say(`no Go toolchain on PATH: cannot build ${languageHostName} from ${languageHostSourceDir}; tests that run 'pulumi up' on a program file will be skipped`);
        return undefined;
    }
    const scratch = path.join(toolsDir, "language-host-build");
    rmSync(scratch, { recursive: true, force: true });
    say(`building ${languageHostName} from ${languageHostSourceDir} (first run only; seconds to about 2 minutes after the CLI build, which warmed Go's cache)`);
    const { code, seconds } = await runWithHeartbeat(languageHostName, 15, "bash", [path.join(languageHostSourceDir, "build.sh"), scratch], {
        env: { ...process.env, PATH: [path.dirname(go), process.env.PATH ?? ""].join(path.delimiter) },
    });
    if (code !== 0) {
        fail(
            `building ${languageHostName} (bash ${path.join(languageHostSourceDir, "build.sh")}) exited with ${code}.\n` +
                `  To go on without it (tests that need it are then skipped), point MSGRAPH_SHARED_TOOLS_DIR at a folder without ${languageHostName}/.`,
        );
    }
    // Moved in only when complete, and stamped after: an interrupted build leaves nothing that looks finished.
    renameSync(path.join(scratch, languageHostName), target);
    rmSync(scratch, { recursive: true, force: true });
    writeFileSync(languageHostStamp, JSON.stringify({ sourceDir: languageHostSourceDir, sourceHash, builtInSeconds: seconds }, null, 2));
    say(`built ${languageHostName} in ${seconds} s`);
    return target;
}

/**
 * `pulumi up` on a program file (runtime nodejs) needs `pulumi-language-nodejs` next to the CLI. A regular Pulumi
 * installation ships it; here it is built next to the cached CLI build when the shared source is present. A user's
 * own installation folder is never written to. Returns what the tests record: available with its path, or why not.
 */
async function ensureLanguageHost(cli) {
    const target = path.join(path.dirname(cli.path), languageHostName);
    const ownBuild = path.dirname(cli.path) === binDir;
    const haveSource = existsSync(path.join(languageHostSourceDir, "build.sh"));
    if (!ownBuild) {
        if (existsSync(target)) {
            say(`using the language host next to the CLI: ${target}`);
            return { available: true, path: target };
        }
        const reason = `no ${languageHostName} next to the Pulumi CLI on PATH (${cli.path}); a regular Pulumi installation ships it, so reinstall Pulumi to get it`;
        say(`${reason}. Tests that run 'pulumi up' on a program file will be skipped; inline-program tests still run`);
        return { available: false, reason };
    }
    const stamp = readStamp();
    if (existsSync(target)) {
        if (!stamp) {
            say(`using the language host next to the CLI: ${target}`);
            return { available: true, path: target };
        }
        if (!haveSource) {
            say(`using the cached ${languageHostName} build in .tools/bin (its source ${languageHostSourceDir} is absent now)`);
            return { available: true, path: target };
        }
        const sourceHash = languageHostSourceHash();
        if (stamp.sourceHash === sourceHash) {
            say(`using the cached ${languageHostName} build in .tools/bin`);
            return { available: true, path: target };
        }
        say(`the source of ${languageHostName} changed since the cached build: rebuilding`);
        const built = await buildLanguageHost(target, sourceHash);
        return built ? { available: true, path: built } : { available: false, reason: `no Go toolchain to rebuild ${languageHostName}` };
    }
    if (!haveSource) {
        const reason = `no ${languageHostName} next to ${cli.path}, and no source to build it from (${languageHostSourceDir} is absent; only this project's build machines have it)`;
        say(`${reason}. Tests that run 'pulumi up' on a program file will be skipped; inline-program tests still run`);
        return { available: false, reason };
    }
    const built = await buildLanguageHost(target, languageHostSourceHash());
    return built ? { available: true, path: built } : { available: false, reason: `no Go toolchain to build ${languageHostName} from ${languageHostSourceDir}` };
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
const cli = await ensurePulumiCli();
const languageHost = await ensureLanguageHost(cli);
// The tests and the demo read this file to find the CLI the engine must use, and whether it can run program files.
writeFileSync(path.join(toolsDir, "pulumi-cli.json"), JSON.stringify({ ...cli, languageHost }, null, 2));
say("ready");
