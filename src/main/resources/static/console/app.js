// Console entry: header settings, 401 prompt, hash router.
import { settings, onUnauthorized } from './api.js';
import { el, replace, errorBox } from './dom.js';
import { activity } from './views/activity.js';
import * as projectsView from './views/projects.js';
import * as projectView from './views/project.js';
import * as protocolView from './views/protocol.js';
import * as monitorsView from './views/monitors.js';

const routes = [
  [/^#?\/?$/, projectsView, () => ({})],
  [/^#\/projects\/?$/, projectsView, () => ({})],
  [/^#\/projects\/(\d+)\/?$/, projectView, (m) => ({ projectId: m[1] })],
  [/^#\/projects\/(\d+)\/protocols\/(\d+)\/?$/, protocolView, (m) => ({ projectId: m[1], protocolId: m[2] })],
  [/^#\/monitors\/?$/, monitorsView, () => ({})],
];

let current = null; // { cleanup, controller }

function route() {
  const hash = window.location.hash || '#/projects';
  if (current) {
    current.controller.abort();
    try { if (current.cleanup) current.cleanup(); } catch (e) { console.warn(e); }
    current = null;
  }
  hideAuthPrompt();
  const main = document.getElementById('main');
  let matched = null;
  for (const [re, view, params] of routes) {
    const m = re.exec(hash);
    if (m) { matched = { view, params: params(m) }; break; }
  }
  for (const a of document.querySelectorAll('.nav a')) {
    const active = (a.id === 'nav-monitors') === hash.startsWith('#/monitors');
    if (active) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  if (!matched) {
    activity.stop();
    replace(main, errorBox({ message: 'Unknown page: ' + hash }, 'route-error'), el('p', {}, el('a', { href: '#/projects', text: 'Back to projects' })));
    return;
  }
  if (!matched.params.projectId) activity.stop();
  const controller = new AbortController();
  const cleanup = matched.view.render(main, matched.params, { signal: controller.signal });
  current = { controller, cleanup };
}

// --- header settings
function initSettings() {
  const form = document.getElementById('settings-form');
  const base = document.getElementById('api-base');
  const token = document.getElementById('api-token');
  const status = document.getElementById('settings-status');
  base.value = settings.apiBase;
  token.value = settings.apiToken;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const b = base.value.trim();
    if (b && !/^https?:\/\//i.test(b)) {
      status.textContent = 'API base must start with http:// or https:// (or be empty for this origin).';
      base.focus();
      return;
    }
    settings.apiBase = b;
    settings.apiToken = token.value;
    status.textContent = 'Saved.';
    setTimeout(() => { status.textContent = ''; }, 2500);
    activity.stop();
    route();
  });
}

// --- 401 prompt
let promptShown = false;
function showAuthPrompt(err) {
  const box = document.getElementById('auth-prompt');
  const projectRow = document.getElementById('auth-project-row');
  const projectScoped = err && err.projectId != null;
  const msg = settings.apiToken
    ? 'The API refused the request (401 Unauthorized): the saved API token was not accepted'
    : 'The API requires a token (401 Unauthorized): enter the API bearer token';
  replace('auth-prompt-message',
    msg + (projectScoped ? `, or this project's token (project ${err.projectId}).` : '.'),
    err && err.message ? el('span', { class: 'muted', text: ' Server said: ' + err.message }) : null);
  projectRow.hidden = !projectScoped;
  box.setAttribute('data-project-id', projectScoped ? String(err.projectId) : '');
  document.getElementById('auth-api-token').value = settings.apiToken;
  document.getElementById('auth-project-token').value = projectScoped ? settings.projectToken(err.projectId) : '';
  if (box.hidden) {
    box.hidden = false;
    if (!promptShown) document.getElementById(settings.apiToken && projectScoped ? 'auth-project-token' : 'auth-api-token').focus();
  }
  promptShown = true;
}

function hideAuthPrompt() {
  const box = document.getElementById('auth-prompt');
  if (box) box.hidden = true;
  promptShown = false;
}

function initAuthPrompt() {
  onUnauthorized(showAuthPrompt);
  document.getElementById('auth-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const box = document.getElementById('auth-prompt');
    settings.apiToken = document.getElementById('auth-api-token').value;
    document.getElementById('api-token').value = settings.apiToken;
    const pid = box.getAttribute('data-project-id');
    if (pid) settings.setProjectToken(pid, document.getElementById('auth-project-token').value);
    activity.stop();
    route();
  });
  window.addEventListener('console:retry', () => { activity.stop(); route(); });
}

initSettings();
initAuthPrompt();
window.addEventListener('hashchange', route);
route();
