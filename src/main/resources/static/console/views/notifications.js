// A project's notification channels (shown without URLs or secrets; replaced as a JSON list) and its
// delivery log (status, attempts, last error per event and channel).
import { get, request } from '../api.js';
import { el, replace, replaceIfChanged, badge, empty, errorBox, table, row, button, fmtTime } from '../dom.js';

const EXAMPLE = '[{"type": "webhook", "url": "https://…", "secret": "whsec_…", "events": ["needs_input", "protocol_failed"]},\n'
  + ' {"type": "slack", "webhook_url": "https://hooks.slack.com/services/…", "events": ["pr_opened", "protocol_completed"]},\n'
  + ' {"type": "email", "to": ["me@example.com"], "events": ["needs_input"]}]';

/** One channel as the API shows it: "webhook hooks.example.com (signed) → needs_input, protocol_failed". */
export function channelText(c) {
  const where = c.type === 'email' ? (c.to || []).join(', ') : (c.host || '?');
  return `${c.type} ${where}${c.secret_set ? ' (signed)' : ''} → ${(c.events || []).join(', ')}`;
}

export function deliveryRows(items) {
  return items.map((d) => row([
    fmtTime(d.created_at), d.kind, d.channel, badge(d.status, `delivery-status-${d.id}`), String(d.attempts),
    d.last_status_code == null ? '—' : String(d.last_status_code), d.last_error || '—',
  ], { 'data-testid': `delivery-${d.id}` }));
}

/** The panel; {@code reload} is called after a save so that the project's view shows the new list. */
export function notificationsPanel(projectId, ctx) {
  const channels = el('div', { 'data-testid': 'notify-channels' });
  const log = el('div', { 'data-testid': 'notify-deliveries', 'aria-live': 'polite' });
  const status = el('p', { class: 'muted', role: 'status' });
  const editor = el('textarea', { id: 'notify-editor', 'data-testid': 'notify-editor', rows: '5', class: 'mono',
    placeholder: EXAMPLE, 'aria-label': 'Notification channels as JSON' });
  const pid = encodeURIComponent(projectId);

  async function save(clear) {
    let list = null;
    if (!clear) {
      try { list = JSON.parse(editor.value); } catch (e) { replace(status, 'Not JSON: ' + e.message); return; }
    }
    try {
      await request('PATCH', `/projects/${pid}`, { projectId, body: { notifications: list } });
      editor.value = '';
      replace(status, clear ? 'Channels removed: the server default applies.' : 'Channels saved.');
      load();
    } catch (err) {
      replace(status, errorBox(err, 'notify-error'));
    }
  }

  async function load() {
    try {
      const p = await get(`/projects/${pid}`, { projectId, signal: ctx.signal });
      replaceIfChanged(channels, p.notifications, () => (p.notifications == null
        ? empty('No channels of its own: the server default (DEKSDENFLOW_NOTIFICATIONS) applies.')
        : p.notifications.length
          ? el('ul', {}, p.notifications.map((c) => el('li', { class: 'mono', text: channelText(c) })))
          : empty('No notifications.')));
      const page = await get(`/projects/${pid}/notifications/deliveries`, { projectId, signal: ctx.signal, query: { limit: 50 } });
      replaceIfChanged(log, page.items, () => (page.items.length
        ? table(['When', 'Kind', 'Channel', 'Status', 'Attempts', 'HTTP', 'Last error'], deliveryRows(page.items), { 'data-testid': 'delivery-table' })
        : empty('Nothing sent yet.')));
    } catch (err) {
      if (err.name === 'AbortError') return;
      replace(log, errorBox(err, 'notify-error'));
    }
  }

  const panel = el('section', { class: 'card', 'aria-labelledby': 'notify-title' },
    el('div', { class: 'panel-head' }, el('h2', { id: 'notify-title', text: 'Notifications' }),
      button('Refresh', { class: 'btn btn-small', 'data-testid': 'notify-refresh', on: { click: () => load() } })),
    channels,
    el('details', {}, el('summary', { text: 'Replace the channels (URLs and secrets are write-only)' }),
      editor,
      el('div', { class: 'actions' },
        button('Save channels', { 'data-testid': 'notify-save', on: { click: () => save(false) } }),
        button('Use the server default', { class: 'btn btn-small', 'data-testid': 'notify-clear', on: { click: () => save(true) } })),
      status),
    el('h3', { text: 'Deliveries' }), log);
  return { panel, load };
}
