/**
 * A Pulumi project folder driven with the real `pulumi` CLI, the way a user runs it (`pulumi stack init`,
 * `pulumi config set-all`, `pulumi up`, …): the program file runs through the Node.js language host next to the
 * CLI, not as an inline program. State, PULUMI_HOME and the passphrase come from a throw-away Pulumi environment.
 */
import type { ConfigValue } from "@pulumi/pulumi/automation";
import { findPulumiCli, type PulumiEnvironment } from "../../scripts/pulumiEnvironment";
import { runProcess, type ProcessResult } from "../support/runProcess";

/**
 * Skips the calling suite (from its `before` hook) when setup found no language host next to the CLI, printing why;
 * mocha then reports its tests as skipped, never as passed.
 */
export function skipWithoutLanguageHost(context: Mocha.Context): void {
    const host = findPulumiCli().languageHost;
    if (host?.available) return;
    const reason = host?.reason ?? "setup recorded no language host (.tools/pulumi-cli.json predates it: run 'npm run setup')";
    console.log(`      skipped: ${reason}`);
    context.skip();
}

export interface CliProject {
    /** Runs `pulumi <args>` in the project folder on its stack; throws with the CLI's output unless it exits 0. */
    pulumi(args: readonly string[]): Promise<ProcessResult>;
}

/** `pulumi stack init <stack>` in `dir` (a folder with Pulumi.yaml), then the given stack config in one `set-all`. */
export async function initCliProject(
    dir: string,
    stack: string,
    environment: PulumiEnvironment,
    config: Record<string, ConfigValue>,
): Promise<CliProject> {
    const env = { ...process.env, ...environment.envVars };
    const run = async (args: readonly string[]): Promise<ProcessResult> => {
        const full = [...args, "--non-interactive", "--color", "never"];
        const result = await runProcess(environment.cli.path, full, { cwd: dir, env });
        if (result.status !== 0) {
            throw new Error(`pulumi ${full.join(" ")} in ${dir} exited with ${result.status ?? result.signal}\n${result.stdout}\n${result.stderr}`);
        }
        return result;
    };
    await run(["stack", "init", stack]);
    const pairs = Object.entries(config).flatMap(([key, { value, secret }]) => [secret ? "--secret" : "--plaintext", `${key}=${value}`]);
    await run(["config", "set-all", "--stack", stack, ...pairs]);
    return { pulumi: (args) => run([...args, "--stack", stack]) };
}
