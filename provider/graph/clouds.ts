/**
 * National clouds and endpoint resolution for Microsoft Graph.
 *
 * Pure module: no I/O, no Pulumi.
 */

/** Names of the national clouds we know. */
export type CloudName = "global" | "usgov" | "usgovdod" | "china";

/** The endpoints of one national cloud. */
export interface CloudEndpoints {
    /** Graph root without the version segment and without a trailing slash. */
    readonly graphBaseUrl: string;
    /** Microsoft Entra authority host (login endpoint), without a trailing slash. */
    readonly authorityHost: string;
    /** OAuth2 scope for an app-only Graph token, `<graph>/.default`. */
    readonly scope: string;
}

/** National clouds (https://learn.microsoft.com/graph/deployments). */
export const clouds: Readonly<Record<CloudName, CloudEndpoints>> = Object.freeze({
    global: Object.freeze({
        graphBaseUrl: "https://graph.microsoft.com",
        authorityHost: "https://login.microsoftonline.com",
        scope: "https://graph.microsoft.com/.default",
    }),
    /** US Government L4 (GCC High). */
    usgov: Object.freeze({
        graphBaseUrl: "https://graph.microsoft.us",
        authorityHost: "https://login.microsoftonline.us",
        scope: "https://graph.microsoft.us/.default",
    }),
    /** US Government L5 (DoD). */
    usgovdod: Object.freeze({
        graphBaseUrl: "https://dod-graph.microsoft.us",
        authorityHost: "https://login.microsoftonline.us",
        scope: "https://dod-graph.microsoft.us/.default",
    }),
    /** Microsoft Graph China operated by 21Vianet. */
    china: Object.freeze({
        graphBaseUrl: "https://microsoftgraph.chinacloudapi.cn",
        authorityHost: "https://login.chinacloudapi.cn",
        scope: "https://microsoftgraph.chinacloudapi.cn/.default",
    }),
});

/** Default Graph API version segment. */
export const DEFAULT_API_VERSION = "beta";

/** Inputs of {@link resolveEndpoints}; every field is optional. */
export interface EndpointSettings {
    /** One of {@link CloudName}; default `global`. */
    readonly cloud?: string;
    /** Overrides the cloud's Graph root, e.g. a local emulator `https://127.0.0.1:8443`. The scope stays the cloud's. */
    readonly graphBaseUrl?: string;
    /** Overrides the cloud's authority host. */
    readonly authorityHost?: string;
    /** Graph version segment; default `beta`. */
    readonly apiVersion?: string;
    /** Overrides the token scope (default: the cloud's `<graph>/.default`). */
    readonly scope?: string;
    /** Accept `http:` URLs (tests only). Default false: https only. */
    readonly allowInsecureHttp?: boolean;
}

/** Result of {@link resolveEndpoints}. */
export interface ResolvedEndpoints {
    readonly cloud: CloudName;
    readonly graphBaseUrl: string;
    readonly authorityHost: string;
    readonly scope: string;
    readonly apiVersion: string;
}

/** True when `name` is one of the known cloud names. */
export function isCloudName(name: string): name is CloudName {
    return Object.prototype.hasOwnProperty.call(clouds, name);
}

/**
 * Validates and normalizes a base URL: absolute, https (or http when allowed), no credentials,
 * no query or fragment; returned without a trailing slash. `what` names the setting in errors;
 * the offending value is not echoed beyond its scheme.
 */
export function normalizeBaseUrl(value: string, what: string, allowInsecureHttp = false): string {
    let url: URL;
    try {
        url = new URL(value.trim());
    } catch {
        throw new Error(`${what} must be an absolute URL such as https://graph.microsoft.com`);
    }
    if (url.protocol !== "https:" && !(allowInsecureHttp && url.protocol === "http:")) {
        throw new Error(`${what} must use https (got scheme "${url.protocol.replace(/:$/, "")}")`);
    }
    if (url.username !== "" || url.password !== "") {
        throw new Error(`${what} must not contain credentials`);
    }
    if (url.search !== "" || url.hash !== "") {
        throw new Error(`${what} must not contain a query or fragment`);
    }
    return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

const API_VERSION = /^(beta|v\d+\.\d+)$/;

/**
 * Resolves the endpoints to use: the cloud's defaults, overridden field by field.
 * A custom `graphBaseUrl` (an emulator) keeps the cloud's scope unless `scope` is given.
 */
export function resolveEndpoints(settings: EndpointSettings = {}): ResolvedEndpoints {
    const cloudName = (settings.cloud ?? "global").trim().toLowerCase();
    if (!isCloudName(cloudName)) {
        throw new Error(`unknown cloud "${cloudName}": expected one of ${Object.keys(clouds).join(", ")}`);
    }
    const cloud = clouds[cloudName];
    const allowHttp = settings.allowInsecureHttp ?? false;
    const graphBaseUrl =
        settings.graphBaseUrl !== undefined && settings.graphBaseUrl !== ""
            ? normalizeBaseUrl(settings.graphBaseUrl, "graphBaseUrl", allowHttp)
            : cloud.graphBaseUrl;
    const authorityHost =
        settings.authorityHost !== undefined && settings.authorityHost !== ""
            ? normalizeBaseUrl(settings.authorityHost, "authorityHost", allowHttp)
            : cloud.authorityHost;
    const apiVersion = settings.apiVersion ?? DEFAULT_API_VERSION;
    if (!API_VERSION.test(apiVersion)) {
        throw new Error(`apiVersion must be "beta" or "vN.N" such as "v1.0"`);
    }
    const scope = settings.scope !== undefined && settings.scope !== "" ? settings.scope : cloud.scope;
    return { cloud: cloudName, graphBaseUrl, authorityHost, scope, apiVersion };
}

/** True when `authorityHost` is one of Microsoft's own authority hosts (instance discovery works there). */
export function isMicrosoftAuthorityHost(authorityHost: string): boolean {
    let host: string;
    try {
        host = new URL(authorityHost).host.toLowerCase();
    } catch {
        return false;
    }
    return Object.values(clouds).some((c) => new URL(c.authorityHost).host === host);
}
