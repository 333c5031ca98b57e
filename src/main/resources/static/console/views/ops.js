// For ops and super_admin: the runner's capacity, running jobs and backlog from the health details, and the
// jobs running now (across organisations for super_admin).
import { h, formatTime, shortId, alertBox } from '../dom.js';
import { call, get, session } from '../api.js';
import { every } from '../live.js';

const REFRESH_MILLIS = 3000;

export function opsView(main) {
    const superAdmin = session.roles().includes('super_admin');
    const runner = h('dl', { class: 'counts runner' });
    const problem = h('div');
    const running = h('tbody');
    main.replaceChildren(h('h1', {}, 'Operations'),
        h('p', { class: 'muted' }, superAdmin ? 'Every organisation.' : 'Runner of the instance that answered; jobs of your organisation.'),
        problem, h('h2', {}, 'Runner'), runner, h('h2', {}, 'Running now'),
        h('div', { class: 'table-wrap' }, h('table', { class: 'running' },
            h('thead', {}, h('tr', {}, h('th', {}, 'Job'), h('th', {}, 'Restaurant'), h('th', {}, 'Phase'),
                h('th', {}, 'Started'), superAdmin ? h('th', {}, 'Organisation') : null)),
            running)));
    return every(REFRESH_MILLIS, async () => {
        try {
            const health = await healthDetails();
            const details = ((health.components || {}).runner || {}).details || {};
            const shown = [['capacity', 'Capacity (jobs at once)'], ['running', 'Running here'],
                ['runnable', 'Backlog (runnable jobs)'], ['oldestRunnableAgeSeconds', 'Oldest runnable, seconds'],
                ['stuck', 'Stuck'], ['claiming', 'Claiming'], ['instance', 'Instance']];
            runner.replaceChildren(...shown.filter(([key]) => key in details).map(([key, label]) =>
                h('div', {}, h('dt', {}, label), h('dd', { 'data-detail': key }, String(details[key])))));
            if (!Object.keys(details).length) {
                runner.replaceChildren(h('dd', {}, `Health: ${health.status}; no details for this token.`));
            }
            const jobs = await get('/api/registration/jobs?status=in_progress&size=100');
            running.replaceChildren(...jobs.content.map(job => h('tr', { 'data-job': job.jobId },
                h('td', {}, h('a', { href: `#/jobs/${job.jobId}` }, shortId(job.jobId))),
                h('td', {}, job.restaurantName || shortId(job.restaurantId)),
                h('td', {}, job.currentPhase || ''),
                h('td', {}, formatTime(job.startedAt)),
                superAdmin ? h('td', {}, shortId(job.organisationId)) : null)));
            if (!jobs.content.length) {
                running.replaceChildren(h('tr', {}, h('td', { colspan: 4 }, 'Nothing is running.')));
            }
            problem.replaceChildren();
        } catch (error) {
            if (error.status !== 401) {
                problem.replaceChildren(alertBox(error.message));
            }
        }
    });
}

/** The health answer, details included for these roles; 503 (down) still carries the document. */
async function healthDetails() {
    try {
        return (await call('GET', '/actuator/health')).data;
    } catch (error) {
        if (error.status === 503 && error.problem && error.problem.status) {
            return error.problem;
        }
        throw error;
    }
}
