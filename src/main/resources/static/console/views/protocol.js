// Protocol detail: actions (enabled exactly per the API's allowed_actions), step timeline with QA
// reports, run logs and triaged CI failures, and the protocol's events.
import { get, listAll, post } from '../api.js';
import { el, replace, replaceIfChanged, syncChildren, badge, loading, empty, errorBox, button, externalLink, fmtNumber, fmtCost, fmtTime, fmtDuration, table, row } from '../dom.js';
import { activity, eventItem } from './activity.js';

// The buttons the console offers. Which are enabled comes only from the API's allowed_actions.
const PROTOCOL_ACTIONS = [
  ['start', 'Start'], ['pause', 'Pause'], ['resume', 'Resume'], ['cancel', 'Cancel'],
  ['run_next_step', 'Run next step'], ['retry_latest', 'Retry latest'], ['open_pr', 'Open PR'],
];
const STEP_ACTIONS = [['run', 'Run'], ['run_qa', 'Run QA'], ['approve', 'Approve']];
const ACTIVE = new Set(['pending', 'planning', 'running']);

export function render(container, params, ctx) {
  const { projectId, protocolId } = params;
  const pid = encodeURIComponent(protocolId);
  const head = el('div', { id: 'protocol-detail', 'data-testid': 'protocol-detail' }, loading('Loading protocol…'));
  const actions = el('div', { id: 'protocol-actions', 'data-testid': 'protocol-actions', class: 'actions', role: 'group', 'aria-label': 'Protocol actions' });
  const raiseBox = el('div', { id: 'protocol-raise-budget', 'data-testid': 'protocol-raise-budget' });
  const planBox = el('div', { id: 'protocol-plan-approval', 'data-testid': 'protocol-plan-approval' });
  const actionMsg = el('div', { id: 'protocol-action-message', 'data-testid': 'protocol-action-message', role: 'status', 'aria-live': 'polite' });
  const steps = el('div', { id: 'step-list', 'data-testid': 'step-list' }, loading('Loading steps…'));
  const stepMsg = el('div', { id: 'step-action-message', 'data-testid': 'step-action-message', role: 'status', 'aria-live': 'polite' });
  const events = el('ol', { id: 'protocol-events', 'data-testid': 'protocol-events', class: 'feed' });
  const eventsState = el('div', { id: 'protocol-events-state' }, loading('Loading events…'));

  replace(container,
    el('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
      el('a', { href: '#/projects', text: 'Projects' }), ' / ',
      el('a', { href: `#/projects/${encodeURIComponent(projectId)}`, id: 'crumb-project', text: 'project ' + projectId }), ' / ',
      el('span', { id: 'crumb-protocol', text: '#' + protocolId })),
    el('section', { class: 'card' }, head, actions, raiseBox, planBox, actionMsg),
    el('section', { class: 'card', 'aria-labelledby': 'steps-title' },
      el('div', { class: 'panel-head' }, el('h2', { id: 'steps-title', text: 'Steps' }),
        button('Refresh', { id: 'protocol-refresh', 'data-testid': 'protocol-refresh', class: 'btn btn-small', on: { click: () => refresh() } })),
      stepMsg, steps),
    el('section', { class: 'card', 'aria-labelledby': 'protocol-events-title' },
      el('h2', { id: 'protocol-events-title', text: 'Protocol events' }), eventsState, events));

  activity.start(projectId);
  let protocol = null;
  const openPanels = new Map(); // step id → expanded detail element, kept across refreshes
  const stepCache = new Map(); // step id → { key, node }
  let busy = false;

  async function loadProtocol() {
    try {
      protocol = await get(`/protocols/${pid}`, { projectId, signal: ctx.signal });
      replace('crumb-protocol', protocol.protocol_name);
      replaceIfChanged(head, protocol, () => [
        el('div', { class: 'panel-head' },
          el('h1', { id: 'protocol-title', 'data-testid': 'protocol-title', class: 'mono', text: protocol.protocol_name }),
          badge(protocol.status, 'protocol-status')),
        protocol.description ? el('p', { id: 'protocol-description-text', text: protocol.description }) : null,
        el('dl', { class: 'facts' },
          el('dt', { text: 'Base branch' }), el('dd', { text: protocol.base_branch || '' }),
          el('dt', { text: 'Engine' }), el('dd', { text: protocol.engine || '(project default)' }),
          el('dt', { text: 'Auto-advance' }), el('dd', { text: protocol.auto_advance ? 'yes' : 'no' }),
          el('dt', { text: 'Plan approval' }), el('dd', { 'data-testid': 'protocol-plan-approval-setting',
            text: (protocol.plan_approval || '(project setting)') + (protocol.replans ? ` · rejected ${protocol.replans}×` : '') }),
          el('dt', { text: 'Tokens' }), el('dd', { 'data-testid': 'protocol-tokens', text: fmtNumber(protocol.tokens_used) }),
          el('dt', { text: 'Cost' }), el('dd', { 'data-testid': 'protocol-cost', text: fmtCost(protocol.cost_usd) }),
          protocol.max_tokens != null || protocol.max_cost_usd != null ? el('dt', { text: 'Raised budget' }) : null,
          protocol.max_tokens != null || protocol.max_cost_usd != null ? el('dd', { 'data-testid': 'protocol-raised-budget',
            text: [protocol.max_tokens != null ? fmtNumber(protocol.max_tokens) + ' tokens' : null,
              protocol.max_cost_usd != null ? fmtCost(protocol.max_cost_usd) : null].filter(Boolean).join(', ') }) : null,
          protocol.budget_exceeded ? el('dt', { text: 'Budget exceeded' }) : null,
          protocol.budget_exceeded ? el('dd', { class: 'error-text', 'data-testid': 'protocol-budget-exceeded', text: budgetExceededText(protocol.budget_exceeded) }) : null,
          el('dt', { text: 'Pull request' }), el('dd', {}, protocol.pr_url ? externalLink(protocol.pr_url, protocol.pr_url, 'protocol-pr') : '—'),
          protocol.paused_from ? el('dt', { text: 'Paused from' }) : null,
          protocol.paused_from ? el('dd', { text: protocol.paused_from }) : null,
          protocol.last_error ? el('dt', { text: 'Last error' }) : null,
          protocol.last_error ? el('dd', { class: 'error-text', 'data-testid': 'protocol-last-error', text: protocol.last_error }) : null,
          el('dt', { text: 'Updated' }), el('dd', { text: fmtTime(protocol.updated_at) }))]);
      renderActions();
    } catch (err) {
      if (err.name === 'AbortError') return;
      replace(head, errorBox(err, 'protocol-error'));
      replace(actions);
    }
  }

  // raise_budget takes a body: its own small form, shown while the API allows the action
  function renderRaiseBudget(allowed) {
    replaceIfChanged(raiseBox, { allowed: allowed.has('raise_budget'), busy }, () => {
      if (!allowed.has('raise_budget')) return [];
      const tokens = el('input', { id: 'raise-max-tokens', 'data-testid': 'raise-max-tokens', type: 'number', min: '1', step: '1', inputmode: 'numeric', placeholder: 'max tokens' });
      const cost = el('input', { id: 'raise-max-cost', 'data-testid': 'raise-max-cost', type: 'number', min: '0', step: '0.01', inputmode: 'decimal', placeholder: 'max USD' });
      const form = el('form', { class: 'inline-form', id: 'raise-budget-form', autocomplete: 'off' },
        el('label', { for: 'raise-max-tokens', text: 'Max tokens' }), tokens,
        el('label', { for: 'raise-max-cost', text: 'Max cost (USD)' }), cost,
        el('button', { type: 'submit', id: 'protocol-action-raise_budget', 'data-testid': 'protocol-action-raise_budget', class: 'btn btn-primary', disabled: busy, text: 'Raise budget and resume' }));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const body = {};
        if (tokens.value.trim()) body.max_tokens = Number(tokens.value);
        if (cost.value.trim()) body.max_cost_usd = Number(cost.value);
        protocolAction('raise_budget', body);
      });
      return [form];
    });
  }

  // plan approval: the plan waiting for a person (plan.md, steps, cost so far, the agent's question),
  // Approve, and Reject with feedback (a body, so its own form); shown while the API allows the actions
  let planReady = null; // the latest plan_ready event, read with the events
  function renderPlanApproval(allowed) {
    const waiting = allowed.has('approve_plan') || allowed.has('reject_plan');
    replaceIfChanged(planBox, { waiting, busy, ev: planReady && planReady.id }, () => {
      if (!waiting) return [];
      const m = (planReady && planReady.metadata) || {};
      const feedback = el('textarea', { id: 'reject-feedback', 'data-testid': 'reject-feedback', rows: '3', maxlength: '10000',
        placeholder: 'What should the next plan do differently?' });
      const form = el('form', { class: 'inline-form', id: 'reject-plan-form', autocomplete: 'off' },
        el('label', { for: 'reject-feedback', text: 'Feedback' }), feedback,
        el('button', { type: 'submit', id: 'protocol-action-reject_plan', 'data-testid': 'protocol-action-reject_plan', class: 'btn btn-danger',
          disabled: busy || !allowed.has('reject_plan'), text: 'Reject with feedback' }));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        protocolAction('reject_plan', { feedback: feedback.value });
      });
      return [
        el('h2', { text: 'Plan awaiting approval' }),
        el('p', { class: 'muted', 'data-testid': 'plan-ready-summary',
          text: `${Array.isArray(m.steps) ? m.steps.length : '?'} steps · ${fmtNumber(m.tokens_used)} tokens · ${fmtCost(m.cost_usd)} so far` }),
        m.question ? el('p', { class: 'error-text', 'data-testid': 'plan-question', text: 'The planning agent asks: ' + m.question }) : null,
        Array.isArray(m.steps) ? el('ol', { 'data-testid': 'plan-steps' }, m.steps.map((st) => el('li', { class: 'mono', text: st.step_name }))) : null,
        m.plan_md ? el('details', { open: 'open' }, el('summary', { text: 'plan.md' }),
          el('pre', { class: 'log', id: 'plan-md', 'data-testid': 'plan-md', text: m.plan_md })) : null,
        el('div', { class: 'actions' }, button('Approve plan', {
          id: 'protocol-action-approve_plan', 'data-testid': 'protocol-action-approve_plan', class: 'btn btn-primary',
          disabled: busy || !allowed.has('approve_plan'), on: { click: () => protocolAction('approve_plan') },
        })),
        form];
    });
  }

  function renderActions() {
    const allowed = new Set((protocol && protocol.allowed_actions) || []);
    renderRaiseBudget(allowed);
    renderPlanApproval(allowed);
    replaceIfChanged(actions, { busy, allowed: [...allowed] }, () => PROTOCOL_ACTIONS.map(([name, label]) => button(label, {
      id: `protocol-action-${name}`,
      'data-testid': `protocol-action-${name}`,
      'data-action': name,
      class: 'btn' + (name === 'cancel' ? ' btn-danger' : ''),
      disabled: busy || !allowed.has(name),
      on: { click: () => protocolAction(name) },
    })));
  }

  async function protocolAction(name, body = {}) {
    busy = true;
    renderActions();
    replace(actionMsg, loading(`${name}…`));
    try {
      const res = await post(`/protocols/${pid}/actions/${name}`, body, { projectId });
      replace(actionMsg, el('p', { class: 'state state-ok', 'data-testid': 'protocol-action-ok', text: (res && res.message) || `${name} accepted` }));
    } catch (err) {
      if (err.name === 'AbortError') return;
      replace(actionMsg, conflictBox(err, 'protocol-action-error'));
    } finally {
      busy = false;
      await refresh();
    }
  }

  async function stepAction(step, name, body = {}) {
    replace(stepMsg, loading(`${name} on ${step.step_name}…`));
    try {
      const res = await post(`/steps/${encodeURIComponent(step.id)}/actions/${name}`, body, { projectId });
      replace(stepMsg, el('p', { class: 'state state-ok', 'data-testid': 'step-action-ok', text: (res && res.message) || `${name} accepted` }));
    } catch (err) {
      if (err.name === 'AbortError') return;
      replace(stepMsg, conflictBox(err, 'step-action-error'));
    } finally {
      await refresh();
    }
  }

  async function loadSteps() {
    try {
      const items = await listAll(`/protocols/${pid}/steps`, { projectId, signal: ctx.signal });
      if (!items.length) {
        replace(steps, empty(protocol && (protocol.status === 'planning' || protocol.status === 'pending')
          ? 'No steps yet: planning writes them.' : 'No steps.'));
        return;
      }
      items.sort((a, b) => (a.step_index - b.step_index) || (a.id - b.id));
      // keep unchanged step elements (and their focused buttons) across refreshes
      let timeline = steps.querySelector('ol.timeline');
      if (!timeline) {
        timeline = el('ol', { class: 'timeline', 'data-testid': 'step-timeline' });
        replace(steps, timeline);
      }
      const nodes = items.map((s) => {
        const key = JSON.stringify(s) + (s.started_at && !s.finished_at ? Math.floor(Date.now() / 5000) : '');
        const cached = stepCache.get(s.id);
        if (cached && cached.key === key) return cached.node;
        const node = stepItem(s);
        stepCache.set(s.id, { key, node });
        return node;
      });
      syncChildren(timeline, nodes);
    } catch (err) {
      if (err.name === 'AbortError') return;
      replace(steps, errorBox(err, 'steps-error'));
    }
  }

  function stepItem(s) {
    const allowed = new Set(s.allowed_actions || []);
    const panel = openPanels.get(s.id) || el('div', { class: 'step-panel', id: `step-panel-${s.id}`, 'data-testid': `step-panel-${s.id}` });
    openPanels.set(s.id, panel);
    const verdict = s.qa_verdict ? String(s.qa_verdict) : null;
    return el('li', { class: 'step', id: `step-${s.id}`, 'data-testid': `step-${s.id}`, 'data-step-index': s.step_index, 'data-status': s.status },
      el('div', { class: 'step-head' },
        el('span', { class: 'step-index', text: String(s.step_index).padStart(2, '0') }),
        el('span', { class: 'mono step-name', 'data-testid': `step-name-${s.id}`, text: s.step_name }),
        el('span', { class: 'muted small', text: s.step_type || '' }),
        badge(s.status, `step-status-${s.id}`),
        verdict ? badge('qa ' + verdict, `step-verdict-${s.id}`) : null),
      el('dl', { class: 'facts facts-inline' },
        el('dt', { text: 'Engine' }), el('dd', { text: [s.engine, s.model].filter(Boolean).join(' / ') || '—' }),
        el('dt', { text: 'Tokens' }), el('dd', { 'data-testid': `step-tokens-${s.id}`, text: fmtNumber(s.tokens_used) }),
        el('dt', { text: 'Cost' }), el('dd', { text: fmtCost(s.cost_usd) }),
        el('dt', { text: 'Duration' }), el('dd', { 'data-testid': `step-duration-${s.id}`, text: fmtDuration(s.started_at, s.finished_at) }),
        el('dt', { text: 'QA verdict' }), el('dd', { 'data-testid': `step-qa-verdict-${s.id}`, text: verdict || '—' }),
        s.qa_verdict_source ? el('dt', { text: 'Decided by' }) : null,
        s.qa_verdict_source ? el('dd', { 'data-testid': `step-verdict-source-${s.id}`, text: s.qa_verdict_source }) : null,
        s.execution_commit ? el('dt', { text: 'Commit' }) : null,
        s.execution_commit ? el('dd', { class: 'mono', text: String(s.execution_commit).slice(0, 12) }) : null,
        s.last_error ? el('dt', { text: 'Last error' }) : null,
        s.last_error ? el('dd', { class: 'error-text', text: s.last_error }) : null,
        s.blocked_reason ? el('dt', { text: 'Waiting for' }) : null,
        s.blocked_reason ? el('dd', { class: 'error-text', 'data-testid': `step-blocked-reason-${s.id}`, text: s.blocked_reason === 'needs_input' ? 'an answer (needs_input)' : s.blocked_reason }) : null),
      Array.isArray(s.qa_checks) ? checksList(s) : null,
      Array.isArray(s.questions) && s.questions.length ? questionsList(s) : null,
      allowed.has('answer') ? answerForm(s) : null,
      el('div', { class: 'actions', role: 'group', 'aria-label': `Actions for ${s.step_name}` },
        STEP_ACTIONS.map(([name, label]) => button(label, {
          id: `step-${s.id}-${name}`, 'data-testid': `step-action-${name}-${s.id}`, 'data-action': name,
          disabled: !allowed.has(name), on: { click: () => stepAction(s, name) },
        })),
        button('QA report', {
          id: `step-${s.id}-qa-report`, 'data-testid': `step-qa-report-${s.id}`, class: 'btn btn-secondary',
          disabled: !s.qa_report, on: { click: () => showQa(s, panel) },
        }),
        button('Run logs', {
          id: `step-${s.id}-logs`, 'data-testid': `step-logs-${s.id}`, class: 'btn btn-secondary',
          on: { click: () => showRuns(s, panel) },
        }),
        button('CI failures', {
          id: `step-${s.id}-ci`, 'data-testid': `step-ci-${s.id}`, class: 'btn btn-secondary',
          on: { click: () => showCiFailures(s, panel) },
        })),
      panel);
  }

  // answer takes a body: a small form under the step while its agent's question waits
  function answerForm(s) {
    const text = el('textarea', { id: `step-${s.id}-answer-text`, 'data-testid': `step-answer-text-${s.id}`, rows: '2', maxlength: '10000',
      placeholder: 'Your answer to the agent' });
    const form = el('form', { class: 'inline-form', id: `step-${s.id}-answer-form`, autocomplete: 'off' },
      el('label', { for: `step-${s.id}-answer-text`, text: 'Answer' }), text,
      el('button', { type: 'submit', id: `step-${s.id}-answer`, 'data-testid': `step-action-answer-${s.id}`, class: 'btn btn-primary', text: 'Answer and run again' }));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      stepAction(s, 'answer', { text: text.value });
    });
    return form;
  }

  function showQa(s, panel) {
    replace(panel,
      el('div', { class: 'panel-head' }, el('h3', { text: `QA report — ${s.step_name}` }),
        button('Close', { class: 'btn btn-small', 'data-testid': `step-panel-close-${s.id}`, on: { click: () => replace(panel) } })),
      el('pre', { class: 'report', id: `qa-report-${s.id}`, 'data-testid': `qa-report-${s.id}`, tabindex: '0', text: s.qa_report || '' }));
  }

  // The step's latest triaged CI failure: which job, which step, its page and the log excerpt
  // (bounded and redacted by the service; shown as text only).
  async function showCiFailures(s, panel) {
    replace(panel, loading('Loading CI failures…'));
    try {
      const page = await get(`/protocols/${pid}/events`, { projectId, query: { limit: 200 }, signal: ctx.signal });
      const ofStep = (ev) => ev.step_run_id === s.id || (ev.metadata && ev.metadata.step_run_id === s.id);
      const latest = ((page && page.items) || []).find((ev) => ofStep(ev) && ev.metadata
        && Array.isArray(ev.metadata.failures) && ['ci_failed', 'ci_fix_exhausted'].includes(ev.event_type));
      const failures = latest ? latest.metadata.failures : [];
      replace(panel,
        el('div', { class: 'panel-head' }, el('h3', { text: `CI failures — ${s.step_name}` }),
          button('Close', { class: 'btn btn-small', 'data-testid': `step-panel-close-${s.id}`, on: { click: () => replace(panel) } })),
        latest ? el('p', { class: 'muted small', 'data-testid': `ci-failure-message-${s.id}`, text: `${latest.message || ''} (${fmtTime(latest.created_at)})` }) : null,
        failures.length
          ? el('ol', { class: 'ci-failures', 'data-testid': `ci-failures-${s.id}` }, failures.map((f, i) =>
            el('li', { 'data-testid': `ci-failure-${s.id}-${i}` },
              el('div', { class: 'feed-line' },
                el('strong', { class: 'mono', text: f.job || '(job)' }),
                f.step ? el('span', { class: 'muted', text: `step: ${f.step}` }) : null,
                f.url ? externalLink(f.url, 'open', `ci-failure-link-${s.id}-${i}`) : null),
              el('pre', { class: 'log', tabindex: '0', 'data-testid': `ci-failure-excerpt-${s.id}-${i}`, text: f.excerpt || '(no log excerpt)' }))))
          : empty('No triaged CI failure for this step.'));
    } catch (err) {
      if (err.name === 'AbortError') return;
      replace(panel, errorBox(err, `ci-failures-error-${s.id}`));
    }
  }

  async function showRuns(s, panel) {
    replace(panel, loading('Loading runs…'));
    try {
      const runs = await listAll(`/steps/${encodeURIComponent(s.id)}/runs`, { projectId, signal: ctx.signal });
      const logBox = el('div', { id: `run-log-slot-${s.id}` });
      replace(panel,
        el('div', { class: 'panel-head' }, el('h3', { text: `Engine runs — ${s.step_name}` }),
          button('Close', { class: 'btn btn-small', 'data-testid': `step-panel-close-${s.id}`, on: { click: () => replace(panel) } })),
        runs.length
          ? table(['Run', 'Phase', 'Engine / model', 'Started', 'Duration', 'Exit', 'Tokens in/out', 'Cost', 'Error', ''],
            runs.map((r) => row([
              String(r.id), r.phase || '', [r.engine, r.model].filter(Boolean).join(' / ') || '—',
              fmtTime(r.started_at), fmtDuration(r.started_at, r.finished_at),
              r.exit_code == null ? '—' : String(r.exit_code),
              `${fmtNumber(r.tokens_in)} / ${fmtNumber(r.tokens_out)}${r.tokens_estimated ? ' (est.)' : ''}`,
              fmtCost(r.cost_usd) + (r.cost_source === 'unpriced' ? ' (unpriced model)' : ''),
              el('span', { class: 'error-text', text: r.error || '' }),
              button('View log', { 'data-testid': `run-log-button-${r.id}`, class: 'btn btn-small', on: { click: () => showLog(r, logBox) } }),
            ], { 'data-testid': `run-row-${r.id}` })), { 'data-testid': `runs-${s.id}` })
          : empty('No engine runs for this step yet.'),
        logBox);
    } catch (err) {
      if (err.name === 'AbortError') return;
      replace(panel, errorBox(err, `runs-error-${s.id}`));
    }
  }

  async function showLog(r, box) {
    replace(box, loading('Loading log…'));
    try {
      const res = await get(`/runs/${encodeURIComponent(r.id)}/log`, { projectId, signal: ctx.signal });
      replace(box,
        el('h4', { text: `Log of run ${r.id}${res && res.truncated ? ' (tail, truncated)' : ''}` }),
        el('pre', { class: 'log', id: `run-log-${r.id}`, 'data-testid': `run-log-${r.id}`, tabindex: '0', text: (res && res.log) || '(empty log)' }));
    } catch (err) {
      if (err.name === 'AbortError') return;
      replace(box, errorBox(err, `run-log-error-${r.id}`));
    }
  }

  async function loadEvents() {
    try {
      const page = await get(`/protocols/${pid}/events`, { projectId, query: { limit: 100 }, signal: ctx.signal });
      const items = ((page && page.items) || []).slice().sort((a, b) => b.id - a.id);
      const ready = items.find((ev) => ev.event_type === 'plan_ready') || null;
      if ((ready && ready.id) !== (planReady && planReady.id)) {
        planReady = ready;
        renderActions();
      }
      replaceIfChanged(eventsState, items.length > 0, () => (items.length ? [] : [empty('No events yet.')]));
      replaceIfChanged(events, items.map((ev) => ev.id), () => items.map((ev) => eventItem(ev, 'protocol-event')));
    } catch (err) {
      if (err.name === 'AbortError') return;
      replace(eventsState, errorBox(err, 'protocol-events-error'));
    }
  }

  let refreshing = null;
  async function refresh() {
    if (refreshing) return refreshing;
    refreshing = (async () => {
      await loadProtocol();
      await Promise.all([loadSteps(), loadEvents()]);
    })().finally(() => { refreshing = null; });
    return refreshing;
  }

  // Live: refresh when an event for this protocol arrives; poll slowly as a safety net while active.
  let pending = null;
  const unsubscribe = activity.subscribe((ev) => {
    if (String(ev.protocol_run_id) !== String(protocolId)) return;
    clearTimeout(pending);
    pending = setTimeout(refresh, 250);
  });
  const poll = setInterval(() => {
    if (protocol && ACTIVE.has(protocol.status)) refresh();
  }, 5000);

  refresh();
  get(`/projects/${encodeURIComponent(projectId)}`, { projectId, signal: ctx.signal })
    .then((p) => { if (p && p.name) replace('crumb-project', p.name); })
    .catch(() => { /* the crumb keeps the id */ });
  return () => { unsubscribe(); clearTimeout(pending); clearInterval(poll); };
}

/** "max_tokens_per_protocol: 2,000 used + 600 estimated > 2,500". */
function budgetExceededText(h) {
  const money = String(h.limit || '').startsWith('max_cost');
  const f = (v) => (money ? fmtCost(v) : fmtNumber(v));
  return `${h.limit}: ${f(h.used)} used + ${f(h.estimate)} estimated > ${f(h.max)} (before ${h.phase || 'a call'})`;
}

/** The questions the step's agent asked, and the answers: its part of the timeline. */
function questionsList(s) {
  return el('ol', { class: 'checks', 'data-testid': `step-questions-${s.id}`, 'aria-label': `Questions of ${s.step_name}` },
    s.questions.map((q, i) => el('li', { 'data-testid': `step-question-${s.id}-${i}`, 'data-answered': q.answer == null ? 'false' : 'true' },
      el('div', {}, el('strong', { text: 'Agent asked: ' }), el('span', { text: q.question }),
        el('span', { class: 'muted small', text: ' ' + fmtTime(q.asked_at) })),
      el('div', {}, el('strong', { text: 'Answer: ' }),
        q.answer != null ? el('span', { text: q.answer })
          : (i === s.questions.length - 1 && s.blocked_reason === 'needs_input'
            ? el('em', { class: 'error-text', text: 'waiting for a person' }) : el('em', { class: 'muted', text: 'not answered (the step ran again without it)' })),
        q.answered_at ? el('span', { class: 'muted small', text: ' ' + fmtTime(q.answered_at) }) : null))));
}

/** The step's QA checks: one line each, the output tail behind a disclosure. */
function checksList(s) {
  return el('ul', { class: 'checks', 'data-testid': `step-checks-${s.id}`, 'aria-label': `QA checks of ${s.step_name}` },
    s.qa_checks.map((c, i) => el('li', { 'data-testid': `step-check-${s.id}-${i}`, 'data-passed': c.passed ? 'true' : 'false' },
      badge(c.passed ? 'passed' : (c.timed_out ? 'timed out' : 'failed'), `step-check-status-${s.id}-${i}`),
      ' ', el('span', { class: 'mono', text: c.name }),
      el('span', { class: 'muted small', text: ` exit ${c.exit_code == null ? '—' : c.exit_code}, ${fmtNumber(c.duration_ms)} ms` }),
      c.output_tail ? el('details', {}, el('summary', { text: 'output' }),
        el('pre', { class: 'log', 'data-testid': `step-check-output-${s.id}-${i}`, text: c.output_tail })) : null)));
}

function conflictBox(err, testid) {
  const box = errorBox(err, testid);
  const d = err && err.details;
  if (err.status === 409 && d) {
    const parts = [];
    if (d.current_status) parts.push('current status: ' + d.current_status);
    if (Array.isArray(d.allowed_actions)) parts.push('allowed: ' + (d.allowed_actions.join(', ') || 'none'));
    if (parts.length) box.appendChild(el('span', { class: 'muted', text: ' (' + parts.join('; ') + ')' }));
  }
  return box;
}
