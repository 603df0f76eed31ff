// DOM helpers. Server data only ever enters the page as text: every string child becomes a text
// node, attributes go through setAttribute with an allow-list, links are checked for http(s).
// No HTML-parsing sink is used anywhere in the console (the browser test greps for them).

const SAFE_ATTRS = new Set([
  'id', 'class', 'type', 'name', 'value', 'for', 'role', 'title', 'placeholder', 'autocomplete',
  'min', 'max', 'step', 'rows', 'maxlength', 'tabindex', 'colspan', 'scope', 'rel', 'target', 'list',
  'required', 'disabled', 'checked', 'hidden', 'open', 'readonly', 'spellcheck', 'inputmode',
]);

const SAFE_PROPS = new Set(['value', 'checked']);

/**
 * Creates an element. attrs: plain attributes (allow-listed, data-* and aria-*), plus `text`
 * (textContent), `href` (only http/https/#/relative-to-console), `on` ({event: handler}),
 * `props` (DOM properties such as `value` or `checked`).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, val] of Object.entries(attrs || {})) {
    if (val === undefined || val === null || val === false) continue;
    if (key === 'text') {
      node.textContent = String(val);
    } else if (key === 'on') {
      for (const [evt, fn] of Object.entries(val)) node.addEventListener(evt, fn);
    } else if (key === 'props') {
      for (const [prop, pv] of Object.entries(val)) {
        if (!SAFE_PROPS.has(prop)) throw new Error('property not allowed: ' + prop);
        node[prop] = pv;
      }
    } else if (key === 'href') {
      const safe = safeHref(val);
      if (safe) node.setAttribute('href', safe);
    } else if (key.startsWith('data-') || key.startsWith('aria-') || SAFE_ATTRS.has(key)) {
      node.setAttribute(key, val === true ? '' : String(val));
    } else {
      throw new Error('attribute not allowed: ' + key);
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of `node` (by id or element) with `children`. */
export function replace(node, ...children) {
  const target = typeof node === 'string' ? document.getElementById(node) : node;
  if (!target) return null;
  lastRendered.delete(target);
  target.replaceChildren();
  append(target, children);
  return target;
}

/**
 * Re-renders `node` only when `data` changed since the last call, so refreshes driven by live
 * events do not rebuild (and unfocus) unchanged buttons and links.
 */
const lastRendered = new WeakMap();
export function replaceIfChanged(node, data, build) {
  const key = JSON.stringify(data);
  if (lastRendered.get(node) === key) return false;
  const built = build();
  replace(node, ...(Array.isArray(built) ? built : [built]));
  lastRendered.set(node, key);
  return true;
}

/** Makes `parent`'s children exactly `nodes`, moving only the ones out of place. */
export function syncChildren(parent, nodes) {
  nodes.forEach((n, i) => {
    if (parent.children[i] !== n) parent.insertBefore(n, parent.children[i] || null);
  });
  while (parent.children.length > nodes.length) parent.removeChild(parent.lastElementChild);
}

/** Internal hash links and absolute http(s) URLs only; anything else (javascript:, data:) is dropped. */
export function safeHref(url) {
  if (typeof url !== 'string') return null;
  const trimmed = url.trim();
  if (trimmed.startsWith('#')) return trimmed;
  if (/^https?:\/\//i.test(trimmed)) return trimmed;
  return null;
}

/** An external link from server data (e.g. pr_url), or plain text when the URL is not http(s). */
export function externalLink(url, label, testid) {
  if (typeof url === 'string' && /^https?:\/\//i.test(url.trim())) {
    return el('a', { href: url.trim(), rel: 'noopener noreferrer', target: '_blank', 'data-testid': testid, text: label || url });
  }
  return el('span', { 'data-testid': testid, text: url ? String(url) : '—' });
}

export function badge(status, testid) {
  const s = status == null ? 'unknown' : String(status);
  const cls = 'badge badge-' + s.replace(/[^a-z_]/gi, '').toLowerCase();
  return el('span', { class: cls, 'data-testid': testid, 'data-status': s, text: s });
}

export function loading(label = 'Loading…') {
  return el('p', { class: 'state state-loading', role: 'status', 'data-testid': 'state-loading', text: label });
}

export function empty(label) {
  return el('p', { class: 'state state-empty', 'data-testid': 'state-empty', text: label });
}

export function errorBox(err, testid = 'state-error') {
  const msg = err && err.message ? err.message : String(err);
  const parts = [el('strong', { text: err && err.status ? `Error ${err.status}${err.code ? ' (' + err.code + ')' : ''}: ` : 'Error: ' }), msg];
  if (err && err.requestId) parts.push(el('span', { class: 'muted', text: ` [request ${err.requestId}]` }));
  return el('p', { class: 'state state-error', role: 'alert', 'data-testid': testid }, ...parts);
}

export function fmtNumber(n) {
  if (n === null || n === undefined || n === '') return '—';
  const v = Number(n);
  return Number.isFinite(v) ? v.toLocaleString('en-US') : String(n);
}

export function fmtCost(c) {
  if (c === null || c === undefined) return '—';
  const v = Number(c);
  return Number.isFinite(v) ? '$' + v.toFixed(v < 1 ? 4 : 2) : '—';
}

export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function fmtDuration(startIso, endIso) {
  if (!startIso) return '—';
  const start = new Date(startIso).getTime();
  const end = endIso ? new Date(endIso).getTime() : Date.now();
  if (!Number.isFinite(start) || !Number.isFinite(end)) return '—';
  let s = Math.max(0, Math.round((end - start) / 1000));
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  const txt = (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + s + 's';
  return endIso ? txt : txt + ' (running)';
}

/** A table inside a horizontally scrollable wrapper. rows: arrays of cells (Node or text). */
export function table(headers, rows, attrs = {}) {
  const thead = el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col', text: h }))));
  const tbody = el('tbody', {}, rows);
  return el('div', { class: 'table-wrap' }, el('table', attrs, thead, tbody));
}

export function row(cells, attrs = {}) {
  return el('tr', attrs, cells.map((c) => (c instanceof Node && c.tagName === 'TD' ? c : el('td', {}, c))));
}

export function button(label, attrs = {}) {
  return el('button', { type: 'button', class: 'btn', ...attrs, text: label });
}
