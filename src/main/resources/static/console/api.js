// Every data call goes through here: the bearer token from this tab's sessionStorage, problem documents turned
// into ApiError, and a 401 anywhere sending the person back to sign-in with the reason.

const TOKEN_KEY = 'yolo.console.token';

export const session = {
    token() {
        return sessionStorage.getItem(TOKEN_KEY);
    },
    signIn(token) {
        sessionStorage.setItem(TOKEN_KEY, token);
    },
    signOut() {
        sessionStorage.removeItem(TOKEN_KEY);
    },
    /** The token's claims, read without checking: only to decide which links to show; the API decides. */
    claims() {
        const token = this.token();
        try {
            const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
            return JSON.parse(atob(payload));
        } catch (e) {
            return {};
        }
    },
    roles() {
        const claims = this.claims();
        const meta = claims.app_metadata || {};
        return [claims.role, claims.roles, meta.role, meta.roles].flat().filter(Boolean);
    },
};

export class ApiError extends Error {
    constructor(status, problem) {
        super((problem && (problem.error || problem.detail)) || `The service answered ${status}`);
        this.status = status;
        this.problem = problem || {};
    }
}

let unauthorized = () => {};

/** What to do when the API refuses the token (expired, signed with another key, malformed). */
export function onUnauthorized(handler) {
    unauthorized = handler;
}

/**
 * A JSON call. Answers {status, data, etag}; with `etag` set a 304 answers {status: 304} and no data.
 */
export async function call(method, path, { body, etag } = {}) {
    const headers = { Accept: 'application/json' };
    const token = session.token();
    if (token) {
        headers.Authorization = `Bearer ${token}`;
    }
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
    }
    if (etag) {
        headers['If-None-Match'] = etag;
    }
    let response;
    try {
        response = await fetch(path, {
            method, headers, cache: 'no-store',
            body: body === undefined ? undefined : JSON.stringify(body),
        });
    } catch (e) {
        throw new ApiError(0, { error: 'The service cannot be reached' });
    }
    if (response.status === 304) {
        return { status: 304, data: null, etag };
    }
    const data = await response.json().catch(() => null);
    if (response.status === 401) {
        const error = new ApiError(401, data);
        unauthorized(error.message);
        throw error;
    }
    if (!response.ok) {
        throw new ApiError(response.status, data);
    }
    return { status: response.status, data, etag: response.headers.get('ETag') };
}

export const get = (path, options) => call('GET', path, options).then(answer => answer.data);
export const post = (path, body) => call('POST', path, { body }).then(answer => answer.data);

/** The event stream's URL: the only place a token goes into a URL, since EventSource cannot send headers. */
export function eventStreamUrl(jobId) {
    return `/api/registration/jobs/${encodeURIComponent(jobId)}/events?access_token=${encodeURIComponent(session.token())}`;
}

let restaurantsCache = null;

/** The organisation's restaurants with their menus, read once per sign-in. */
export async function restaurants() {
    if (!restaurantsCache) {
        restaurantsCache = get('/api/restaurants').catch(error => {
            restaurantsCache = null;
            throw error;
        });
    }
    return restaurantsCache;
}

export function forgetCaches() {
    restaurantsCache = null;
}
