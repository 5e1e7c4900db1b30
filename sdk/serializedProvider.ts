import type * as pulumi from "@pulumi/pulumi";

/**
 * The provider object Pulumi serializes into state for a resource kind. Each method loads the installed package at
 * run time, so the stored closure stays small (one shared loader, one-line methods), captures nothing but `kind` and
 * the write strategy, and `refresh`/`destroy` always run the current provider code. Keep these functions free of any
 * other captured value: everything they capture is written into every resource's state.
 */
export function serializedProvider(kind: string, writeStrategy?: string): pulumi.dynamic.ResourceProvider {
    // Pulumi serializes a provider once per object: sharing one per kind and strategy saves that work per resource.
    const key = `${kind}/${writeStrategy ?? ""}`;
    let provider = sharedProviders.get(key);
    if (provider === undefined) {
        provider = buildProvider(kind, writeStrategy);
        sharedProviders.set(key, provider);
    }
    return provider;
}

const sharedProviders = new Map<string, pulumi.dynamic.ResourceProvider>();

function buildProvider(kind: string, writeStrategy: string | undefined): pulumi.dynamic.ResourceProvider {
    // Every byte here is stored per resource: one loader that also serves as `configure` (Pulumi passes it the
    // request), rest parameters, one-letter names.
    const k = kind;
    const w = writeStrategy;
    const p = (r?: pulumi.dynamic.ConfigureRequest) => require("pulumi-msgraph-assignments/provider").providerFor(k, w, r);
    return {
        configure: p,
        check: (...a) => p().check(...a),
        diff: (...a) => p().diff(...a),
        create: (...a) => p().create(...a),
        read: (...a) => p().read(...a),
        update: (...a) => p().update(...a),
        delete: (...a) => p().delete(...a),
    };
}
