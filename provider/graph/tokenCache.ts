/**
 * Token cache: one scope's access token from a credential, refreshed ahead of expiry, one refresh in flight, back-off
 * after failures, and renewal on a new credential when Graph rejects a token.
 */
import type { AccessToken, TokenCredential } from "@azure/identity";
import { redactSecrets } from "./redact";
import { CONFIG_NAMESPACE } from "./authSettings";

/** Options of {@link TokenCache}. */
export interface TokenCacheOptions {
    /** Clock, ms since epoch (tests). Default Date.now. */
    readonly now?: () => number;
    /** Refresh this long before expiry (unless the token says `refreshAfterTimestamp`). Default 5 min. */
    readonly refreshMarginMs?: number;
    /** Secrets to scrub from credential error messages (client secret, certificate password). */
    readonly secrets?: () => Iterable<string | undefined>;
    /**
     * Builds a new credential, with an empty token cache, to replace a token Graph rejected. @azure/identity's secret,
     * certificate and assertion credentials answer from their own cache until the token expires, so asking the same
     * instance again would return the rejected token. Without it the same credential is asked again.
     */
    readonly renewCredential?: () => TokenCredential;
    /** Wait after a failed token call before another one is started; doubles per consecutive failure. Default 5 s. */
    readonly failureBackoffMs?: number;
    /** Upper bound of that wait. Default 60 s. */
    readonly maxFailureBackoffMs?: number;
}

interface CachedToken {
    readonly token: string;
    readonly expiresOn: number;
    readonly refreshAt: number;
}

/** A token call in flight; `renews` when it runs on a new credential (after Graph rejected a token). */
interface InflightRefresh {
    readonly promise: Promise<CachedToken>;
    readonly renews: boolean;
}

/** The last token call failed: no new one starts before `retryAt`; callers without a valid token get `error`. */
interface RefreshFailure {
    readonly error: Error;
    readonly retryAt: number;
    readonly consecutive: number;
}

/**
 * Wraps a TokenCredential for one scope: caches the token, refreshes ahead of expiry (at `refreshAfterTimestamp`, else
 * at the later of half-life and expiry minus the margin), shares one in-flight refresh between concurrent callers,
 * and keeps serving a still-valid token when an early refresh fails. A failed token call is not repeated by every
 * following request: the next one starts after a back-off (never later than the cached token's expiry). A token Graph
 * rejected is replaced once, by a token from a new credential (see {@link TokenCacheOptions.renewCredential}).
 */
export class TokenCache {
    private credential: TokenCredential;
    private readonly scopes: string[];
    private readonly now: () => number;
    private readonly marginMs: number;
    private readonly secrets: () => Iterable<string | undefined>;
    private readonly renewCredential: (() => TokenCredential) | undefined;
    private readonly failureBackoffMs: number;
    private readonly maxFailureBackoffMs: number;
    private cached: CachedToken | undefined;
    private inflight: InflightRefresh | undefined;
    private failure: RefreshFailure | undefined;

    constructor(credential: TokenCredential, scopes: string | readonly string[], options: TokenCacheOptions = {}) {
        this.credential = credential;
        this.scopes = typeof scopes === "string" ? [scopes] : [...scopes];
        this.now = options.now ?? Date.now;
        this.marginMs = options.refreshMarginMs ?? 5 * 60_000;
        this.secrets = options.secrets ?? (() => []);
        this.renewCredential = options.renewCredential;
        this.failureBackoffMs = options.failureBackoffMs ?? 5_000;
        this.maxFailureBackoffMs = options.maxFailureBackoffMs ?? 60_000;
    }

    /** The current token, for redaction only. */
    public get currentToken(): string | undefined {
        return this.cached?.token;
    }

    /** Drops the cached token; the next getToken() fetches a new one. */
    public invalidate(): void {
        this.cached = undefined;
    }

    /**
     * A bearer token. `rejectedToken`: Graph answered 401 to this token; if it is still the cached one it is replaced
     * by a token from a new credential (callers holding the same rejected token share that one renewal); if it was
     * replaced already, the replacement is returned.
     */
    public async getToken(options?: { readonly rejectedToken?: string }): Promise<string> {
        let renew = false;
        if (options?.rejectedToken !== undefined && this.cached?.token === options.rejectedToken) {
            this.cached = undefined;
            this.failure = undefined; // a rejection is news: it earns one token call even during a back-off
            renew = true;
        }
        const now = this.now();
        const cached = this.cached;
        if (cached !== undefined && now < cached.refreshAt) return cached.token;
        const failure = this.failure;
        if (!renew && this.inflight === undefined && failure !== undefined && now < failure.retryAt) {
            if (cached !== undefined && now < cached.expiresOn) return cached.token;
            throw failure.error;
        }
        try {
            return (await this.refresh(renew)).token;
        } catch (e) {
            const still = this.cached;
            if (still !== undefined && this.now() < still.expiresOn) {
                return still.token; // early refresh failed; the old token is still valid
            }
            throw e;
        }
    }

    /**
     * Joins the token call in flight, or starts one. A renewal does not join a plain refresh (that one asks the old
     * credential, which may answer with the rejected token from its cache): it starts when that one has settled.
     */
    private refresh(renew: boolean): Promise<CachedToken> {
        const current = this.inflight;
        if (current !== undefined && (current.renews || !renew)) return current.promise;
        const settled = current === undefined ? Promise.resolve() : current.promise.then(() => undefined, () => undefined);
        const promise = settled.then(() => this.obtain(renew));
        const entry: InflightRefresh = { promise, renews: renew };
        this.inflight = entry;
        const clear = (): void => {
            if (this.inflight === entry) this.inflight = undefined;
        };
        promise.then(clear, clear);
        return promise;
    }

    /** One token call; records the token, or the failure and when the next call may start. */
    private async obtain(renew: boolean): Promise<CachedToken> {
        if (renew && this.renewCredential !== undefined) this.credential = this.renewCredential();
        const obtainedAt = this.now();
        let at: AccessToken | null;
        try {
            at = await this.credential.getToken(this.scopes);
        } catch (e) {
            const msg = e instanceof Error ? e.message : String(e);
            const err = new Error(
                `${CONFIG_NAMESPACE}: could not get a token for ${this.scopes.join(" ")}: ` +
                    redactSecrets(msg, [this.cached?.token, ...this.secrets()]),
            );
            err.name = e instanceof Error ? e.name : "AuthenticationError";
            throw this.failed(err);
        }
        if (at === null || typeof at.token !== "string" || at.token === "") {
            throw this.failed(new Error(`${CONFIG_NAMESPACE}: the credential returned no token for ${this.scopes.join(" ")}`));
        }
        const expiresOn = at.expiresOnTimestamp;
        const refreshAt =
            at.refreshAfterTimestamp ??
            Math.max(obtainedAt + (expiresOn - obtainedAt) / 2, expiresOn - this.marginMs);
        const entry: CachedToken = { token: at.token, expiresOn, refreshAt };
        this.cached = entry;
        this.failure = undefined;
        return entry;
    }

    /** Records a failed token call: the next starts after a doubling back-off, and no later than the cached token expires. */
    private failed(error: Error): Error {
        const consecutive = (this.failure?.consecutive ?? 0) + 1;
        const backoff = Math.min(this.failureBackoffMs * 2 ** (consecutive - 1), this.maxFailureBackoffMs);
        const expiresOn = this.cached?.expiresOn ?? Number.POSITIVE_INFINITY;
        this.failure = { error, retryAt: Math.min(this.now() + backoff, expiresOn), consecutive };
        return error;
    }
}
