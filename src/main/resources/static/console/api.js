// HTTP client for the orchestrator API (docs/architecture.md). Tokens are sent as headers only,
// never in a URL. Settings live in localStorage.

const KEY_BASE = 'deksdenflow.console.apiBase';
const KEY_TOKEN = 'deksdenflow.console.apiToken';
const KEY_PROJECT_TOKENS = 'deksdenflow.console.projectTokens';

function storageGet(key) {
  try { return window.localStorage.getItem(key); } catch { return null; }
}
function storageSet(key, value) {
  try {
    if (value === null || value === undefined || value === '') window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch { /* storage disabled: settings last for this page only */ }
}

export const settings = {
  get apiBase() { return storageGet(KEY_BASE) || ''; },
  set apiBase(v) { storageSet(KEY_BASE, (v || '').trim().replace(/\/+$/, '')); },
  get apiToken() { return storageGet(KEY_TOKEN) || ''; },
  set apiToken(v) { storageSet(KEY_TOKEN, (v || '').trim()); },
  projectTokens() {
    try { return JSON.parse(storageGet(KEY_PROJECT_TOKENS) || '{}') || {}; } catch { return {}; }
  },
  projectToken(projectId) {
    if (projectId === null || projectId === undefined) return '';
    return this.projectTokens()[String(projectId)] || '';
  },
  setProjectToken(projectId, token) {
    const all = this.projectTokens();
    if (token) all[String(projectId)] = String(token).trim();
    else delete all[String(projectId)];
    storageSet(KEY_PROJECT_TOKENS, JSON.stringify(all));
  },
};

export class ApiError extends Error {
  constructor(status, body, fallback) {
    const e = body && typeof body === 'object' && body.error ? body.error : null;
    super(e && e.message ? e.message : fallback || `HTTP ${status}`);
    this.status = status;
    this.code = e ? e.code : null;
    this.field = e ? e.field : null;
    this.details = e ? e.details : null;
    this.requestId = e ? e.request_id : null;
  }
}

// Listeners told about 401 answers, so the header can prompt for the right token.
const unauthorizedListeners = new Set();
export function onUnauthorized(fn) { unauthorizedListeners.add(fn); }

export function url(path, query) {
  const base = settings.apiBase;
  let u = (base || '') + path;
  if (query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
    }
    const s = qs.toString();
    if (s) u += (u.includes('?') ? '&' : '?') + s;
  }
  return u;
}

// A request about one project sends that project's token; a listing (no projectId) sends every saved
// project token, comma-separated, so that the projects this console manages are shown in full.
export function headers(projectId, extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  const token = settings.apiToken;
  if (token) h.Authorization = 'Bearer ' + token;
  const pt = projectId === null || projectId === undefined
    ? Object.values(settings.projectTokens()).filter(Boolean).join(',')
    : settings.projectToken(projectId);
  if (pt) h['X-Project-Token'] = pt;
  return h;
}

/**
 * request('GET', '/projects', {query, body, projectId, signal}) → parsed JSON.
 * Throws ApiError with the API's error code/message/details.
 */
export async function request(method, path, opts = {}) {
  const init = { method, headers: headers(opts.projectId), signal: opts.signal, cache: 'no-store' };
  if (opts.body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  let res;
  try {
    res = await fetch(url(path, opts.query), init);
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, null, 'Cannot reach the API at ' + (settings.apiBase || window.location.origin) + ': ' + e.message);
  }
  const text = await res.text();
  let body = null;
  if (text) {
    try { body = JSON.parse(text); } catch { body = null; }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, body, `HTTP ${res.status} ${res.statusText || ''}`.trim());
    err.projectId = opts.projectId ?? null;
    if (res.status === 401) unauthorizedListeners.forEach((fn) => fn(err));
    throw err;
  }
  return body;
}

export const get = (path, opts) => request('GET', path, opts);
export const post = (path, body, opts = {}) => request('POST', path, { ...opts, body: body ?? {} });

/** Follows next_cursor (after=) up to maxPages pages; returns all items. */
export async function listAll(path, opts = {}, maxPages = 10) {
  const items = [];
  let after = null;
  for (let i = 0; i < maxPages; i++) {
    const page = await get(path, { ...opts, query: { ...(opts.query || {}), limit: 500, after } });
    items.push(...((page && page.items) || []));
    after = page ? page.next_cursor : null;
    if (!after) break;
  }
  return items;
}

/**
 * Reads GET /events/stream?project_id= with fetch() streaming, so the auth headers are sent.
 * Calls onEvent(eventJson) per `event: event` message; resolves when the stream ends, rejects on
 * an HTTP or network error. Abort with `signal`. With `lastEventId` the server first replays every
 * later event from the log (a reconnect misses nothing).
 */
export async function streamEvents(projectId, onEvent, signal, onOpen, lastEventId) {
  const extra = { Accept: 'text/event-stream' };
  if (lastEventId !== null && lastEventId !== undefined) extra['Last-Event-ID'] = String(lastEventId);
  const res = await fetch(url('/events/stream', { project_id: projectId }), {
    headers: headers(projectId, extra),
    signal,
    cache: 'no-store',
  });
  if (!res.ok || !res.body) {
    let body = null;
    try { body = await res.json(); } catch { /* not JSON */ }
    const err = new ApiError(res.status, body, `event stream: HTTP ${res.status}`);
    if (res.status === 401) unauthorizedListeners.forEach((fn) => fn(err));
    throw err;
  }
  if (onOpen) onOpen();
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let eventName = '';
  let data = [];
  const dispatch = () => {
    if (data.length) {
      const name = eventName || 'message';
      if (name === 'event' || name === 'message') {
        try { onEvent(JSON.parse(data.join('\n'))); } catch { /* ignore malformed message */ }
      }
    }
    eventName = '';
    data = [];
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let nl;
    while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
      if (line === '') { dispatch(); continue; }
      if (line.startsWith(':')) continue; // comment / keep-alive
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let val = colon < 0 ? '' : line.slice(colon + 1);
      if (val.startsWith(' ')) val = val.slice(1);
      if (field === 'event') eventName = val;
      else if (field === 'data') data.push(val);
    }
  }
  dispatch();
}
