// The YOLO dialog of one restaurant: the form, Execute, then the run live. Closing it stops only the view: the
// run goes on in the service, and opening the dialog again shows the same run live.
import { h, clear, alertBox } from './dom.js';
import { get, post, restaurants } from './api.js';
import { phasesView, jobSummary, ACTIVE, ENDED } from './pipeline.js';
import { watchJob } from './live.js';
import { formSections, formDataOf, valuesOf, clearPasswords, showErrors, clearErrors } from './form.js';

// The last form each restaurant's dialog sent from this tab, passwords left out, to fill "Run again" with.
const lastForms = new Map();

const dialog = () => document.getElementById('yolo-dialog');

let stopWatching = () => {};

/** Opens the dialog for the restaurant; onClose runs when the person closes it. */
export async function openDialog(restaurantId, onClose) {
    const element = dialog();
    stopWatching();
    const body = h('div', { class: 'dialog-body' }, h('p', { class: 'muted' }, 'Loading…'));
    const title = h('h2', { id: 'yolo-dialog-title' }, 'YOLO mode');
    const close = h('button', { type: 'button', class: 'dialog-close', 'aria-label': 'Close', 'data-action': 'close' },
        '×');
    clear(element).append(h('div', { class: 'dialog-head' }, title, close), body);
    close.addEventListener('click', () => element.close());
    element.onclose = () => {
        stopWatching();
        stopWatching = () => {};
        onClose();
    };
    if (!element.open) {
        element.showModal();
    }
    try {
        const restaurant = (await restaurants()).find(candidate => candidate.id === restaurantId);
        if (!restaurant) {
            body.replaceChildren(alertBox('This restaurant is not one of your organisation\'s.'));
            return;
        }
        title.textContent = `YOLO mode · ${restaurant.name}`;
        const progress = await get(`/api/registration/single-restaurant-progress/${restaurantId}`);
        if (progress.status === 'not_started') {
            showForm(body, restaurant, { restart: false });
        } else {
            showRun(body, restaurant, progress);
        }
    } catch (error) {
        if (error.status !== 401) {
            body.replaceChildren(alertBox(error.message));
        }
    }
}

export function closeDialog() {
    if (dialog().open) {
        dialog().close();
    }
}

function showForm(body, restaurant, { restart, jobExists = false }) {
    stopWatching();
    const prefix = `yolo-${restaurant.id.slice(0, 8)}`;
    const initial = lastForms.get(restaurant.id) || { 'menu.selectedMenuId': restaurant.menus[0] && restaurant.menus[0].id };
    const submit = h('button', { type: 'submit', class: 'primary', 'data-action': 'execute' },
        restart ? 'Run everything again' : 'Execute');
    const form = h('form', { class: 'yolo-form', novalidate: true },
        formSections(prefix, restaurant, { initial }),
        h('fieldset', { class: 'form-section', 'data-section': 'when' },
            h('legend', {}, 'When'),
            h('div', { class: 'field' },
                h('label', { for: `${prefix}-scheduledAt` }, 'Start at (empty: now)'),
                h('input', { type: 'datetime-local', id: `${prefix}-scheduledAt`, name: 'scheduledAt' })),
            jobExists ? h('div', { class: 'field field-check' },
                h('input', { type: 'checkbox', id: `${prefix}-restart`, name: 'restart', checked: restart }),
                h('label', { for: `${prefix}-restart` }, 'Run every sub-step again (restart)')) : null),
        h('div', { class: 'actions' }, submit,
            jobExists ? h('button', { type: 'button', 'data-action': 'back-to-run',
                onclick: () => openLatest(body, restaurant) }, 'Back to the run') : null));
    form.addEventListener('submit', async event => {
        event.preventDefault();
        clearErrors(form);
        submit.disabled = true;
        const request = { restaurantId: restaurant.id, formData: formDataOf(form) };
        const when = form.elements.scheduledAt.value;
        if (when) {
            request.scheduledAt = new Date(when).toISOString();
        }
        if (form.elements.restart && form.elements.restart.checked) {
            request.restart = true;
        }
        try {
            await post('/api/registration/execute-single-restaurant', request);
            lastForms.set(restaurant.id, valuesOf(form));
            clearPasswords(form);
            await openLatest(body, restaurant);
        } catch (error) {
            clearPasswords(form);
            submit.disabled = false;
            if (error.status !== 401) {
                showErrors(form, error);
            }
        }
    });
    body.replaceChildren(form);
    form.querySelector('input, select').focus();
}

async function openLatest(body, restaurant) {
    const progress = await get(`/api/registration/single-restaurant-progress/${restaurant.id}`);
    showRun(body, restaurant, progress);
}

function showRun(body, restaurant, first) {
    stopWatching();
    const summary = h('div', { class: 'run-summary' });
    const phases = h('div', { class: 'run-phases' });
    const live = h('p', { class: 'live muted', 'aria-live': 'polite', 'data-live': 'connecting' }, 'Connecting…');
    const message = h('div', { class: 'run-message' });
    const actions = h('div', { class: 'actions run-actions' });
    body.replaceChildren(summary, live, phases, message, actions);

    const act = async (button, work) => {
        button.disabled = true;
        message.replaceChildren();
        try {
            await work();
        } catch (error) {
            if (error.status !== 401) {
                message.replaceChildren(alertBox(error.message));
            }
        } finally {
            button.disabled = false;
        }
    };

    const render = progress => {
        summary.replaceChildren(jobSummary(progress));
        phases.replaceChildren(phasesView(progress));
        const buttons = [];
        if (ACTIVE.includes(progress.status)) {
            const cancel = h('button', { type: 'button', class: 'danger', 'data-action': 'cancel' }, 'Cancel');
            cancel.addEventListener('click', () => act(cancel, async () => {
                const answer = await post(`/api/registration/jobs/${progress.jobId}/cancel`);
                message.replaceChildren(alertBox(answer.status === 'cancelled' ? 'Cancelled.' : 'Cancelling…', 'info'));
            }));
            buttons.push(cancel);
        }
        if (['failed', 'cancelled'].includes(progress.status)) {
            const resume = h('button', { type: 'button', class: 'primary', 'data-action': 'resume' }, 'Resume');
            resume.addEventListener('click', () => act(resume, async () => {
                await post(`/api/registration/resume-single-restaurant/${restaurant.id}`);
                await openLatest(body, restaurant);
            }));
            buttons.push(resume);
        }
        if (ENDED.includes(progress.status)) {
            buttons.push(h('button', { type: 'button', 'data-action': 'run-again',
                onclick: () => showForm(body, restaurant, { restart: true, jobExists: true }) }, 'Run again…'));
        }
        actions.replaceChildren(...buttons);
    };

    const showMode = mode => {
        live.dataset.live = mode;
        live.textContent = { stream: 'Live: event stream', polling: 'Live: polling every 2 s',
            ended: 'The run has ended.' }[mode] || '';
    };

    render(first);
    if (ENDED.includes(first.status)) {
        showMode('ended');
        return;
    }
    stopWatching = watchJob(first.jobId, render, showMode);
}
