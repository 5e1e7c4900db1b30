/**
 * Runtime entry point of the dynamic provider. The module Pulumi stores in state only does
 * `require("pulumi-msgraph-assignments/provider")` and calls {@link dynamicProvider}: `refresh` and `destroy` run the
 * installed code, and no setting or credential is ever serialized. Settings are read when a method runs, from the
 * stack config Pulumi hands to `configure` (namespace `msgraph:`) with the standard AZURE_* variables as fallback.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { getSharedGraphClient, redactSecrets, resolveAuthSettings, type GraphClient, type LogEntry } from "./graph";
import { getDescription } from "./model";
import { createAssignmentProvider, writeStrategies, type WriteStrategy } from "./engine/assignmentProvider";

export * as model from "./model";
export * as graph from "./graph";
export { createAssignmentProvider, writeStrategies, type WriteStrategy } from "./engine/assignmentProvider";

interface ProcessState {
    config?: dynamic.Config;
    providers: Map<string, dynamic.ResourceProvider>;
}

/** On globalThis: the serialized closure of each resource may load its own copy of this module. */
function processState(): ProcessState {
    const key = Symbol.for("pulumi-msgraph-assignments.provider");
    const g = globalThis as unknown as Record<symbol, ProcessState | undefined>;
    return (g[key] ??= { providers: new Map() });
}

/** Only fully qualified `msgraph:*` keys: a project's own `<project>:tenantId` must never be picked up. */
function stackConfig() {
    const config = processState().config;
    return { get: (key: string) => (key.includes(":") ? config?.get(key) : undefined) };
}

function logToStderr(entry: LogEntry): void {
    // Entries are already redacted by the client (no Authorization, no bodies); the level gate keeps runs quiet.
    process.stderr.write(`${redactSecrets(JSON.stringify(entry))}\n`);
}

function graphClient(): GraphClient {
    const settings = resolveAuthSettings(stackConfig(), process.env);
    const verbose = (process.env.MSGRAPH_LOG_LEVEL ?? "").toLowerCase() === "debug";
    return getSharedGraphClient(settings, verbose ? { logger: logToStderr } : {});
}

/** Called by Pulumi's dynamic-provider host once per process with the stack's configuration. */
export async function configure(request: dynamic.ConfigureRequest): Promise<void> {
    processState().config = request.config;
}

function parseWriteStrategy(value: string | undefined, source: string): WriteStrategy | undefined {
    if (value === undefined || value === "") return undefined;
    if (!(writeStrategies as readonly string[]).includes(value)) {
        throw new Error(`${source} must be one of ${writeStrategies.join(", ")}`);
    }
    return value as WriteStrategy;
}

/**
 * The provider of one resource kind (see `model.descriptions`), one instance per kind and strategy per process.
 * `writeStrategy` comes from the resource; without it, `msgraph:writeStrategy` from stack config, else `auto`.
 */
export function providerFor(kind: string, writeStrategy?: string): dynamic.ResourceProvider {
    const state = processState();
    const key = `${kind}/${writeStrategy ?? ""}`;
    let provider = state.providers.get(key);
    if (provider === undefined) {
        const fromResource = parseWriteStrategy(writeStrategy, "writeStrategy");
        provider = createAssignmentProvider(getDescription(kind), {
            client: graphClient,
            writeStrategy: () =>
                fromResource ?? parseWriteStrategy(stackConfig().get("msgraph:writeStrategy"), "msgraph:writeStrategy") ?? "auto",
        });
        state.providers.set(key, provider);
    }
    return provider;
}

/**
 * What the module stored in each resource's state (`__provider`, see sdk/dynamicAssignmentResource.ts) hands to
 * Pulumi's dynamic-provider host: {@link configure} for the stack config, and the CRUD methods of {@link providerFor}
 * (which read settings when they run, so configure may come first or not at all).
 */
export function dynamicProvider(kind: string, writeStrategy?: string): dynamic.ResourceProvider {
    return { ...providerFor(kind, writeStrategy), configure };
}
