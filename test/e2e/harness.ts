import { rmSync } from "node:fs";
import path from "node:path";
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { isBatchEnvelope, startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";
import { graphClientFor } from "../../cli/graphSettings";
import type { GraphClient } from "../../provider/graph";
import { createInlineStack, newStateDir, pulumiEnvironment, providerConfigFor, type PulumiEnvironment } from "../../scripts/pulumiEnvironment";

/** One emulator plus one throw-away Pulumi state folder; programs run under the real CLI as inline programs. */
export interface E2eWorld {
    readonly emulator: RunningEmulator;
    readonly environment: PulumiEnvironment;
    /** A stack of `projectName` whose program is `program`, configured to reach the emulator with a client secret. */
    stack(program: PulumiFn, options?: { stackName?: string; config?: Record<string, string> }): Promise<Stack>;
    /** A Graph client of the CLI's (export, name resolution) signed in to the emulator as the stacks are. */
    graphClient(): GraphClient;
    /** Non-GET Graph requests the emulator saw since the last clearLog (token requests and batch envelopes excluded). */
    writes(): { method: string; path: string; body?: unknown; status: number }[];
    dispose(): Promise<void>;
}

export async function startE2eWorld(name: string, emulatorOptions: EmulatorOptions = {}): Promise<E2eWorld> {
    const stateDir = newStateDir(name);
    const environment = pulumiEnvironment(stateDir);
    const emulator = await startEmulator(emulatorOptions);
    return {
        emulator,
        environment,
        async stack(program, options = {}) {
            const stack = await createInlineStack({
                projectName: name,
                stackName: options.stackName ?? "dev",
                program,
                workDir: path.join(stateDir, "work"),
                environment,
            });
            await stack.setAllConfig({
                ...providerConfigFor(emulator),
                ...Object.fromEntries(Object.entries(options.config ?? {}).map(([k, v]) => [k, { value: v }])),
            });
            return stack;
        },
        graphClient() {
            return graphClientFor(Object.fromEntries(Object.entries(providerConfigFor(emulator)).map(([key, config]) => [key, config.value])));
        },
        writes() {
            return emulator
                .log()
                // A JSON batch of reads is no write; a write inside a batch is.
                .filter((entry) => entry.method !== "GET" && entry.path.startsWith("/beta/") && !isBatchEnvelope(entry))
                .map(({ method, path: p, body, status }) => ({ method, path: p, body, status }));
        },
        async dispose() {
            await emulator.stop();
            rmSync(stateDir, { recursive: true, force: true });
        },
    };
}
