// Every job of the organisation, newest first: filters by status and restaurant, paging, refreshed while shown.
import { h, statusBadge, formatTime, shortId, alertBox } from '../dom.js';
import { get, restaurants, session } from '../api.js';
import { every } from '../live.js';

const STATUSES = ['pending', 'in_progress', 'completed', 'failed', 'cancelled'];
const PAGE_SIZE = 20;
const REFRESH_MILLIS = 3000;

export function runsView(main, query) {
    const status = query.get('status') || '';
    const restaurant = query.get('restaurant') || '';
    const page = Math.max(0, Number.parseInt(query.get('page') || '0', 10) || 0);
    const link = changes => {
        const next = new URLSearchParams({ status, restaurant, page: String(page), ...changes });
        for (const [key, value] of [...next.entries()]) {
            if (!value || (key === 'page' && value === '0')) {
                next.delete(key);
            }
        }
        const text = next.toString();
        return `#/runs${text ? `?${text}` : ''}`;
    };

    const restaurantChoice = h('select', { id: 'runs-restaurant', name: 'restaurant' },
        h('option', { value: '' }, 'All restaurants'));
    const statusChoice = h('select', { id: 'runs-status', name: 'status' },
        h('option', { value: '' }, 'Any status'),
        STATUSES.map(value => h('option', { value, selected: value === status }, value.replace('_', ' '))));
    const filters = h('form', { class: 'filters', role: 'search' },
        h('div', { class: 'field' }, h('label', { for: 'runs-status' }, 'Status'), statusChoice),
        h('div', { class: 'field' }, h('label', { for: 'runs-restaurant' }, 'Restaurant'), restaurantChoice));
    const onChange = () => {
        location.hash = link({ status: statusChoice.value, restaurant: restaurantChoice.value, page: '0' });
    };
    statusChoice.addEventListener('change', onChange);
    restaurantChoice.addEventListener('change', onChange);

    const problem = h('div');
    const rows = h('tbody');
    const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
    const superAdmin = session.roles().includes('super_admin');
    main.replaceChildren(h('h1', {}, 'Runs'), filters, problem,
        h('div', { class: 'table-wrap' }, h('table', { class: 'runs' },
            h('thead', {}, h('tr', {}, h('th', {}, 'Job'), h('th', {}, 'Restaurant'), h('th', {}, 'Status'),
                h('th', {}, 'Phase'), h('th', {}, 'Created'), h('th', {}, 'Updated'),
                superAdmin ? h('th', {}, 'Organisation') : null)),
            rows)),
        pager);

    restaurants().then(all => all.forEach(candidate => restaurantChoice.append(
        h('option', { value: candidate.id, selected: candidate.id === restaurant }, candidate.name)))).catch(() => {});

    const load = async () => {
        const params = new URLSearchParams({ page: String(page), size: String(PAGE_SIZE) });
        if (status) {
            params.set('status', status);
        }
        if (restaurant) {
            params.set('restaurantId', restaurant);
        }
        try {
            const answer = await get(`/api/registration/jobs?${params}`);
            problem.replaceChildren();
            rows.replaceChildren(...answer.content.map(job => h('tr', { 'data-job': job.jobId, 'data-status': job.status },
                h('td', {}, h('a', { href: `#/jobs/${job.jobId}` }, shortId(job.jobId))),
                h('td', {}, job.restaurantName || shortId(job.restaurantId),
                    job.batchJobId ? h('a', { class: 'tag', href: `#/batches/${job.batchJobId}` }, 'batch') : null),
                h('td', {}, statusBadge(job.status)),
                h('td', {}, job.currentPhase || ''),
                h('td', {}, formatTime(job.createdAt)),
                h('td', {}, formatTime(job.updatedAt)),
                superAdmin ? h('td', {}, shortId(job.organisationId)) : null)));
            if (!answer.content.length) {
                rows.replaceChildren(h('tr', {}, h('td', { colspan: 6 }, 'No runs match.')));
            }
            const pages = Math.max(1, answer.totalPages);
            pager.replaceChildren(...[
                page > 0 ? h('a', { class: 'button', href: link({ page: String(page - 1) }), rel: 'prev' }, 'Newer') : null,
                h('span', { class: 'muted', 'data-page': page }, `Page ${page + 1} of ${pages} · ${answer.totalElements} runs`),
                page + 1 < answer.totalPages
                    ? h('a', { class: 'button', href: link({ page: String(page + 1) }), rel: 'next' }, 'Older') : null,
            ].filter(Boolean));
        } catch (error) {
            if (error.status !== 401) {
                problem.replaceChildren(alertBox(error.message));
            }
        }
    };
    return every(REFRESH_MILLIS, load);
}
