/**
 * Allow-list redaction for logs and error messages. Bodies are never logged, so there is no body redactor.
 */

/** Placeholder for anything not on an allow-list. */
export const REDACTED = "REDACTED";

/** Header names (lower case) whose values may be logged. `x-ms-*` headers are allowed too. */
export const allowedHeaderNames: ReadonlySet<string> = new Set([
    "content-type",
    "content-length",
    "request-id",
    "client-request-id",
    "return-client-request-id",
    "retry-after",
    "date",
    "location",
    "user-agent",
    "accept",
]);

/** Query parameter names (lower case) whose values may be logged. Others (e.g. `$skiptoken`, `sig`) are redacted. */
export const allowedQueryParameters: ReadonlySet<string> = new Set([
    "$filter",
    "$select",
    "$expand",
    "$top",
    "$skip",
    "$orderby",
    "$count",
    "$search",
    "api-version",
]);

/** True when a header's value may be logged. */
export function isAllowedHeader(name: string): boolean {
    const n = name.toLowerCase();
    return allowedHeaderNames.has(n) || n.startsWith("x-ms-");
}

/** Header values as Node and got present them. */
export type HeaderBag = Readonly<Record<string, string | string[] | number | undefined>>;

/**
 * Returns a copy with lower-cased names; values of headers not on the allow-list (authorization, cookie,
 * set-cookie, anything unknown) become "REDACTED".
 */
export function redactHeaders(headers: HeaderBag): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
        if (value === undefined) continue;
        const n = name.toLowerCase();
        out[n] = isAllowedHeader(n) ? (Array.isArray(value) ? value.join(", ") : String(value)) : REDACTED;
    }
    return out;
}

/**
 * Redacts a URL or a path with a query: credentials in the authority are dropped, query values not on the allow-list
 * become "REDACTED", the fragment is dropped. Relative input stays relative.
 */
export function redactUrl(url: string): string {
    const noFragment = url.split("#", 1)[0] ?? "";
    const q = noFragment.indexOf("?");
    const base = q < 0 ? noFragment : noFragment.slice(0, q);
    const rawQuery = q < 0 ? "" : noFragment.slice(q + 1);
    let prefix = base;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(base)) {
        try {
            const u = new URL(base);
            prefix = `${u.protocol}//${u.host}${u.pathname}`;
        } catch {
            return REDACTED;
        }
    }
    // Iterate the raw query so encoding and order of allowed values are preserved.
    const parts: string[] = [];
    for (const pair of rawQuery === "" ? [] : rawQuery.split("&")) {
        const eq = pair.indexOf("=");
        const rawName = eq < 0 ? pair : pair.slice(0, eq);
        let name: string;
        try {
            name = decodeURIComponent(rawName.replace(/\+/g, " ")).toLowerCase();
        } catch {
            name = rawName.toLowerCase();
        }
        if (allowedQueryParameters.has(name)) {
            parts.push(pair);
        } else if (eq < 0) {
            parts.push(REDACTED);
        } else {
            parts.push(`${rawName}=${REDACTED}`);
        }
    }
    return parts.length > 0 ? `${prefix}?${parts.join("&")}` : prefix;
}

/**
 * Values shorter than this are not treated as secrets: replacing a 1 to 3 character value would blank out ordinary
 * words and ids everywhere, and such a value protects nothing anyway. From 4 characters on every occurrence is
 * replaced, also inside longer words: a short secret (a PIN-like certificate password, a test passphrase) may mask a
 * few harmless matches in a log line, which is preferred to letting it through.
 */
export const MIN_SECRET_LENGTH = 4;

const BEARER = /\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi;
/**
 * A JWT (access token, GitHub / Azure DevOps OIDC token, client assertion): base64url JSON header and payload. No
 * word boundary in front: in JSON-escaped text a token often follows `\n` or `\u0022`, whose last character is a letter.
 */
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The one redaction of this package, for the provider's errors and logs and for the CLI's output, summaries and
 * error lines: replaces every occurrence of a known secret of {@link MIN_SECRET_LENGTH} characters or more (token,
 * client secret, certificate password, CI request tokens such as ACTIONS_ID_TOKEN_REQUEST_TOKEN and
 * SYSTEM_ACCESSTOKEN, the Pulumi passphrase), plus anything that looks like a bearer token or a JWT (which covers
 * every OIDC token), with "REDACTED". One pass over the text, longest secret first, so a secret containing another is
 * replaced whole and an inserted marker is never matched again.
 */
export function redactSecrets(text: string, secrets: Iterable<string | undefined> = []): string {
    const list = [...new Set(secrets)]
        .filter((s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH)
        .sort((a, b) => b.length - a.length);
    const known = list.length === 0 ? text : text.replace(new RegExp(list.map(escapeRegExp).join("|"), "g"), REDACTED);
    return known.replace(BEARER, `$1 ${REDACTED}`).replace(JWT, REDACTED);
}
