/**
 * The one per-process registry: state that every copy of this package loaded in one process must share (Pulumi's
 * dynamic-provider host can load the package more than once), kept on `globalThis` under one symbol.
 */
const REGISTRY = Symbol.for("pulumi-msgraph-assignments.process");

type Registry = Map<string, unknown>;

/** The process-wide value named `name`, created by `create` the first time any copy of the package asks. */
export function processSingleton<T>(name: string, create: () => T): T {
    const g = globalThis as unknown as Record<symbol, Registry | undefined>;
    const registry = (g[REGISTRY] ??= new Map());
    if (!registry.has(name)) registry.set(name, create());
    return registry.get(name) as T;
}
