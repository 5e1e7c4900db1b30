/**
 * GitHub Actions' OIDC ID token request (what `core.getIDToken()` does): GET ACTIONS_ID_TOKEN_REQUEST_URL with an
 * `audience`, authorized by ACTIONS_ID_TOKEN_REQUEST_TOKEN, answering `{"value":"<jwt>"}`. GitHub's tokens live
 * minutes, so every call fetches a fresh one and nothing is cached, on disk or in memory.
 */
import * as https from "node:https";
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
 */
export function gitHubOidcTokenFetcher(source: GitHubOidcSource, options: GitHubOidcFetchOptions = {}): () => Promise<string> {
    const audience = options.audience ?? TOKEN_EXCHANGE_AUDIENCE;
    const timeoutMs = options.timeoutMs ?? 30_000;
    return () => {
        const url = gitHubIdTokenUrl(source.requestUrl, audience);
        const fail = (detail: string): Error =>
            new Error(
                `msgraph: the GitHub Actions OIDC token request to ${redactUrl(source.requestUrl)} failed: ` +
                    redactSecrets(detail, [source.requestToken]),
            );
        return new Promise<string>((resolve, reject) => {
            const req = https.request(
                url,
                {
                    method: "GET",
                    headers: {
                        authorization: `bearer ${source.requestToken}`,
                        accept: "application/json; api-version=2.0",
                        "user-agent": "pulumi-msgraph-assignments",
                    },
                    ...(options.agent !== undefined ? { agent: options.agent } : {}),
                    timeout: timeoutMs,
                },
                (res) => {
                    const chunks: Buffer[] = [];
                    res.on("data", (c: Buffer) => chunks.push(c));
                    res.on("error", (e) => reject(fail(e.message)));
                    res.on("end", () => {
                        const text = Buffer.concat(chunks).toString("utf8");
                        let body: { value?: unknown; message?: unknown } | undefined;
                        try {
                            body = JSON.parse(text) as typeof body;
                        } catch {
                            body = undefined;
                        }
                        if (res.statusCode !== 200) {
                            const message = typeof body?.message === "string" ? ` (${body.message.slice(0, 300)})` : "";
                            const hint = res.statusCode === 401 || res.statusCode === 403
                                ? "; the request token is rejected: does the job have `permissions: id-token: write`, and is it still running?"
                                : "";
                            reject(fail(`HTTP ${res.statusCode ?? 0}${message}${hint}`));
                            return;
                        }
                        if (typeof body?.value !== "string" || body.value === "") {
                            reject(fail("the answer has no `value` token"));
                            return;
                        }
                        resolve(body.value);
                    });
                },
            );
            req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
            req.on("error", (e: NodeJS.ErrnoException) => reject(fail(e.code !== undefined ? `${e.code} ${e.message}` : e.message)));
            req.end();
        });
    };
}
