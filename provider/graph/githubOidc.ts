/**
 * GitHub Actions' OIDC ID token request (what `core.getIDToken()` does): GET ACTIONS_ID_TOKEN_REQUEST_URL with an
 * `audience`, authorized by ACTIONS_ID_TOKEN_REQUEST_TOKEN, answering `{"value":"<jwt>"}`. GitHub's tokens live
 * minutes, so every call fetches a fresh one and nothing is cached, on disk or in memory.
 */
import type * as https from "node:https";
import got from "got";
import { redactSecrets, redactUrl } from "./redact";

/** Audience Entra expects in federated assertions (the default of every federated identity credential). */
export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

/** What a GitHub Actions job exposes when it has `permissions: id-token: write`. */
export interface GitHubOidcSource {
    /** ACTIONS_ID_TOKEN_REQUEST_URL; it already has a query (`?api-version=2.0`). */
    readonly requestUrl: string;
    /** ACTIONS_ID_TOKEN_REQUEST_TOKEN. Secret. */
    readonly requestToken: string;
}

/** Options of {@link gitHubOidcTokenFetcher}. */
export interface GitHubOidcFetchOptions {
    /** Audience of the ID token. Default api://AzureADTokenExchange. */
    readonly audience?: string;
    /** Agent carrying the trusted CAs (a custom CA such as the emulator's). */
    readonly agent?: https.Agent;
    /** Per-request timeout. Default 30 s. */
    readonly timeoutMs?: number;
}

/** The request URL with `audience` added to its query. */
export function gitHubIdTokenUrl(requestUrl: string, audience: string): string {
    const url = new URL(requestUrl);
    url.searchParams.set("audience", audience);
    return url.toString();
}

/**
 * Returns a function that fetches a new GitHub ID token on every call (for ClientAssertionCredential's
 * getAssertion). Errors name the URL (redacted) and status, never the request token or a token.
 *
 * The request goes through got like every other HTTP call of the provider, with got's retries off (a failed
 * assertion is retried by @azure/identity's caller), no redirects (the request token is not sent anywhere else),
 * no decompression (so no Accept-Encoding header: the headers are exactly the three below), and HTTP errors answered
 * rather than thrown. got's error objects carry the request options, Authorization header included, so only their
 * code and message are used, never the object itself or as `cause`.
 */
export function gitHubOidcTokenFetcher(source: GitHubOidcSource, options: GitHubOidcFetchOptions = {}): () => Promise<string> {
    const audience = options.audience ?? TOKEN_EXCHANGE_AUDIENCE;
    const timeoutMs = options.timeoutMs ?? 30_000;
    return async () => {
        const url = gitHubIdTokenUrl(source.requestUrl, audience);
        const fail = (detail: string): Error =>
            new Error(
                `msgraph: the GitHub Actions OIDC token request to ${redactUrl(source.requestUrl)} failed: ` +
                    redactSecrets(detail, [source.requestToken]),
            );
        // node:https refused anything else; got would send the request token in clear over http:.
        if (!url.startsWith("https:")) throw fail("the URL is not https");
        let res: { statusCode: number; body: string };
        try {
            res = await got(url, {
                method: "GET",
                headers: {
                    authorization: `bearer ${source.requestToken}`,
                    accept: "application/json; api-version=2.0",
                    "user-agent": "pulumi-msgraph-assignments",
                },
                ...(options.agent !== undefined ? { agent: { https: options.agent } } : {}),
                timeout: { request: timeoutMs },
                retry: { limit: 0 },
                throwHttpErrors: false,
                followRedirect: false,
                decompress: false,
                responseType: "text",
            });
        } catch (e: unknown) {
            const err = e as { name?: unknown; code?: unknown; message?: unknown };
            if (err.name === "TimeoutError") throw fail(`no answer within ${timeoutMs} ms`);
            const message = typeof err.message === "string" ? err.message : String(e);
            // got's own code for an error without one says nothing the message does not.
            const code = typeof err.code === "string" && err.code !== "ERR_GOT_REQUEST_ERROR" ? err.code : undefined;
            throw fail(code !== undefined ? `${code} ${message}` : message);
        }
        let body: { value?: unknown; message?: unknown } | undefined;
        try {
            body = JSON.parse(res.body) as typeof body;
        } catch {
            body = undefined;
        }
        if (res.statusCode !== 200) {
            const message = typeof body?.message === "string" ? ` (${body.message.slice(0, 300)})` : "";
            const hint = res.statusCode === 401 || res.statusCode === 403
                ? "; the request token is rejected: does the job have `permissions: id-token: write`, and is it still running?"
                : "";
            throw fail(`HTTP ${res.statusCode}${message}${hint}`);
        }
        if (typeof body?.value !== "string" || body.value === "") {
            throw fail("the answer has no `value` token");
        }
        return body.value;
    };
}
