// The organisation's restaurants with the state of each one's latest YOLO run, refreshed while shown.
import { h, statusBadge, formatTime, alertBox } from '../dom.js';
import { call, restaurants } from '../api.js';
import { every } from '../live.js';

const REFRESH_MILLIS = 3000;

export function restaurantsView(main) {
    const list = h('ul', { class: 'cards restaurants' });
    const problem = h('div');
    main.replaceChildren(h('h1', {}, 'Restaurants'),
        h('p', { class: 'muted' }, 'Open a restaurant\'s YOLO mode to run its registration, or follow the run under way.'),
        problem, list);
    const tags = new Map();
    const latest = new Map();

    const load = async () => {
        try {
            const all = await restaurants();
            await Promise.all(all.map(async restaurant => {
                const answer = await call('GET', `/api/registration/single-restaurant-progress/${restaurant.id}`,
                    { etag: tags.get(restaurant.id) });
                if (answer.status !== 304) {
                    tags.set(restaurant.id, answer.etag);
                    latest.set(restaurant.id, answer.data);
                }
            }));
            problem.replaceChildren();
            list.replaceChildren(...all.map(restaurant => card(restaurant, latest.get(restaurant.id))));
            if (!all.length) {
                list.replaceChildren(h('li', {}, 'Your organisation has no restaurants yet.'));
            }
        } catch (error) {
            if (error.status !== 401) {
                problem.replaceChildren(alertBox(error.message));
            }
        }
    };
    return every(REFRESH_MILLIS, load);
}

function card(restaurant, progress) {
    const status = progress ? progress.status : 'not_started';
    return h('li', { class: 'card restaurant', 'data-restaurant': restaurant.id, 'data-status': status },
        h('div', { class: 'card-head' },
            h('h2', {}, restaurant.name),
            statusBadge(status)),
        h('p', { class: 'muted' }, [restaurant.city, `${restaurant.menus.length} ${restaurant.menus.length === 1
            ? 'menu' : 'menus'}`].filter(Boolean).join(' · ')),
        progress && progress.jobId ? h('p', { class: 'muted' },
            progress.currentPhase && ['pending', 'in_progress'].includes(status) ? `In ${progress.currentPhase} · ` : '',
            `Updated ${formatTime(progress.updatedAt)}`) : h('p', { class: 'muted' }, 'No YOLO run yet'),
        h('div', { class: 'actions' },
            h('a', { class: 'button primary', href: `#/restaurants/${restaurant.id}`, 'data-action': 'open-yolo' },
                'YOLO mode'),
            progress && progress.jobId ? h('a', { class: 'button', href: `#/jobs/${progress.jobId}` }, 'Latest run') : null,
            h('a', { class: 'button', href: `#/runs?restaurant=${restaurant.id}` }, 'History')));
}
