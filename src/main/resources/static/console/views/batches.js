// Batches: the list, one form to create a batch from selected restaurants, and a batch's progress live.
import { h, statusBadge, formatTime, shortId, alertBox } from '../dom.js';
import { get, post, restaurants } from '../api.js';
import { every } from '../live.js';
import { formSections, formDataOf, clearPasswords, showErrors, clearErrors } from '../form.js';

const ENDED = ['completed', 'failed', 'cancelled'];
const REFRESH_MILLIS = 2000;

export function batchesView(main) {
    const list = h('tbody');
    const problem = h('div');
    const formArea = h('div');
    main.replaceChildren(h('h1', {}, 'Batches'), formArea, h('h2', {}, 'All batches'), problem,
        h('div', { class: 'table-wrap' }, h('table', { class: 'batches' },
            h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Status'), h('th', {}, 'Restaurants'),
                h('th', {}, 'Completed'), h('th', {}, 'Failed'), h('th', {}, 'Created'))),
            list)));
    restaurants().then(all => formArea.replaceChildren(createForm(all))).catch(error => {
        if (error.status !== 401) {
            formArea.replaceChildren(alertBox(error.message));
        }
    });
    return every(REFRESH_MILLIS * 2, async () => {
        try {
            const answer = await get('/api/registration-batches?size=50');
            problem.replaceChildren();
            list.replaceChildren(...answer.content.map(batch => h('tr', { 'data-batch': batch.id },
                h('td', {}, h('a', { href: `#/batches/${batch.id}` }, batch.name)),
                h('td', {}, statusBadge(batch.status)),
                h('td', {}, batch.total_restaurants),
                h('td', {}, batch.completed_restaurants),
                h('td', {}, batch.failed_restaurants),
                h('td', {}, formatTime(batch.created_at)))));
            if (!answer.content.length) {
                list.replaceChildren(h('tr', {}, h('td', { colspan: 6 }, 'No batches yet.')));
            }
        } catch (error) {
            if (error.status !== 401) {
                problem.replaceChildren(alertBox(error.message));
            }
        }
    });
}

function createForm(all) {
    const picks = all.map(restaurant => {
        const id = `batch-pick-${restaurant.id}`;
        const menu = h('select', { 'aria-label': `Menu of ${restaurant.name}`, name: `menuOf-${restaurant.id}` },
            h('option', { value: '' }, 'No menu'),
            restaurant.menus.map((candidate, index) => h('option', { value: candidate.id, selected: index === 0 },
                candidate.name)));
        return h('li', { class: 'pick' },
            h('input', { type: 'checkbox', id, name: 'restaurantIds', value: restaurant.id }),
            h('label', { for: id }, restaurant.name), menu);
    });
    const submit = h('button', { type: 'submit', class: 'primary', 'data-action': 'create-batch' }, 'Create and start');
    const form = h('form', { class: 'batch-form', novalidate: true },
        h('div', { class: 'field' }, h('label', { for: 'batch-name' }, 'Batch name'),
            h('input', { id: 'batch-name', name: 'name', type: 'text', 'aria-describedby': 'batch-name-error' }),
            h('p', { class: 'field-error', id: 'batch-name-error', hidden: true })),
        h('fieldset', { class: 'form-section' }, h('legend', {}, 'Restaurants'),
            h('ul', { class: 'picks' }, picks)),
        h('details', {}, h('summary', {}, 'The form every restaurant gets'),
            formSections('batch', null, { batch: true })),
        h('div', { class: 'actions' }, submit));
    form.addEventListener('submit', async event => {
        event.preventDefault();
        clearErrors(form);
        const chosen = [...form.querySelectorAll('input[name="restaurantIds"]:checked')].map(input => input.value);
        const executionConfig = formDataOf(form);
        const overrides = {};
        for (const restaurantId of chosen) {
            const menu = form.elements[`menuOf-${restaurantId}`].value;
            if (menu) {
                overrides[restaurantId] = { ...executionConfig,
                    menu: { ...executionConfig.menu, selectedMenuId: menu } };
            }
        }
        submit.disabled = true;
        try {
            const created = await post('/api/registration-batches', { name: form.elements.name.value.trim(),
                restaurantIds: chosen, executionConfig, overrides, autoStart: true });
            clearPasswords(form);
            location.hash = `#/batches/${created.batch_job.id}`;
        } catch (error) {
            clearPasswords(form);
            submit.disabled = false;
            if (error.status !== 401) {
                showErrors(form, error, 'executionConfig.');
            }
        }
    });
    return h('section', { class: 'card' }, h('h2', {}, 'New batch'), form);
}

export function batchView(main, batchId) {
    const title = h('h1', {}, 'Batch');
    const status = h('div', { class: 'batch-status' });
    const bar = h('progress', { max: 100, value: 0, 'aria-label': 'Ended, in percent' });
    const percent = h('span', { class: 'percent' });
    const counts = h('dl', { class: 'counts' });
    const phases = h('p', { class: 'muted phase-counts' });
    const actions = h('div', { class: 'actions' });
    const message = h('div');
    const jobs = h('tbody');
    main.replaceChildren(title, status, h('div', { class: 'progress-line' }, bar, percent), counts, phases, actions,
        message, h('h2', {}, 'Jobs'),
        h('div', { class: 'table-wrap' }, h('table', { class: 'batch-jobs' },
            h('thead', {}, h('tr', {}, h('th', {}, 'Restaurant'), h('th', {}, 'Status'), h('th', {}, 'Phase'),
                h('th', {}, 'Job'))),
            jobs)));

    let stop = () => {};
    const load = async () => {
        try {
            const [detail, progress] = await Promise.all([get(`/api/registration-batches/${batchId}`),
                get(`/api/registration-batches/${batchId}/progress`)]);
            const batch = detail.batch_job;
            title.textContent = `Batch · ${batch.name}`;
            status.replaceChildren(statusBadge(progress.status),
                h('span', { class: 'muted' }, ` created ${formatTime(batch.created_at)}`));
            bar.value = progress.progress_percent;
            percent.textContent = `${progress.progress_percent}% ended`;
            const summary = progress.restaurants_summary;
            counts.replaceChildren(...['total', 'completed', 'failed', 'cancelled', 'in_progress', 'pending'].map(key =>
                h('div', {}, h('dt', {}, key.replace('_', ' ')), h('dd', { 'data-count': key }, summary[key]))));
            const running = Object.entries(progress.current_phase_counts || {});
            phases.textContent = running.length
                ? `Running: ${running.map(([phase, count]) => `${count} in ${phase}`).join(', ')}` : '';
            jobs.replaceChildren(...detail.registration_jobs.map(job => h('tr', { 'data-job': job.job_id,
                    'data-status': job.status },
                h('td', {}, job.restaurant_name),
                h('td', {}, statusBadge(job.status)),
                h('td', {}, job.current_phase || ''),
                h('td', {}, h('a', { href: `#/jobs/${job.job_id}` }, shortId(job.job_id))))));
            const buttons = [];
            if (!ENDED.includes(progress.status)) {
                const cancel = h('button', { type: 'button', class: 'danger', 'data-action': 'cancel-batch' },
                    'Cancel batch');
                cancel.addEventListener('click', async () => {
                    cancel.disabled = true;
                    try {
                        await post(`/api/registration-batches/${batchId}/cancel`);
                    } catch (error) {
                        if (error.status !== 401) {
                            message.replaceChildren(alertBox(error.message));
                        }
                    }
                });
                buttons.push(cancel);
            }
            actions.replaceChildren(...buttons);
            message.replaceChildren();
            if (ENDED.includes(progress.status) && jobs.querySelectorAll('[data-status="in_progress"], [data-status="pending"]').length === 0) {
                stop();
            }
        } catch (error) {
            if (error.status !== 401) {
                message.replaceChildren(alertBox(error.message));
            }
        }
    };
    stop = every(REFRESH_MILLIS, load);
    return () => stop();
}
