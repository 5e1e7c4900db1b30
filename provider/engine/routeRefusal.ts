/**
 * Telling a refused route (the service does not serve this URL at all) from an answer about an entity. Under the
 * `auto` write strategy a refused item route switches the resource kind to `assign`; an answer about an entity
 * (404: the assignment is gone) must keep its meaning.
 */

/** Intune's answers for a route its service does not implement (several services refuse item-level writes). */
const NO_ROUTE = /No OData route exists|No method match route template/i;
/** OData's answer for a path segment it cannot resolve, e.g. a tenant without the draft `/provisioningPolicies` root. */
const UNKNOWN_SEGMENT = /Resource not found for the segment '([^']*)'/i;

/** The literal (non-placeholder) segments of route templates, lower case. */
function literalSegments(routeTemplates: readonly string[]): Set<string> {
    return new Set(
        routeTemplates.flatMap((template) => template.split(/[/?]/).filter((s) => s !== "" && !s.includes("{"))).map((s) => s.toLowerCase()),
    );
}

/**
 * True when `error` says the route itself is not served: a 400 "No OData route exists ..." / "No method match route
 * template", or a 400 or 404 "Resource not found for the segment '<s>'" where `<s>` is a literal segment of one of
 * `routeTemplates` (the routes that were called). A 404 for a missing assignment or policy names no literal segment
 * (or says nothing of segments) and is not a refusal.
 */
export function isItemRouteRefused(error: unknown, routeTemplates: readonly string[]): boolean {
    const e = error as { status?: unknown; graphMessage?: unknown; message?: unknown } | undefined;
    if (e?.status !== 400 && e?.status !== 404) return false;
    const text = `${String(e.graphMessage ?? "")} ${String(e.message ?? "")}`;
    if (e.status === 400 && NO_ROUTE.test(text)) return true;
    const segment = UNKNOWN_SEGMENT.exec(text)?.[1];
    return segment !== undefined && literalSegments(routeTemplates).has(segment.toLowerCase());
}
