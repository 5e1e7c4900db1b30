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
    const p = () => require("pulumi-msgraph-assignments/provider").providerFor(kind, writeStrategy);
    return {
        configure: (r) => require("pulumi-msgraph-assignments/provider").configure(r),
        check: (o, n) => p().check(o, n),
        diff: (i, o, n) => p().diff(i, o, n),
        create: (n) => p().create(n),
        read: (i, o) => p().read(i, o),
        update: (i, o, n) => p().update(i, o, n),
        delete: (i, o) => p().delete(i, o),
    };
}
