import type * as pulumi from "@pulumi/pulumi";

/**
 * The provider object Pulumi serializes into state for a resource kind. Each method loads the installed package at
 * run time, so the stored closure stays a few hundred bytes, captures nothing but `kind` and the write strategy, and `refresh`/`destroy`
 * always run the current provider code. Keep these functions free of any other captured value.
 */
export function serializedProvider(kind: string, writeStrategy?: string): pulumi.dynamic.ResourceProvider {
    return {
        async configure(req) {
            return require("pulumi-msgraph-assignments/provider").configure(req);
        },
        async check(olds, news) {
            return require("pulumi-msgraph-assignments/provider").providerFor(kind, writeStrategy).check(olds, news);
        },
        async diff(id, olds, news) {
            return require("pulumi-msgraph-assignments/provider").providerFor(kind, writeStrategy).diff(id, olds, news);
        },
        async create(inputs) {
            return require("pulumi-msgraph-assignments/provider").providerFor(kind, writeStrategy).create(inputs);
        },
        async read(id, props) {
            return require("pulumi-msgraph-assignments/provider").providerFor(kind, writeStrategy).read(id, props);
        },
        async update(id, olds, news) {
            return require("pulumi-msgraph-assignments/provider").providerFor(kind, writeStrategy).update(id, olds, news);
        },
        async delete(id, props) {
            return require("pulumi-msgraph-assignments/provider").providerFor(kind, writeStrategy).delete(id, props);
        },
    };
}
