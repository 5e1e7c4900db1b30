/**
 * Reaching a stack the way the Pulumi CLI would: a project folder with Pulumi.yaml (and Pulumi.<stack>.yaml), the
 * backend from PULUMI_BACKEND_URL or an explicit URL, passphrase secrets from PULUMI_CONFIG_PASSPHRASE. Shared by every
 * command that touches a stack (drift reads it; preview and up run the config-repo program on it).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import * as automation from "@pulumi/pulumi/automation";
import { failOnLostRegistrations, useOwnConnectionPerEngine } from "./inlineProgram";

export interface StackLocation {
    readonly stackName: string;
    /** The project folder (holds Pulumi.yaml). */
    readonly workDir: string;
    /** Overrides PULUMI_BACKEND_URL for this run. */
    readonly backendUrl?: string;
    /** Install root of the Pulumi CLI to use (its bin/pulumi); default: this repository's recorded build, else PATH. */
    readonly pulumiRoot?: string;
}

/** The Pulumi CLI: an explicit install root, else this repository's recorded build (npm run setup), else PATH. */
async function pulumiCommand(root: string | undefined): Promise<automation.PulumiCommand | undefined> {
    if (root !== undefined) return automation.PulumiCommand.get({ root, skipVersionCheck: true });
    const recorded = path.resolve(__dirname, "..", "..", ".tools", "pulumi-cli.json");
    if (existsSync(recorded)) {
        const cli = JSON.parse(readFileSync(recorded, "utf8")) as { path: string };
        if (existsSync(cli.path)) return automation.PulumiCommand.get({ root: path.dirname(path.dirname(cli.path)), skipVersionCheck: true });
    }
    return undefined;
}

async function workspaceFor(location: StackLocation, program?: automation.PulumiFn): Promise<automation.LocalWorkspace> {
    const workDir = path.resolve(location.workDir);
    if (!existsSync(path.join(workDir, "Pulumi.yaml")) && !existsSync(path.join(workDir, "Pulumi.yml"))) {
        throw new Error(`no Pulumi.yaml in ${workDir}: pass the project folder with --work-dir`);
    }
    const envVars: Record<string, string> = {
        PULUMI_SKIP_UPDATE_CHECK: "true",
        ...(location.backendUrl ? { PULUMI_BACKEND_URL: location.backendUrl } : {}),
    };
    const command = await pulumiCommand(location.pulumiRoot);
    return automation.LocalWorkspace.create({
        workDir,
        envVars,
        ...(command ? { pulumiCommand: command } : {}),
        // An inline program: this process serves the language runtime, so no pulumi-language-nodejs is needed.
        ...(program ? { program } : {}),
    });
}

/** Selects an existing stack without a program (drift reads its state and config only). */
export async function selectStack(location: StackLocation): Promise<automation.Stack> {
    return automation.Stack.select(location.stackName, await workspaceFor(location));
}

/**
 * Selects the stack, creating it when the backend has none yet (a pipeline's first run), with `program` as its
 * inline program.
 */
export async function openProgramStack(location: StackLocation, program: automation.PulumiFn): Promise<automation.Stack> {
    useOwnConnectionPerEngine();
    return automation.Stack.createOrSelect(location.stackName, await workspaceFor(location, failOnLostRegistrations(program)));
}
