// Monitors: queue counts, failed jobs, Camel routes, and a token / QA summary.
import { get, listAll } from '../api.js';
import { el, replace, loading, empty, errorBox, table, row, button, fmtNumber, fmtCost, fmtTime, badge } from '../dom.js';

const REFRESH_MS = 5000;

export function render(container, _params, ctx) {
  const queues = el('div', { id: 'queue-counts', 'data-testid': 'queue-counts' }, loading('Loading queues…'));
  const failed = el('div', { id: 'failed-jobs', 'data-testid': 'failed-jobs' }, loading('Loading failed jobs…'));
  const routes = el('div', { id: 'routes-table', 'data-testid': 'routes-table' }, loading('Loading routes…'));
  const usage = el('div', { id: 'usage-summary', 'data-testid': 'usage-summary' }, loading('Summing tokens and QA verdicts…'));
  const auto = el('input', { type: 'checkbox', id: 'monitors-auto', 'data-testid': 'monitors-auto', props: { checked: true } });

  replace(container,
    el('div', { class: 'panel-head' }, el('h1', { text: 'Monitors' }),
      el('div', { class: 'inline-form' },
        auto, el('label', { for: 'monitors-auto', text: 'auto-refresh' }),
        button('Refresh', { id: 'monitors-refresh', 'data-testid': 'monitors-refresh', class: 'btn btn-small', on: { click: () => loadAll() } }))),
    el('div', { class: 'grid-2' },
      el('section', { class: 'card', 'aria-labelledby': 'queues-title' }, el('h2', { id: 'queues-title', text: 'Queues' }), queues),
      el('section', { class: 'card', 'aria-labelledby': 'usage-title' }, el('h2', { id: 'usage-title', text: 'Tokens and QA' }), usage)),
    el('section', { class: 'card', 'aria-labelledby': 'failed-title' }, el('h2', { id: 'failed-title', text: 'Recent failed jobs' }), failed),
    el('section', { class: 'card', 'aria-labelledby': 'routes-title' }, el('h2', { id: 'routes-title', text: 'Routes' }), routes));

  const opts = { signal: ctx.signal };

  async function loadQueues() {
    try {
      const q = await get('/queues', opts);
      const entries = Object.entries((q && q.queues) || {});
      const cols = ['queued', 'started', 'delayed', 'finished', 'failed'];
      replace(queues,
        el('p', { class: 'muted small', text: 'Backend: ' + ((q && q.backend) || 'unknown') }),
        entries.length
          ? table(['Queue', ...cols], entries.map(([name, c]) => row([
            name, ...cols.map((k) => el('span', { 'data-testid': `queue-${name}-${k}`, text: fmtNumber(c ? c[k] : null) })),
          ], { 'data-testid': `queue-row-${name}` })))
          : empty('No queues reported.'));
    } catch (err) {
      if (err.name !== 'AbortError') replace(queues, errorBox(err, 'queues-error'));
    }
  }

  async function loadFailed() {
    try {
      const page = await get('/queues/jobs', { ...opts, query: { status: 'failed', limit: 20 } });
      const items = (page && page.items) || [];
      replace(failed, items.length
        ? table(['Job', 'Type', 'Project', 'Protocol', 'Step', 'Attempt', 'Finished', 'Error'], items.map((j) => row([
          el('span', { class: 'mono small', text: j.job_id }),
          j.job_type || '',
          j.project_id == null ? '—' : el('a', { href: `#/projects/${encodeURIComponent(j.project_id)}`, text: String(j.project_id) }),
          j.protocol_run_id == null ? '—' : (j.project_id == null ? String(j.protocol_run_id)
            : el('a', { href: `#/projects/${encodeURIComponent(j.project_id)}/protocols/${encodeURIComponent(j.protocol_run_id)}`, text: String(j.protocol_run_id) })),
          j.step_run_id == null ? '—' : String(j.step_run_id),
          `${j.attempt ?? '?'} / ${j.max_attempts ?? '?'}`,
          fmtTime(j.finished_at),
          el('span', { class: 'error-text', 'data-testid': `failed-job-error-${j.job_id}`, text: j.last_error || '' }),
        ], { 'data-testid': `failed-job-${j.job_id}`, 'data-project-id': j.project_id ?? '' })), { 'data-testid': 'failed-jobs-table' })
        : empty('No failed jobs.'));
    } catch (err) {
      if (err.name !== 'AbortError') replace(failed, errorBox(err, 'failed-jobs-error'));
    }
  }

  async function loadRoutes() {
    try {
      const page = await get('/routes', opts);
      const items = (page && page.items) || [];
      replace(routes, items.length
        ? table(['Route', 'Endpoint', 'Status', 'Exchanges', 'Failed', 'In flight', 'Mean ms', 'Last ms'], items.map((r) => row([
          el('span', { class: 'mono small', text: r.route_id }),
          el('span', { class: 'mono small', text: r.endpoint || '' }),
          badge(r.status || 'unknown'),
          fmtNumber(r.exchanges_total),
          el('span', { class: Number(r.exchanges_failed) > 0 ? 'error-text' : '', text: fmtNumber(r.exchanges_failed) }),
          fmtNumber(r.exchanges_inflight),
          r.mean_processing_ms == null ? '—' : Number(r.mean_processing_ms).toFixed(1),
          r.last_processing_ms == null ? '—' : String(r.last_processing_ms),
        ], { 'data-testid': `route-${r.route_id}` })), { 'data-testid': 'routes' })
        : empty('No routes reported.'));
    } catch (err) {
      if (err.name !== 'AbortError') replace(routes, errorBox(err, 'routes-error'));
    }
  }

  async function loadUsage() {
    try {
      const projects = await listAll('/projects', opts);
      let tokens = 0; let cost = 0; let costKnown = 0; let protocolsCount = 0;
      let pass = 0; let fail = 0; let skipped = 0;
      for (const p of projects) {
        if (p.locked) { skipped += 1; continue; }
        let protocols;
        try {
          protocols = await listAll(`/projects/${encodeURIComponent(p.id)}/protocols`, { ...opts, projectId: p.id });
        } catch (err) {
          if (err.name === 'AbortError') throw err;
          skipped += 1;
          continue;
        }
        for (const pr of protocols) {
          protocolsCount += 1;
          tokens += Number(pr.tokens_used) || 0;
          if (pr.cost_usd != null) { cost += Number(pr.cost_usd) || 0; costKnown += 1; }
          try {
            const steps = await listAll(`/protocols/${encodeURIComponent(pr.id)}/steps`, { ...opts, projectId: p.id });
            for (const s of steps) {
              if (s.qa_verdict === 'pass') pass += 1;
              else if (s.qa_verdict === 'fail') fail += 1;
            }
          } catch (err) {
            if (err.name === 'AbortError') throw err;
          }
        }
      }
      replace(usage,
        el('dl', { class: 'facts' },
          el('dt', { text: 'Protocols' }), el('dd', { 'data-testid': 'usage-protocols', text: fmtNumber(protocolsCount) }),
          el('dt', { text: 'Tokens used' }), el('dd', { 'data-testid': 'usage-tokens', text: fmtNumber(tokens) }),
          el('dt', { text: 'Cost' }), el('dd', { 'data-testid': 'usage-cost', text: costKnown ? fmtCost(cost) + (costKnown < protocolsCount ? ` (known for ${costKnown})` : '') : 'unknown' }),
          el('dt', { text: 'QA pass' }), el('dd', { 'data-testid': 'usage-qa-pass', text: fmtNumber(pass) }),
          el('dt', { text: 'QA fail' }), el('dd', { 'data-testid': 'usage-qa-fail', text: fmtNumber(fail) })),
        skipped ? el('p', { class: 'muted small', text: `${skipped} project(s) skipped: a project token is needed.` }) : null);
    } catch (err) {
      if (err.name !== 'AbortError') replace(usage, errorBox(err, 'usage-error'));
    }
  }

  let usageTick = 0;
  function loadAll(quiet) {
    loadQueues(); loadFailed(); loadRoutes();
    // the summary walks every protocol: refresh it less often
    if (!quiet || usageTick++ % 6 === 0) loadUsage();
  }
  const timer = setInterval(() => { if (auto.checked) loadAll(true); }, REFRESH_MS);
  loadAll();
  return () => clearInterval(timer);
}
