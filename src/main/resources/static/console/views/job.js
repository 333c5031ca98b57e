// One job: its progress live, its history as a timeline of runs, retries, takeovers and cancels, and a chart
// of its sub-steps' durations per phase.
import { h, statusBadge, formatTime, formatDuration, shortId, alertBox } from '../dom.js';
import { get, post, restaurants } from '../api.js';
import { phasesView, jobSummary, subStepOf, subStepLabel, durationOf, PHASES, ACTIVE } from '../pipeline.js';
import { watchJob } from '../live.js';

const RUN_STARTS = ['job_created', 'job_queued', 'job_started', 'job_taken_over', 'job_released'];

const TYPE_LABELS = {
    job_created: 'Job created',
    job_queued: 'Queued again',
    job_started: 'Run started',
    job_taken_over: 'Taken over after its runner stopped',
    job_released: 'Handed back at shutdown',
    cancel_requested: 'Cancel asked',
    job_finished: 'Job ended',
};

export function jobView(main, jobId) {
    const title = h('h1', {}, `Job ${shortId(jobId)}`);
    const summary = h('div');
    const live = h('p', { class: 'live muted', 'aria-live': 'polite' });
    const actions = h('div', { class: 'actions' });
    const message = h('div');
    const phases = h('div');
    const chart = h('div', { class: 'chart-wrap' });
    const timeline = h('ol', { class: 'timeline' });
    main.replaceChildren(title, summary, live, actions, message,
        h('h2', {}, 'Sub-steps'), phases,
        h('h2', {}, 'Durations per phase'), chart,
        h('h2', {}, 'History'), timeline);

    let historyVersion = -1;
    const loadHistory = async version => {
        if (version === historyVersion) {
            return;
        }
        historyVersion = version;
        try {
            const entries = await get(`/api/registration/jobs/${jobId}/history`);
            timeline.replaceChildren(...timelineItems(entries));
        } catch (error) {
            if (error.status !== 401) {
                message.replaceChildren(alertBox(error.message));
            }
        }
    };

    const render = progress => {
        summary.replaceChildren(jobSummary(progress));
        phases.replaceChildren(phasesView(progress));
        chart.replaceChildren(durationChart(progress));
        restaurants().then(all => {
            const restaurant = all.find(candidate => candidate.id === progress.restaurantId);
            title.textContent = `Job ${shortId(jobId)}${restaurant ? ` · ${restaurant.name}` : ''}`;
        }).catch(() => {});
        const buttons = [];
        if (ACTIVE.includes(progress.status)) {
            const cancel = h('button', { type: 'button', class: 'danger', 'data-action': 'cancel' }, 'Cancel');
            cancel.addEventListener('click', async () => {
                cancel.disabled = true;
                try {
                    await post(`/api/registration/jobs/${jobId}/cancel`);
                } catch (error) {
                    if (error.status !== 401) {
                        message.replaceChildren(alertBox(error.message));
                    }
                }
            });
            buttons.push(cancel);
        }
        if (!progress.batchJobId) {
            buttons.push(h('a', { class: 'button', href: `#/restaurants/${progress.restaurantId}` }, 'Open YOLO mode'));
        } else {
            buttons.push(h('a', { class: 'button', href: `#/batches/${progress.batchJobId}` }, 'Its batch'));
        }
        actions.replaceChildren(...buttons);
        loadHistory(progress.version);
    };

    const stop = watchJob(jobId, render, mode => {
        live.dataset.live = mode;
        live.textContent = { stream: 'Live: event stream', polling: 'Live: polling every 2 s', ended: '' }[mode] || '';
    });
    get(`/api/registration/jobs/${jobId}`).catch(error => {
        if (error.status === 404) {
            main.replaceChildren(h('h1', {}, 'Job not found'), alertBox(error.message));
        }
    });
    return stop;
}

/** The history grouped into runs: each run starts where the job was created, queued, started or taken over. */
function timelineItems(entries) {
    const items = [];
    for (const entry of entries) {
        const runStart = RUN_STARTS.includes(entry.type);
        const kind = entry.type === 'job_taken_over' ? 'takeover'
            : entry.type === 'cancel_requested' || entry.status === 'cancelled' ? 'cancel'
                : entry.status === 'retrying' ? 'retry'
                    : entry.status === 'failed' ? 'failure' : runStart ? 'run' : 'step';
        const what = entry.type === 'sub_step'
            ? [h('strong', {}, subStepLabel(entry.subStep)), ' ', statusBadge(entry.status),
                entry.attempt ? h('span', { class: 'muted' }, ` attempt ${entry.attempt}`) : null]
            : [h('strong', {}, TYPE_LABELS[entry.type] || entry.type), entry.status ? [' ', statusBadge(entry.status)] : null];
        items.push(h('li', { class: `event event-${kind}${runStart ? ' run-start' : ''}`, 'data-type': entry.type,
                'data-sequence': entry.sequence },
            h('time', { datetime: entry.at }, formatTime(entry.at)),
            h('div', { class: 'event-what' }, what),
            entry.error ? h('p', { class: 'detail detail-error' }, entry.error) : null));
    }
    return items;
}

const CHART = { width: 400, label: 150, row: 22, head: 24, barMax: 190 };

/** Horizontal bars of each sub-step's duration, grouped by phase, on one scale. */
function durationChart(progress) {
    const rows = [];
    let longest = 1;
    for (const phase of PHASES) {
        rows.push({ phase });
        for (const [key, label] of phase.subSteps) {
            const entry = subStepOf(progress, phase.key, key);
            const duration = durationOf(entry);
            longest = Math.max(longest, duration || 0);
            rows.push({ key, label, entry, duration });
        }
    }
    let y = 0;
    const parts = [];
    for (const row of rows) {
        if (row.phase) {
            y += CHART.head;
            parts.push(h('svg:text', { x: 0, y: y - 6, class: 'chart-phase' },
                `${row.phase.title} · ${row.phase.description}`));
            continue;
        }
        y += CHART.row;
        const width = row.duration ? Math.max(2, Math.round(row.duration / longest * CHART.barMax)) : 0;
        parts.push(h('svg:text', { x: 8, y: y - 7, class: 'chart-label' }, row.label));
        if (width) {
            parts.push(h('svg:rect', { x: CHART.label, y: y - 18, width, height: 14, rx: 2,
                class: `bar bar-${row.entry.status}`, 'data-substep': row.key }));
        }
        parts.push(h('svg:text', { x: CHART.label + width + 4, y: y - 7, class: 'chart-value' },
            row.duration ? formatDuration(row.duration) : row.entry.status));
    }
    return h('svg:svg', { viewBox: `0 0 ${CHART.width} ${y + 4}`, class: 'chart', role: 'img',
        'aria-label': 'Sub-step durations per phase' }, parts);
}
