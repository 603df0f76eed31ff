// A project's issue intake (issue #22): which label turns an issue into a protocol and whether it starts at once.
// Shown on the project page and changed there through PATCH /projects/{id} ({"intake": {...}} or null: off).
import { request } from '../api.js';
import { el, replace, errorBox, loading } from '../dom.js';

/** One line for the project's facts: the label and whether issues start at once, or "off". */
export function intakeText(intake) {
  if (!intake) return 'off';
  return `label “${intake.label}”, ${intake.auto_start ? 'started at once' : 'created, started by a person'}`;
}

/** The form that changes the intake; {@code onSaved(project)} after a successful PATCH. */
export function intakeForm(project, onSaved) {
  const label = el('input', { id: 'project-intake-label-edit', 'data-testid': 'project-intake-label-edit', name: 'intake.label',
    maxlength: '50', placeholder: 'label (empty: no intake)', props: { value: project.intake ? project.intake.label : '' } });
  const autoStart = el('input', { id: 'project-intake-auto-start-edit', 'data-testid': 'project-intake-auto-start-edit',
    type: 'checkbox', props: { checked: !!(project.intake && project.intake.auto_start) } });
  const message = el('div', { id: 'project-intake-message', 'data-testid': 'project-intake-message', role: 'status', 'aria-live': 'polite' });
  const form = el('form', { id: 'project-intake-form', 'data-testid': 'project-intake-form', class: 'inline-form', autocomplete: 'off' },
    el('label', { for: 'project-intake-label-edit', text: 'Issue label' }), label,
    el('label', { for: 'project-intake-auto-start-edit', text: 'Start at once' }), autoStart,
    el('button', { type: 'submit', id: 'project-intake-save', 'data-testid': 'project-intake-save', class: 'btn', text: 'Save intake' }),
    message);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = label.value.trim();
    const intake = value ? { label: value, auto_start: autoStart.checked } : null;
    replace(message, loading('Saving…'));
    try {
      const res = await request('PATCH', `/projects/${encodeURIComponent(project.id)}`, { projectId: project.id, body: { intake } });
      replace(message, el('p', { class: 'state state-ok', 'data-testid': 'project-intake-ok', text: (res && res.message) || 'saved' }));
      if (onSaved) onSaved(res && res.project);
    } catch (err) {
      if (err.name === 'AbortError') return;
      replace(message, errorBox(err, 'project-intake-error'));
    }
  });
  return form;
}
