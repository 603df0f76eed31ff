// Projects: list with setup status, and the register form (secrets are write-only).
import { get, listAll, post, settings } from '../api.js';
import { el, replace, replaceIfChanged, badge, loading, empty, errorBox, table, row, button } from '../dom.js';

export const ENGINES = ['codex', 'claude', 'command'];

export function engineSelect(id, testid, includeDefault = true) {
  return el('select', { id, name: id, 'data-testid': testid },
    includeDefault ? el('option', { value: '', text: '(server default)' }) : null,
    ENGINES.map((e) => el('option', { value: e, text: e })));
}

// The forges this server knows: ci_provider's enum in its OpenAPI document (the forge registry's ids).
async function forgeOptions(select) {
  try {
    const doc = await get('/openapi.json');
    const ids = doc?.components?.schemas?.CreateProject?.properties?.ci_provider?.enum || [];
    const none = select.querySelector('option[value="none"]');
    ids.filter((id) => typeof id === 'string').forEach((id) => select.insertBefore(el('option', { value: id, text: id }), none));
    if (ids.length) select.value = ids[0];
  } catch {
    // the form still registers projects without a forge
  }
}

function field(label, input, hint) {
  return el('div', { class: 'field' },
    el('label', { for: input.id, text: label }), input,
    hint ? el('small', { class: 'muted', text: hint }) : null);
}

function secretRow(list) {
  const n = list.children.length;
  const key = el('input', { type: 'text', class: 'secret-key', 'data-testid': 'secret-key', placeholder: 'KEY', 'aria-label': 'Secret name', autocomplete: 'off', spellcheck: 'false' });
  const value = el('input', { type: 'password', class: 'secret-value', 'data-testid': 'secret-value', placeholder: 'value (write-only)', 'aria-label': 'Secret value', autocomplete: 'new-password' });
  const li = el('li', { class: 'secret-row', 'data-testid': 'secret-row' }, key, value);
  li.appendChild(button('Remove', {
    class: 'btn btn-small', 'data-testid': 'secret-remove', 'aria-label': 'Remove secret row ' + (n + 1),
    on: { click: () => { li.remove(); } },
  }));
  list.appendChild(li);
  return li;
}

function registerForm(onCreated) {
  const secrets = el('ul', { id: 'project-secrets', 'data-testid': 'project-secrets', class: 'secret-list' });
  const message = el('div', { id: 'project-form-message', 'data-testid': 'project-form-message', role: 'status' });
  const ci = el('select', { id: 'project-ci', name: 'ci_provider', 'data-testid': 'project-ci' },
    el('option', { value: 'none', text: 'none' }));
  forgeOptions(ci);
  const form = el('form', { id: 'project-form', 'data-testid': 'project-form', class: 'card form-grid', autocomplete: 'off' },
    el('h2', { text: 'Register a project' }),
    field('Name', el('input', { id: 'project-name', 'data-testid': 'project-name', name: 'name', required: true, maxlength: '200' })),
    field('Git URL', el('input', { id: 'project-git-url', 'data-testid': 'project-git-url', name: 'git_url', required: true, placeholder: 'https://forge.example.com/org/repo.git' })),
    field('Base branch', el('input', { id: 'project-base-branch', 'data-testid': 'project-base-branch', name: 'base_branch', props: { value: 'main' } })),
    field('CI provider', ci),
    field('Default engine', engineSelect('project-engine', 'project-engine')),
    field('Planning model', el('input', { id: 'project-model-planning', 'data-testid': 'project-model-planning', placeholder: '(server default)' })),
    field('Exec model', el('input', { id: 'project-model-exec', 'data-testid': 'project-model-exec', placeholder: '(server default)' })),
    field('QA model', el('input', { id: 'project-model-qa', 'data-testid': 'project-model-qa', placeholder: '(server default)' })),
    field('Agent network', el('input', { id: 'project-egress', 'data-testid': 'project-egress', placeholder: '(server default)' }),
      'Optional. Comma-separated hosts agents may reach besides their model API: host, host:port, *.domain, 127.0.0.1:port, *.'),
    field('Issue label', el('input', { id: 'project-intake-label', 'data-testid': 'project-intake-label', name: 'intake.label', maxlength: '50', placeholder: '(no intake)' }),
      'Optional. Issues carrying this label on the forge become protocols (the CI provider\'s webhook must send issue events).'),
    field('Start issues at once', el('input', { id: 'project-intake-auto-start', 'data-testid': 'project-intake-auto-start', type: 'checkbox' })),
    field('Project token', el('input', { id: 'project-token-new', 'data-testid': 'project-token-new', type: 'password', autocomplete: 'new-password' }),
      'Optional. Requests for this project must then send it; the console keeps it in this browser.'),
    el('fieldset', { class: 'secrets' },
      el('legend', { text: 'Secrets (write-only: never shown again)' }),
      secrets,
      button('Add secret', { id: 'secret-add', 'data-testid': 'secret-add', class: 'btn btn-small', on: { click: () => secretRow(secrets).querySelector('input').focus() } })),
    el('div', { class: 'form-actions' },
      el('button', { type: 'submit', id: 'project-submit', 'data-testid': 'project-submit', class: 'btn btn-primary', text: 'Register project' })),
    message);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = (id) => form.querySelector('#' + id).value.trim();
    const body = { name: v('project-name'), git_url: v('project-git-url') };
    if (v('project-base-branch')) body.base_branch = v('project-base-branch');
    body.ci_provider = ci.value === 'none' ? null : ci.value;
    if (v('project-engine')) body.default_engine = v('project-engine');
    const models = {};
    for (const k of ['planning', 'exec', 'qa']) if (v('project-model-' + k)) models[k] = v('project-model-' + k);
    if (Object.keys(models).length) body.default_models = models;
    if (v('project-egress')) body.agent_egress = v('project-egress').split(',').map((s) => s.trim()).filter((s) => s);
    const sec = {};
    for (const r of secrets.querySelectorAll('.secret-row')) {
      const k = r.querySelector('.secret-key').value.trim();
      if (k) sec[k] = r.querySelector('.secret-value').value;
    }
    if (Object.keys(sec).length) body.secrets = sec;
    if (v('project-intake-label')) {
      body.intake = { label: v('project-intake-label'), auto_start: form.querySelector('#project-intake-auto-start').checked };
    }
    const token = form.querySelector('#project-token-new').value;
    if (token) body.project_token = token;

    const submit = form.querySelector('#project-submit');
    submit.disabled = true;
    replace(message, loading('Registering…'));
    try {
      const created = await post('/projects', body);
      const project = created && created.project ? created.project : created;
      if (token && project && project.id != null) settings.setProjectToken(project.id, token);
      form.reset();
      replace(secrets);
      replace(message, el('p', { class: 'state state-ok', 'data-testid': 'project-form-ok', text: `Registered “${project.name}” (id ${project.id}); setup: ${project.status}.` }));
      onCreated(project);
    } catch (err) {
      if (err.name === 'AbortError') return;
      replace(message, errorBox(err, 'project-form-error'));
      if (err.field) {
        const input = form.querySelector(`[name="${CSS.escape(err.field)}"]`);
        if (input) input.focus();
      }
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export function render(container, _params, ctx) {
  const list = el('div', { id: 'project-list', 'data-testid': 'project-list', 'aria-live': 'polite' }, loading('Loading projects…'));
  const refreshBtn = button('Refresh', { id: 'projects-refresh', 'data-testid': 'projects-refresh', class: 'btn btn-small' });
  replace(container,
    el('section', { class: 'card', 'aria-labelledby': 'projects-title' },
      el('div', { class: 'panel-head' }, el('h1', { id: 'projects-title', text: 'Projects' }), refreshBtn),
      list),
    registerForm(() => load()));

  let timer = null;
  async function load(quiet) {
    if (!quiet) replace(list, loading('Loading projects…'));
    try {
      const projects = await listAll('/projects', { signal: ctx.signal });
      replaceIfChanged(list, projects, () => (projects.length
        ? table(['Name', 'Git URL', 'Branch', 'CI', 'Setup', 'Secrets', 'Token', ''], projects.map(projectRow), { 'data-testid': 'project-table' })
        : empty('No projects yet. Register one below.')));
      const busy = projects.some((p) => p.status === 'pending' || p.status === 'setting_up');
      clearTimeout(timer);
      if (busy) timer = setTimeout(() => load(true), 3000);
    } catch (err) {
      if (err.name === 'AbortError') return;
      replace(list, errorBox(err, 'projects-error'));
    }
  }
  refreshBtn.addEventListener('click', () => load());
  load();
  return () => clearTimeout(timer);
}

function projectRow(p) {
  const href = '#/projects/' + encodeURIComponent(p.id);
  if (p.locked) {
    // a token-protected project whose token this browser has not saved: only its id is shown
    return row([
      el('a', { href, 'data-testid': `project-link-${p.id}`, class: 'project-name', text: `Project ${p.id}` }),
      el('span', { class: 'muted small', text: 'hidden: enter its project token to see it' }),
      '', '', el('span', {}, badge('locked', `project-status-${p.id}`)), '—', 'required',
      el('a', { href, class: 'btn btn-small', text: 'Open' }),
    ], { 'data-testid': `project-row-${p.id}`, 'data-project-id': p.id });
  }
  return row([
    el('a', { href, 'data-testid': `project-link-${p.id}`, class: 'project-name', text: p.name }),
    el('span', { class: 'mono small', text: p.git_url || '' }),
    p.base_branch || '',
    p.ci_provider || 'none',
    el('span', {}, badge(p.status, `project-status-${p.id}`),
      p.last_error ? el('div', { class: 'small error-text', 'data-testid': `project-error-${p.id}`, text: p.last_error }) : null),
    (p.secret_keys || []).join(', ') || '—',
    p.has_project_token ? (settings.projectToken(p.id) ? 'saved' : 'required') : '—',
    el('a', { href, class: 'btn btn-small', text: 'Open' }),
  ], { 'data-testid': `project-row-${p.id}`, 'data-project-id': p.id });
}
