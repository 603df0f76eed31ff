// One project: its token, protocols (status, tokens, cost, PR), and the create-and-start form.
import { get, listAll, post, settings } from '../api.js';
import { el, replace, replaceIfChanged, badge, loading, empty, errorBox, table, row, button, externalLink, fmtNumber, fmtCost, fmtTime } from '../dom.js';
import { engineSelect } from './projects.js';
import { activity } from './activity.js';
import { notificationsPanel } from './notifications.js';
import { intakeForm, intakeText } from './intake.js';

/** "Add login page!" → "add-login-page" (fits Names.PROTOCOL_NAME: [a-z0-9][a-z0-9-]{0,62}). */
export function slugify(text) {
  const s = String(text || '')
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return s || 'task';
}

/** Next NNNN-slug: max existing number + 1, zero-padded to 4. */
export function suggestName(protocols, description) {
  let max = 0;
  for (const p of protocols || []) {
    const m = /^(\d{4})-/.exec(p.protocol_name || '');
    if (m) max = Math.max(max, Number(m[1]));
  }
  return String(Math.min(max + 1, 9999)).padStart(4, '0') + '-' + slugify(description);
}

/** "tests: mvn -q test (600 s)" per declared check. */
export function checksText(checks) {
  if (!Array.isArray(checks) || !checks.length) return 'none (QA is the agent\'s verdict alone)';
  return checks.map((c) => `${c.name}: ${(c.command || []).join(' ')} (${c.timeout_seconds} s)`).join('; ');
}

export function budgetText(b) {
  const parts = [];
  const names = [['max_tokens_per_step', 'tokens/step'], ['max_tokens_per_protocol', 'tokens/protocol'],
    ['max_cost_usd_per_step', '$/step'], ['max_cost_usd_per_protocol', '$/protocol'], ['max_cost_usd_per_project_month', '$/month']];
  for (const [key, label] of names) {
    if (b && b[key] !== null && b[key] !== undefined) parts.push(`${label} ${key.startsWith('max_cost') ? fmtCost(b[key]) : fmtNumber(b[key])}`);
  }
  return parts.join(', ') || 'server settings';
}

function spendText(u) {
  if (!u) return '—';
  return `${fmtCost(u.cost_usd)} in total, ${fmtCost(u.cost_usd_month)} this month, ${fmtNumber(u.tokens_used)} tokens`;
}

function tokenPanel(project) {
  const input = el('input', { id: 'project-token', 'data-testid': 'project-token', type: 'password', autocomplete: 'off', props: { value: settings.projectToken(project.id) } });
  const status = el('span', { id: 'project-token-status', 'data-testid': 'project-token-status', class: 'muted', role: 'status' });
  const form = el('form', { id: 'project-token-form', class: 'inline-form', autocomplete: 'off' },
    el('label', { for: 'project-token', text: 'Project token' }), input,
    el('button', { type: 'submit', id: 'project-token-save', 'data-testid': 'project-token-save', class: 'btn btn-small', text: 'Save token' }),
    status);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    settings.setProjectToken(project.id, input.value);
    status.textContent = input.value ? 'Saved in this browser; sent as X-Project-Token.' : 'Cleared.';
    window.dispatchEvent(new Event('console:retry'));
  });
  return form;
}

function createForm(projectId, getProtocols, onDone) {
  const name = el('input', { id: 'protocol-name', 'data-testid': 'protocol-name', name: 'protocol_name', required: true, spellcheck: 'false', maxlength: '68' });
  const desc = el('textarea', { id: 'protocol-description', 'data-testid': 'protocol-description', name: 'description', rows: 3 });
  const branch = el('input', { id: 'protocol-base-branch', 'data-testid': 'protocol-base-branch', name: 'base_branch', placeholder: '(project base branch)' });
  const engine = engineSelect('protocol-engine', 'protocol-engine');
  const auto = el('input', { id: 'protocol-auto-advance', 'data-testid': 'protocol-auto-advance', type: 'checkbox', name: 'auto_advance' });
  const approval = el('input', { id: 'protocol-plan-approval', 'data-testid': 'protocol-plan-approval', type: 'checkbox', name: 'plan_approval' });
  const message = el('div', { id: 'protocol-form-message', 'data-testid': 'protocol-form-message', role: 'status' });
  const submit = el('button', { type: 'submit', id: 'protocol-create', 'data-testid': 'protocol-create', class: 'btn btn-primary', text: 'Create and start' });

  let touched = false;
  const suggest = () => { if (!touched) name.value = suggestName(getProtocols(), desc.value); };
  name.addEventListener('input', () => { touched = name.value.trim() !== ''; });
  desc.addEventListener('input', suggest);
  suggest();

  const form = el('form', { id: 'protocol-form', 'data-testid': 'protocol-form', class: 'card form-grid', autocomplete: 'off' },
    el('h2', { text: 'New protocol' }),
    el('div', { class: 'field' }, el('label', { for: 'protocol-description', text: 'Description' }), desc),
    el('div', { class: 'field' }, el('label', { for: 'protocol-name', text: 'Name (NNNN-slug)' }), name,
      el('small', { class: 'muted', text: 'Suggested from the highest existing number and the description.' })),
    el('div', { class: 'field' }, el('label', { for: 'protocol-base-branch', text: 'Base branch' }), branch),
    el('div', { class: 'field' }, el('label', { for: 'protocol-engine', text: 'Engine' }), engine),
    el('div', { class: 'field field-check' }, auto, el('label', { for: 'protocol-auto-advance', text: 'Auto-advance through steps' })),
    el('div', { class: 'field field-check' }, approval, el('label', { for: 'protocol-plan-approval', text: 'Approve the plan before any step runs' })),
    el('div', { class: 'form-actions' }, submit),
    message);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { protocol_name: name.value.trim(), auto_advance: auto.checked };
    if (approval.checked) body.plan_approval = 'required';
    if (desc.value.trim()) body.description = desc.value.trim();
    if (branch.value.trim()) body.base_branch = branch.value.trim();
    if (engine.value) body.engine = engine.value;
    submit.disabled = true;
    replace(message, loading('Creating…'));
    let created = null;
    try {
      // Create (status pending), then start it: pending → planning. Never create as "planning".
      const res = await post(`/projects/${encodeURIComponent(projectId)}/protocols`, body, { projectId });
      created = res && res.protocol ? res.protocol : res;
      replace(message, loading('Starting…'));
      await post(`/protocols/${encodeURIComponent(created.id)}/actions/start`, {}, { projectId });
      form.reset();
      touched = false;
      replace(message, el('p', { class: 'state state-ok', 'data-testid': 'protocol-form-ok', text: `Created and started ${created.protocol_name}.` }));
      onDone(created, null);
    } catch (err) {
      if (err.name === 'AbortError') return;
      if (created) {
        replace(message, el('div', {}, el('p', { class: 'state state-error', role: 'alert', 'data-testid': 'protocol-form-error', text: `Created ${created.protocol_name} but could not start it: ${err.message}` })));
        onDone(created, err);
      } else {
        replace(message, errorBox(err, 'protocol-form-error'));
      }
    } finally {
      submit.disabled = false;
      suggest();
    }
  });
  return form;
}

export function protocolRows(projectId, protocols) {
  return protocols.map((p) => row([
    el('a', { href: `#/projects/${encodeURIComponent(projectId)}/protocols/${encodeURIComponent(p.id)}`, 'data-testid': `protocol-link-${p.id}`, class: 'mono', text: p.protocol_name }),
    badge(p.status, `protocol-status-${p.id}`),
    el('span', { 'data-testid': `protocol-tokens-${p.id}`, text: fmtNumber(p.tokens_used) }),
    el('span', { 'data-testid': `protocol-cost-${p.id}`, text: fmtCost(p.cost_usd) }),
    p.pr_url ? externalLink(p.pr_url, 'PR', `protocol-pr-${p.id}`) : '—',
    p.issue_number != null ? externalLink(p.issue_url || '', '#' + p.issue_number, `protocol-issue-${p.id}`) : '—',
    fmtTime(p.updated_at),
  ], { 'data-testid': `protocol-row-${p.id}`, 'data-protocol-id': p.id }));
}

export function render(container, params, ctx) {
  const projectId = params.projectId;
  const head = el('div', { id: 'project-head', 'data-testid': 'project-head' }, loading('Loading project…'));
  const list = el('div', { id: 'protocol-list', 'data-testid': 'protocol-list', 'aria-live': 'polite' }, loading('Loading protocols…'));
  const formSlot = el('div', { id: 'protocol-form-slot' });
  const notify = notificationsPanel(projectId, ctx);
  replace(container,
    el('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, el('a', { href: '#/projects', text: 'Projects' }), ' / ', el('span', { id: 'crumb-project', text: '#' + projectId })),
    el('section', { class: 'card' }, head),
    el('section', { class: 'card', 'aria-labelledby': 'protocols-title' },
      el('div', { class: 'panel-head' }, el('h2', { id: 'protocols-title', text: 'Protocols' }),
        button('Refresh', { id: 'protocols-refresh', 'data-testid': 'protocols-refresh', class: 'btn btn-small', on: { click: () => loadProtocols() } })),
      list),
    formSlot,
    notify.panel);

  activity.start(projectId);
  let protocols = [];
  let form = null;

  async function loadProject() {
    try {
      const p = await get(`/projects/${encodeURIComponent(projectId)}`, { projectId, signal: ctx.signal });
      replace('crumb-project', p.name);
      replaceIfChanged(head, p, () => [
        el('div', { class: 'panel-head' },
          el('h1', { id: 'project-title', 'data-testid': 'project-title', text: p.name }),
          badge(p.status, 'project-status')),
        el('dl', { class: 'facts' },
          el('dt', { text: 'Git URL' }), el('dd', { class: 'mono', text: p.git_url || '' }),
          el('dt', { text: 'Base branch' }), el('dd', { text: p.base_branch || '' }),
          el('dt', { text: 'CI' }), el('dd', { text: p.ci_provider || 'none' }),
          el('dt', { text: 'Engine' }), el('dd', { text: p.default_engine || '(server default)' }),
          el('dt', { text: 'Models' }), el('dd', { text: modelsText(p.default_models) }),
          el('dt', { text: 'Agent network' }), el('dd', { 'data-testid': 'project-egress', text: p.agent_egress ? (p.agent_egress.join(', ') || 'model API only') : '(server default)' }),
          el('dt', { text: 'Secrets' }), el('dd', { text: (p.secret_keys || []).join(', ') || '—' }),
          el('dt', { text: 'QA checks' }), el('dd', { 'data-testid': 'project-checks', text: checksText(p.checks) }),
          el('dt', { text: 'Budget' }), el('dd', { 'data-testid': 'project-budget', text: budgetText(p.budget) }),
          el('dt', { text: 'Plan approval' }), el('dd', { 'data-testid': 'project-plan-approval', text: p.plan_approval || 'auto' }),
          el('dt', { text: 'Sync with base' }), el('dd', { 'data-testid': 'project-sync', text: p.sync || 'merge' }),
          el('dt', { text: 'Issue intake' }), el('dd', { 'data-testid': 'project-intake', text: intakeText(p.intake) }),
          el('dt', { text: 'Spend' }), el('dd', { 'data-testid': 'project-spend', text: spendText(p.usage) }),
          p.last_error ? el('dt', { text: 'Last error' }) : null,
          p.last_error ? el('dd', { class: 'error-text', text: p.last_error }) : null),
        p.status === 'failed' ? button('Retry setup', { id: 'project-setup', 'data-testid': 'project-setup', class: 'btn', on: { click: () => setup() } }) : null,
        intakeForm(p, () => loadProject()),
        tokenPanel(p)]);
    } catch (err) {
      if (err.name === 'AbortError') return;
      replace(head, errorBox(err, 'project-error'), err.status === 401 ? tokenPanel({ id: projectId }) : null);
    }
  }

  async function setup() {
    try {
      await post(`/projects/${encodeURIComponent(projectId)}/actions/setup`, {}, { projectId });
      loadProject();
    } catch (err) {
      replace(head, errorBox(err, 'project-error'));
    }
  }

  async function loadProtocols(quiet) {
    if (!quiet) replace(list, loading('Loading protocols…'));
    try {
      protocols = await listAll(`/projects/${encodeURIComponent(projectId)}/protocols`, { projectId, signal: ctx.signal });
      replaceIfChanged(list, protocols, () => (protocols.length
        ? table(['Protocol', 'Status', 'Tokens', 'Cost', 'PR', 'Issue', 'Updated'], protocolRows(projectId, protocols), { 'data-testid': 'protocol-table' })
        : empty('No protocols yet. Create one below.')));
      if (!form) {
        form = createForm(projectId, () => protocols, (created) => {
          window.location.hash = `#/projects/${encodeURIComponent(projectId)}/protocols/${encodeURIComponent(created.id)}`;
        });
        replace(formSlot, form);
      } else {
        // keep the suggestion in step with new protocols
        form.querySelector('#protocol-description').dispatchEvent(new Event('input'));
      }
    } catch (err) {
      if (err.name === 'AbortError') return;
      replace(list, errorBox(err, 'protocols-error'));
    }
  }

  let pending = null;
  const unsubscribe = activity.subscribe(() => {
    clearTimeout(pending);
    pending = setTimeout(() => { loadProject(); loadProtocols(true); notify.load(); }, 300);
  });

  loadProject();
  loadProtocols();
  notify.load();
  return () => { unsubscribe(); clearTimeout(pending); };
}

function modelsText(m) {
  if (!m || typeof m !== 'object') return '(server defaults)';
  return ['planning', 'exec', 'qa'].map((k) => `${k}: ${m[k] || 'default'}`).join(' · ');
}
