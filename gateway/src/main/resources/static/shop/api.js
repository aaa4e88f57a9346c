// Calls to the platform's API through the gateway (same origin), and what each failure means to a
// shopper. The access token lives in sessionStorage: it lasts as long as the tab, never goes into a
// URL, and is sent only as the Authorization header.

const TOKEN = 'emporium.token';

/**
 * Which view is shown: each new view takes the next number. A read (GET) that answers after its
 * view was left is dropped, so that a slow answer never draws over the view that followed it.
 * Writes always complete.
 */
let view = 0;

export function newView() {
  view += 1;
}

/** What a failed call means, in a sentence a shopper understands; also the status and the problem. */
export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(status === DROPPED ? 'The view was left before the answer came.' : explain(status, problem, retryAfter));
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
    this.dropped = status === DROPPED;
  }
}

/** The status of a read dropped because its view was left (see newView). */
const DROPPED = -1;

export const session = {
  /** The token, unless it has expired or there is none. */
  token() {
    const token = sessionStorage.getItem(TOKEN);
    if (!token) return null;
    const claims = decode(token);
    if (!claims || (claims.exp && claims.exp * 1000 <= Date.now())) return null;
    return token;
  },
  /** The signed-in account's claims (sub, roles, exp), or null. */
  claims() {
    const token = this.token();
    return token ? decode(token) : null;
  },
  isAdmin() {
    const claims = this.claims();
    return Boolean(claims && Array.isArray(claims.roles) && claims.roles.includes('ADMIN'));
  },
  /** Whether a token was kept that has now expired (the session ended rather than never began). */
  expired() {
    return sessionStorage.getItem(TOKEN) !== null && this.token() === null;
  },
  start(token) {
    sessionStorage.setItem(TOKEN, token);
  },
  end() {
    sessionStorage.removeItem(TOKEN);
  },
};

function decode(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), '=')));
  } catch {
    return null;
  }
}

/**
 * One call. With {@code auth}, the token goes along; without a valid one the call is not made and an
 * ApiError with status 401 is thrown, as the gateway would answer.
 * @returns {Promise<{status: number, data: any, headers: Headers}>}
 */
export async function api(method, path, { body, headers = {}, auth = false } = {}) {
  const sent = { Accept: 'application/json, application/problem+json', ...headers };
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  if (auth) {
    const token = session.token();
    if (!token) throw new ApiError(401, null, null);
    sent.Authorization = `Bearer ${token}`;
  }
  const askedFor = view;
  let response;
  try {
    response = await fetch(path, { method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, null, null);
  }
  const text = await response.text();
  if (method === 'GET' && askedFor !== view) throw new ApiError(DROPPED, null, null);
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) throw new ApiError(response.status, data, response.headers.get('Retry-After'));
  return { status: response.status, data, headers: response.headers };
}

function seconds(retryAfter) {
  const n = Number.parseInt(retryAfter, 10);
  return Number.isFinite(n) && n > 0 ? n : 1;
}

function explain(status, problem, retryAfter) {
  const detail = problem && typeof problem.detail === 'string' ? problem.detail : '';
  const fields = problem && Array.isArray(problem.errors)
    ? problem.errors.map((error) => `${error.field}: ${error.message}`).join('; ')
    : '';
  const wait = seconds(retryAfter);
  switch (true) {
    case status === 0:
      return 'The shop could not be reached. Check your connection and try again.';
    case status === 400:
      return `That did not work: ${detail || 'some of what was entered is not valid.'}${fields ? ` (${fields})` : ''}`;
    case status === 401:
      return 'Your session has ended. Please log in again; your cart is kept.';
    case status === 403:
      return 'This needs an administrator\'s account.';
    case status === 404:
      return `Not found. ${detail}`.trim();
    case status === 409:
    case status === 422:
      return detail || 'That cannot be done now.';
    case status === 413 || status === 414:
      return `That is more than the shop accepts at once. ${detail}`.trim();
    case status === 429:
      return `Too many requests just now. Please wait ${wait} second${wait === 1 ? '' : 's'} and try again.`;
    case status === 503:
      return `The shop is busy right now${detail ? ` (${detail})` : ''}. Please wait ${wait} second${wait === 1 ? '' : 's'} and try again.`;
    default:
      return `Something went wrong on our side (${status}). Nothing was charged; please try again in a moment.`;
  }
}
