/**
 * examples/sdk-program as a user gets it: the example copied (as committed) into a state folder, this package packed
 * with `npm pack` into the copy's vendor/, and `npm install` of the tarball there. Shared by the test that runs the
 * copy's program inline and the test that runs it with `pulumi up` through the language host.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { EmulatorOptions } from "../../emulator";
import { repoRoot } from "../../scripts/pulumiEnvironment";

export const exampleDir = path.join(repoRoot, "examples", "sdk-program");
export const packageName = "pulumi-msgraph-assignments";

/** The tenant the example expects (ids passed to it as stack config, as a user would with `pulumi config set`). */
export const exampleIds = {
    baselinePolicyId: "8e0d4c2a-6b1f-4d3e-9a5c-7f2b0e1d3c4a",
    pilotGroupId: "1c3e5a7b-9d2f-4b6a-8c0e-2f4a6b8c0d1e",
    pilotFilterId: "4a6c8e0f-2b4d-4f6a-9c1e-3a5b7c9d1e2f",
    excludedGroupId: "7b9d1f3a-5c7e-4a9b-8d2f-4b6c8d0e2f3a",
    cloudPcPolicyId: "2d4f6b8a-0c2e-4f4a-8b6d-8e0f2a4c6e8b",
    cloudPcGroupId: "5e7a9c1b-3d5f-4b7a-9c3e-5f7b9d1f3a5c",
};

/** The emulator's policies and groups the example's ids refer to. */
export const exampleSeed: EmulatorOptions["seed"] = {
    groupPolicyConfigurations: [{ id: exampleIds.baselinePolicyId, displayName: "Windows security baseline" }],
    provisioningPolicies: [{ id: exampleIds.cloudPcPolicyId, displayName: "Engineering Cloud PCs" }],
    groups: [
        { id: exampleIds.pilotGroupId, displayName: "Pilot devices" },
        { id: exampleIds.excludedGroupId, displayName: "Contractors" },
        { id: exampleIds.cloudPcGroupId, displayName: "Engineers" },
    ],
};

/** What `npm pack --json` says about the tarball it made. */
export interface PackResult {
    readonly filename: string;
    readonly integrity: string;
    readonly files: { readonly path: string }[];
}

export interface InstalledExample {
    /** The copy: a Pulumi project folder with the package installed from the tarball. */
    readonly dir: string;
    /** The project name from the copy's Pulumi.yaml (the namespace of its config keys). */
    readonly project: string;
    readonly packed: PackResult;
}

/**
 * Copies the example into `<stateDir>/sdk-program`, packs this package into its vendor/ and installs it; `compile`
 * also runs `tsc -p` on the copy (for running its compiled program inline; the language host runs the .ts itself).
 * `timed` wraps each step so the caller can report how long it took.
 */
export function installExampleCopy(
    stateDir: string,
    options: { compile: boolean; timed?: <T>(label: string, work: () => T) => T },
): InstalledExample {
    const timed = options.timed ?? (<T>(_label: string, work: () => T): T => work());
    const dir = path.join(stateDir, "sdk-program");
    // The example as committed: a developer's local install or build of it is not part of what a user gets.
    const local = new Set(["node_modules", "vendor", "bin", "package-lock.json"].map((entry) => path.join(exampleDir, entry)));
    cpSync(exampleDir, dir, { recursive: true, filter: (source) => !local.has(source) });
    mkdirSync(path.join(dir, "vendor"));

    const packed = timed("npm pack", () => packInto(path.join(dir, "vendor")));
    const example = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    assert.equal(
        example.dependencies[packageName],
        `file:vendor/${packed.filename}`,
        "examples/sdk-program/package.json must depend on the tarball npm pack makes (update it when the version changes)",
    );
    timed("npm install", () => npm(["install", "--prefer-offline", "--no-audit", "--no-fund"], dir));
    if (options.compile) timed("tsc", () => execFileSync(path.join(repoRoot, "node_modules", ".bin", "tsc"), ["-p", dir], { stdio: "pipe" }));

    const project = /^name:\s*(\S+)\s*$/m.exec(readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"))?.[1];
    assert.ok(project, "the example's Pulumi.yaml names the project");
    return { dir, project, packed };
}

/** `npm pack` of this package (its dist/ as built) into `destination`. */
export function packInto(destination: string): PackResult {
    const [packed] = JSON.parse(npm(["pack", "--ignore-scripts", "--json", "--pack-destination", destination], repoRoot)) as PackResult[];
    assert.ok(packed, "npm pack made a tarball");
    return packed;
}

/** Runs npm in `cwd` for this folder alone: the settings npm passes to the scripts it runs (`npm test`) are dropped. */
export function npm(args: string[], cwd: string): string {
    const keep = new Set(["npm_config_cache", "npm_config_registry", "npm_config_userconfig"]);
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) || keep.has(key.toLowerCase())));
    delete env.INIT_CWD;
    try {
        return execFileSync("npm", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
        const e = error as { stdout?: string; stderr?: string; message: string };
        throw new Error(`npm ${args.join(" ")} in ${cwd} failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
    }
}
