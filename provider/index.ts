/**
 * Runtime entry point of the dynamic provider. The module Pulumi stores in state only does
 * `require("pulumi-msgraph-assignments/provider")` and calls {@link dynamicProvider}: `refresh` and `destroy` run the
 * installed code, and no setting or credential is ever serialized. Settings are read when a method runs, from the
 * stack config Pulumi hands to `configure` (namespace `msgraph:`) with the standard AZURE_* variables as fallback.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { AUTH_ENVIRONMENT_VARIABLES, getSharedGraphClient, redactSecrets, resolveAuthSettings, type AuthSettings, type GraphClient, type LogEntry } from "./graph";
import { getDescription } from "./model";
import { createAssignmentProvider } from "./engine/assignmentProvider";
import { warnOnResource } from "./hostLog";
import { processSingleton } from "./processRegistry";
import { optionFailures, resolveAdoptExisting, resolveWriteStrategy } from "./resourceOptions";

export * as model from "./model";
export * as graph from "./graph";
export { createAssignmentProvider, writeStrategies, type WriteStrategy } from "./engine/assignmentProvider";
export { optionFailures, resolveAdoptExisting, resolveWriteStrategy, resourceOptionsOf, type ResourceOptions } from "./resourceOptions";

interface ProcessState {
    config?: dynamic.Config;
    providers: Map<string, dynamic.ResourceProvider>;
    /** The settings last resolved, and from what: every operation needs them, and the inputs rarely change. */
    resolved?: { readonly config: dynamic.Config | undefined; readonly environment: Readonly<Record<string, string | undefined>>; readonly settings: AuthSettings };
}

/** Shared by every copy of this module in the process: the serialized closure of each resource may load its own. */
function processState(): ProcessState {
    return processSingleton("provider", (): ProcessState => ({ providers: new Map() }));
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

/** The Graph settings of the stack config and the environment as they are now; resolved again only when either changed. */
export function currentAuthSettings(): AuthSettings {
    const state = processState();
    const last = state.resolved;
    if (last !== undefined && last.config === state.config && AUTH_ENVIRONMENT_VARIABLES.every((name) => process.env[name] === last.environment[name])) {
        return last.settings;
    }
    const settings = resolveAuthSettings(stackConfig(), process.env); // throws on a missing setting: nothing kept
    const environment = Object.fromEntries(AUTH_ENVIRONMENT_VARIABLES.map((name) => [name, process.env[name]]));
    state.resolved = { config: state.config, environment, settings };
    return settings;
}

function graphClient(): GraphClient {
    const settings = currentAuthSettings();
    const verbose = (process.env.MSGRAPH_LOG_LEVEL ?? "").toLowerCase() === "debug";
    return getSharedGraphClient(settings, verbose ? { logger: logToStderr } : {});
}

/** Called by Pulumi's dynamic-provider host once per process with the stack's configuration. */
export async function configure(request: dynamic.ConfigureRequest): Promise<void> {
    processState().config = request.config;
}

/** The resource's URN, which the SDK passes as the `__urn` input (the host gives providers none). */
function urnOf(inputs: Record<string, unknown>): string | undefined {
    return typeof inputs.__urn === "string" && inputs.__urn.startsWith("urn:pulumi:") ? inputs.__urn : undefined;
}

/**
 * The provider of one resource kind (see `model.descriptions`), one instance per kind and options per process.
 * `options` are the resource's own (see ./resourceOptions: a write strategy, or `{ writeStrategy, adoptExisting }`);
 * what they leave out comes from stack config (`msgraph:writeStrategy`, `msgraph:adoptExisting`), else `auto` and
 * adoption allowed. Invalid values fail `check` like any input; they never throw here.
 */
export function providerFor(kind: string, options?: unknown): dynamic.ResourceProvider {
    const state = processState();
    const key = `${kind}/${JSON.stringify(options ?? null)}`;
    let provider = state.providers.get(key);
    if (provider === undefined) {
        const description = getDescription(kind);
        const engine = createAssignmentProvider(description, {
            client: graphClient,
            writeStrategy: () => resolveWriteStrategy(options, stackConfig(), description),
            adoptExisting: () => resolveAdoptExisting(options, stackConfig()),
            warn: (message, inputs) => warnOnResource(message, urnOf(inputs)),
        });
        provider = {
            ...engine,
            async check(olds, news) {
                const result = await engine.check(olds, news);
                const failures = [...optionFailures(options, stackConfig(), description), ...(result.failures ?? [])];
                return failures.length > 0 ? { inputs: result.inputs, failures } : { inputs: result.inputs };
            },
        };
        state.providers.set(key, provider);
    }
    return provider;
}

/**
 * What the module stored in each resource's state (`__provider`, see sdk/dynamicAssignmentResource.ts) hands to
 * Pulumi's dynamic-provider host: {@link configure} for the stack config, and the CRUD methods of {@link providerFor}
 * (which read settings when they run, so configure may come first or not at all).
 */
export function dynamicProvider(kind: string, options?: unknown): dynamic.ResourceProvider {
    return { ...providerFor(kind, options), configure };
}
