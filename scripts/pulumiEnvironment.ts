import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import path from "node:path";
import * as automation from "@pulumi/pulumi/automation";
import { failOnLostRegistrations, useOwnConnectionPerEngine } from "../cli/inlineProgram";

/** The repository root: dist/scripts/ → ../.. */
export const repoRoot = path.resolve(__dirname, "..", "..");

/** Passphrase of the local secrets provider; override with PULUMI_CONFIG_PASSPHRASE. Not a credential of any tenant. */
const defaultPassphrase = "pulumi-msgraph-assignments-local";

export interface PulumiCli {
    readonly path: string;
    readonly version: string;
    /** Whether `pulumi-language-nodejs` sits next to the CLI, so `pulumi up` can run a program file (setup decides). */
    readonly languageHost?: LanguageHost;
}

/** The Node.js language host setup found or built next to the CLI, or why there is none. */
export type LanguageHost = { readonly available: true; readonly path: string } | { readonly available: false; readonly reason: string };

/** A self-contained Pulumi environment: file backend, passphrase secrets, no Cloud login, nothing in the user's home. */
export interface PulumiEnvironment {
    readonly cli: PulumiCli;
    readonly backendUrl: string;
    readonly envVars: Record<string, string>;
}

/** The CLI that `npm run setup` chose or built (recorded in .tools/pulumi-cli.json). */
export function findPulumiCli(): PulumiCli {
    const record = path.join(repoRoot, ".tools", "pulumi-cli.json");
    if (!existsSync(record)) {
        throw new Error("the Pulumi CLI is not set up: run 'npm run setup' (the README's test and demo commands do it)");
    }
    const cli = JSON.parse(readFileSync(record, "utf8")) as PulumiCli;
    if (!existsSync(cli.path)) {
        throw new Error(`the Pulumi CLI recorded in .tools/pulumi-cli.json is gone (${cli.path}): run 'npm run setup' again`);
    }
    return cli;
}

/**
 * A new throw-away state folder `.state/<prefix>-XXXXXX` (inside the repository, so the engine's plugins find
 * node_modules). `.state/` itself does not exist in a fresh clone.
 */
export function newStateDir(prefix: string): string {
    const root = path.join(repoRoot, ".state");
    mkdirSync(root, { recursive: true });
    return mkdtempSync(path.join(root, `${prefix}-`));
}

/**
 * Builds the environment for one state folder (default `.state/`): backend in `<stateDir>/backend`,
 * PULUMI_HOME in `<stateDir>/pulumi-home`, so tests can use throw-away folders and the demo a persistent one.
 */
export function pulumiEnvironment(stateDir = path.join(repoRoot, ".state")): PulumiEnvironment {
    const cli = findPulumiCli();
    const backendDir = path.join(stateDir, "backend");
    const homeDir = path.join(stateDir, "pulumi-home");
    mkdirSync(backendDir, { recursive: true });
    mkdirSync(homeDir, { recursive: true });
    const backendUrl = `file://${backendDir}`;
    const searchPath = [
        path.dirname(cli.path),
        path.join(repoRoot, ".tools", "bin"), // pulumi-resource-pulumi-nodejs
        path.join(repoRoot, "node_modules", ".bin"), // Node 24 from npm
        process.env.PATH ?? "",
    ].join(path.delimiter);
    return {
        cli,
        backendUrl,
        envVars: {
            PATH: searchPath,
            PULUMI_HOME: homeDir,
            PULUMI_BACKEND_URL: backendUrl,
            PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? defaultPassphrase,
            // The engine's dynamic-provider plugin resolves @pulumi/pulumi from its working directory; a stack folder
            // outside the repository (the demo's --state-dir) finds the repository's packages through NODE_PATH.
            NODE_PATH: [path.join(repoRoot, "node_modules"), process.env.NODE_PATH ?? ""].filter(Boolean).join(path.delimiter),
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_SKIP_CONFIRMATIONS: "true",
            PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
            PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
        },
    };
}

export interface InlineStackOptions {
    readonly projectName: string;
    readonly stackName: string;
    readonly program: automation.PulumiFn;
    /** Where Pulumi.yaml and stack files go; must sit inside the repository so the engine's plugins find node_modules. */
    readonly workDir: string;
    readonly environment: PulumiEnvironment;
    readonly config?: Record<string, automation.ConfigValue>;
}

/**
 * Runs `program` under the real engine as an Automation API inline program: the Node process serves the language
 * runtime itself and the CLI connects to it, so no `pulumi-language-nodejs` binary is needed (the Go module proxy
 * does not serve that module; see docs/tooling.md).
 */
export async function createInlineStack(options: InlineStackOptions): Promise<automation.Stack> {
    const { environment } = options;
    useOwnConnectionPerEngine();
    mkdirSync(options.workDir, { recursive: true });
    // The engine starts plugins with the parent's environment, so PATH must be right in this process too.
    Object.assign(process.env, environment.envVars);
    const pulumiCommand = await automation.PulumiCommand.get({
        root: path.dirname(path.dirname(environment.cli.path)),
        skipVersionCheck: true,
    });
    const stack = await automation.LocalWorkspace.createOrSelectStack(
        { projectName: options.projectName, stackName: options.stackName, program: failOnLostRegistrations(options.program) },
        {
            workDir: options.workDir,
            pulumiCommand,
            envVars: environment.envVars,
            projectSettings: {
                name: options.projectName,
                runtime: "nodejs",
                backend: { url: environment.backendUrl },
            },
        },
    );
    if (options.config) await stack.setAllConfig(options.config);
    retryEngineConnectionFailures(stack);
    return stack;
}

/**
 * On a loaded machine the inline program's gRPC client sometimes fails to reach the engine's resource monitor
 * ("14 UNAVAILABLE: No connection established") before a single resource is touched. That is the host's plumbing, not
 * the provider: the operation is run once more (every operation here converges when re-run), and it says so.
 */
function retryEngineConnectionFailures(stack: automation.Stack): void {
    for (const operation of ["up", "preview", "refresh", "destroy"] as const) {
        const original = stack[operation].bind(stack) as (...args: unknown[]) => Promise<unknown>;
        (stack as unknown as Record<string, unknown>)[operation] = async (...args: unknown[]) => {
            try {
                return await original(...args);
            } catch (error) {
                if (!/14 UNAVAILABLE: No connection established/.test(String((error as Error)?.message))) throw error;
                process.stderr.write(`[pulumi] ${operation}: the program could not reach the engine (14 UNAVAILABLE); running it once more\n`);
                return original(...args);
            }
        };
    }
}

/** Where the provider finds a Graph endpoint (the emulator, or a tenant reached through a custom URL). */
export interface GraphEndpoint {
    readonly tenantId: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly graphBaseUrl: string;
    readonly authorityHost: string;
    readonly caCertPath: string;
}

/** Stack config (`msgraph:*`) that points the provider at `endpoint` with client-secret auth; the secret stays a secret. */
export function providerConfigFor(endpoint: GraphEndpoint): Record<string, automation.ConfigValue> {
    return {
        "msgraph:tenantId": { value: endpoint.tenantId },
        "msgraph:clientId": { value: endpoint.clientId },
        "msgraph:clientSecret": { value: endpoint.clientSecret, secret: true },
        "msgraph:graphBaseUrl": { value: endpoint.graphBaseUrl },
        "msgraph:authorityHost": { value: endpoint.authorityHost },
        "msgraph:caCertPath": { value: endpoint.caCertPath },
    };
}
