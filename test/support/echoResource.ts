import * as pulumi from "@pulumi/pulumi";

/** A do-nothing dynamic resource: proves the engine and plugin work (smoke test) and is the engine's floor (bench). */
const echoProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs) {
        return { id: `echo-${inputs.message}`, outs: inputs };
    },
    async diff(_id, olds, news) {
        return { changes: olds.message !== news.message };
    },
    async update(_id, _olds, news) {
        return { outs: news };
    },
};

export class Echo extends pulumi.dynamic.Resource {
    constructor(name: string, message: string) {
        super(echoProvider, name, { message }, {});
    }
}
