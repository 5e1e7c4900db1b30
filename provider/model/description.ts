/**
 * The declarative description of one Graph assignment resource type. One description drives validation (its JSON
 * Schema is generated from {@link ResourceDescription.properties}), normalisation, diff, PATCH building and path
 * building alike: adding a resource type means adding a description, never touching the engine.
 */
import { PATH_PARAMETER_KINDS, type IdKind } from "./ids.js";
import { buildInputSchema } from "./schema.js";
import type { DefaultWriteStrategy, ResourceDefinition, ResourceDescription } from "./types.js";

export * from "./types.js";
export { UNKNOWN_VALUE } from "./ids.js";

/**
 * Checks a definition for internal consistency and attaches its generated input schema.
 * @throws Error when the definition contradicts itself (a programming error, caught by the unit tests).
 */
export function defineResource(definition: ResourceDefinition): ResourceDescription {
    const declared = Object.keys(definition.properties).sort();
    const roles = [...definition.bodyProperties, ...definition.pathProperties].sort();
    if (JSON.stringify(declared) !== JSON.stringify(roles)) {
        throw new Error(`${definition.kind}: properties must be exactly bodyProperties + pathProperties`);
    }
    for (const path of [...definition.replaceOnChange, ...definition.required]) {
        if (!(path.split(".")[0] in definition.properties)) {
            throw new Error(`${definition.kind}: "${path}" is not an input property`);
        }
    }
    const { itemRoutes, assignList } = definition;
    const itemWrites = itemRoutes.create && itemRoutes.delete;
    if (!itemWrites && assignList === undefined) {
        throw new Error(`${definition.kind}: neither item routes nor an assign action: nothing can write it`);
    }
    if (!itemRoutes.update && assignList === undefined) {
        // Nothing could update it in place: the engine would send a PATCH Graph does not serve.
        const updatable = definition.bodyProperties.filter((key) => !definition.replaceOnChange.includes(key));
        if (updatable.length > 0) {
            throw new Error(`${definition.kind}: neither PATCH nor an assign action: ${updatable.join(", ")} must be in replaceOnChange`);
        }
    }
    if (assignList !== undefined && definition.paths.assign === undefined) {
        throw new Error(`${definition.kind}: assignList needs paths.assign`);
    }
    const defaultWriteStrategy: DefaultWriteStrategy = !itemWrites ? "assign" : assignList === undefined ? "item" : "auto";
    const pathKinds: Record<string, IdKind> = { ...PATH_PARAMETER_KINDS };
    for (const key of definition.pathProperties) {
        const spec = definition.properties[key]!;
        if (spec.type !== "guid" && spec.type !== "intuneId") throw new Error(`${definition.kind}: path property ${key} must be an id`);
        pathKinds[key] = spec.type;
    }
    return Object.freeze({ ...definition, inputSchema: buildInputSchema(definition), defaultWriteStrategy, pathKinds: Object.freeze(pathKinds) });
}
