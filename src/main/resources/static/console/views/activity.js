// Live activity feed for one project: GET /events for the backlog, then GET /events/stream
// (Server-Sent Events read with fetch streaming so the auth headers are sent); when the stream
// fails, polls GET /events every few seconds and retries the stream now and then.
import { get, streamEvents } from '../api.js';
import { el, replace, fmtTime, errorBox } from '../dom.js';

const POLL_MS = 4000;
const STREAM_RETRY_MS = 30000;
const MAX_ITEMS = 200;

export function eventItem(ev, testidPrefix = 'event') {
  const meta = ev.metadata && typeof ev.metadata === 'object' && Object.keys(ev.metadata).length
    ? JSON.stringify(ev.metadata) : '';
  const where = [];
  if (ev.protocol_run_id != null) where.push('protocol ' + ev.protocol_run_id);
  if (ev.step_run_id != null) where.push('step ' + ev.step_run_id);
  // a usage limit parks the job: say which engine and until when, not only in the raw metadata
  const limited = ev.event_type === 'engine_rate_limited' && ev.metadata
    ? `${ev.metadata.engine || 'engine'} usage limit: waiting until ${fmtTime(ev.metadata.retry_at)}` : null;
  return el('li', { class: 'feed-item', 'data-testid': `${testidPrefix}-${ev.id}`, 'data-event-id': ev.id, 'data-event-type': ev.event_type || '' },
    el('div', { class: 'feed-line' },
      el('span', { class: 'feed-type', text: ev.event_type || 'event' }),
      el('time', { class: 'muted', text: fmtTime(ev.created_at) })),
    el('div', { class: 'feed-msg', text: ev.message || '' }),
    limited ? el('div', { class: 'feed-note', 'data-testid': 'rate-limited', text: limited }) : null,
    where.length ? el('div', { class: 'muted small', text: where.join(' · ') }) : null,
    meta ? el('div', { class: 'feed-meta small', text: meta.length > 400 ? meta.slice(0, 400) + '…' : meta }) : null);
}

class ActivityFeed {
  constructor() {
    this.projectId = null;
    this.controller = null;
    this.pollTimer = null;
    this.retryTimer = null;
    this.seen = new Set();
    this.lastId = null;
    this.listeners = new Set();
  }

  get panel() { return document.getElementById('activity'); }
  get feed() { return document.getElementById('activity-feed'); }

  setMode(mode) {
    const m = document.getElementById('activity-mode');
    if (m) {
      m.textContent = mode;
      m.className = 'badge badge-' + (mode === 'live' ? 'completed' : mode === 'polling' ? 'paused' : 'muted');
      m.setAttribute('data-mode', mode);
    }
  }

  setState(text) {
    const s = document.getElementById('activity-state');
    if (s) s.textContent = text || '';
  }

  /** Subscribe to new events (for the project and protocol views); returns an unsubscribe fn. */
  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start(projectId) {
    if (this.projectId === projectId && this.controller) return;
    this.stop();
    this.projectId = projectId;
    this.controller = new AbortController();
    this.seen = new Set();
    this.lastId = null;
    this.panel.hidden = false;
    replace(this.feed);
    this.setMode('connecting');
    this.setState('Loading recent events…');
    this.loadBacklog().finally(() => this.openStream());
  }

  stop() {
    if (this.controller) this.controller.abort();
    this.controller = null;
    clearInterval(this.pollTimer);
    clearTimeout(this.retryTimer);
    this.pollTimer = null;
    this.retryTimer = null;
    this.projectId = null;
    if (this.panel) this.panel.hidden = true;
    this.setMode('idle');
  }

  add(ev, notify) {
    if (!ev || ev.id == null || this.seen.has(ev.id)) return false;
    if (this.projectId != null && ev.project_id != null && String(ev.project_id) !== String(this.projectId)) return false;
    this.seen.add(ev.id);
    if (this.lastId === null || Number(ev.id) > this.lastId) this.lastId = Number(ev.id);
    const feed = this.feed;
    // newest first: insert before the first item with a smaller id
    const item = eventItem(ev);
    let before = null;
    for (const child of feed.children) {
      if (Number(child.getAttribute('data-event-id')) < Number(ev.id)) { before = child; break; }
    }
    feed.insertBefore(item, before);
    while (feed.children.length > MAX_ITEMS) feed.removeChild(feed.lastElementChild);
    this.setState('');
    if (notify) this.listeners.forEach((fn) => { try { fn(ev); } catch (e) { console.warn(e); } });
    return true;
  }

  async loadBacklog(notify = false) {
    const projectId = this.projectId;
    const signal = this.controller && this.controller.signal;
    try {
      const page = await get('/events', { query: { project_id: projectId, limit: 50 }, projectId, signal });
      if (projectId !== this.projectId) return;
      const items = (page && page.items) || [];
      items.slice().reverse().forEach((ev) => this.add(ev, notify));
      if (!this.feed.children.length) this.setState('No events yet for this project.');
    } catch (e) {
      if (e.name === 'AbortError' || projectId !== this.projectId) return;
      this.setState('');
      replace(this.feed, el('li', {}, errorBox(e, 'activity-error')));
    }
  }

  async openStream() {
    const projectId = this.projectId;
    const controller = this.controller;
    if (!controller) return;
    try {
      let opened = false;
      await streamEvents(projectId, (ev) => this.add(ev, true), controller.signal, () => {
        opened = true;
        clearInterval(this.pollTimer);
        this.pollTimer = null;
        this.setMode('live');
      }, this.lastId);
      if (controller.signal.aborted) return;
      // the server ends a stream that fell behind: reconnect at once, catching up from lastId
      if (opened) { this.retryTimer = setTimeout(() => { if (this.controller === controller) this.openStream(); }, 250); return; }
      this.fallBack('stream closed');
    } catch (e) {
      if (controller.signal.aborted || (e && e.name === 'AbortError')) return;
      this.fallBack(e && e.message ? e.message : 'stream failed');
    }
  }

  fallBack(reason) {
    if (!this.controller) return;
    this.setMode('polling');
    this.setState('Live stream unavailable (' + reason + '); polling every ' + POLL_MS / 1000 + ' s.');
    clearInterval(this.pollTimer);
    this.pollTimer = setInterval(() => this.loadBacklog(true), POLL_MS);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (!this.controller) return;
      this.openStream();
    }, STREAM_RETRY_MS);
  }
}

export const activity = new ActivityFeed();
