/**
 * Which emulator family serves a resource description: the one whose policy collection one of the description's
 * routes names. The emulator's table is its own model of Graph (it never imports the descriptions), so the link is
 * made here, from the routes alone.
 */
import type { ResourceDescription } from "../provider/model";

/** The collection of policies a Graph path template names (everything before `/{policyId}`), lower case. */
export function policyCollection(template: string): string {
    return template.split("/{policyId}")[0]!.toLowerCase();
}

/** The policy collections a description's routes name: its parent, its `assign` action and the lists it reads. */
export function policyCollectionsOf(description: ResourceDescription): string[] {
    return [description.paths.parent, description.paths.assign, description.assignList?.listPath, description.readList?.listPath]
        .filter((p): p is string => p !== undefined)
        .map(policyCollection);
}

/** The first family (in the description's route order) whose `collection` one of the description's routes names. */
export function emulatorFamilyOf<F extends { readonly collection: string }>(description: ResourceDescription, families: readonly F[]): F | undefined {
    for (const collection of policyCollectionsOf(description)) {
        const family = families.find((f) => f.collection.toLowerCase() === collection);
        if (family !== undefined) return family;
    }
    return undefined;
}
