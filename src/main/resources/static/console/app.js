// The console: sign-in, navigation and the views, one at a time, chosen by the URL's fragment.
import { h, alertBox } from './dom.js';
import { session, get, onUnauthorized, forgetCaches } from './api.js';
import { openDialog, closeDialog } from './dialog.js';
import { restaurantsView } from './views/restaurants.js';
import { runsView } from './views/runs.js';
import { jobView } from './views/job.js';
import { batchesView, batchView } from './views/batches.js';
import { opsView } from './views/ops.js';

const main = document.getElementById('view');
const nav = document.getElementById('nav');
const UUID = '([0-9a-fA-F-]{36})';

let leaveView = () => {};
let shownView = null;
let signInReason = null;

const routes = [
    [new RegExp('^/restaurants$'), () => show('restaurants', restaurantsView)],
    [new RegExp(`^/restaurants/${UUID}$`), ([id]) => {
        show('restaurants', restaurantsView);
        openDialog(id, () => {
            if (location.hash.startsWith(`#/restaurants/${id}`)) {
                location.hash = '#/restaurants';
            }
        });
    }],
    [new RegExp('^/runs$'), (params, query) => show(`runs?${query}`, view => runsView(view, query), 'runs')],
    [new RegExp(`^/jobs/${UUID}$`), ([id]) => show(`job ${id}`, view => jobView(view, id), 'runs')],
    [new RegExp('^/batches$'), () => show('batches', batchesView)],
    [new RegExp(`^/batches/${UUID}$`), ([id]) => show(`batch ${id}`, view => batchView(view, id), 'batches')],
    [new RegExp('^/ops$'), () => show('ops', opsView)],
];

/** Renders a view unless it is already the one shown (the dialog opens over the restaurants). */
function show(key, render, section = key) {
    if (shownView === key) {
        return;
    }
    leaveView();
    shownView = key;
    nav.querySelectorAll('a[data-nav]').forEach(link => {
        if (link.dataset.nav === section) {
            link.setAttribute('aria-current', 'page');
        } else {
            link.removeAttribute('aria-current');
        }
    });
    main.replaceChildren();
    leaveView = render(main) || (() => {});
}

function route() {
    const hash = location.hash || '#/restaurants';
    if (!session.token()) {
        signIn();
        return;
    }
    nav.hidden = false;
    document.getElementById('nav-ops').hidden = !session.roles().some(role => ['ops', 'super_admin'].includes(role));
    const [path, queryText] = hash.slice(1).split('?');
    if (!/^\/restaurants\/./.test(path)) {
        closeDialog();
    }
    for (const [pattern, handler] of routes) {
        const match = pattern.exec(path);
        if (match) {
            handler(match.slice(1), new URLSearchParams(queryText || ''));
            return;
        }
    }
    location.replace('#/restaurants');
}

function signIn() {
    leaveView();
    leaveView = () => {};
    shownView = 'signin';
    closeDialog();
    nav.hidden = true;
    const input = h('textarea', { id: 'token', name: 'token', rows: 4, required: true, spellcheck: 'false',
        autocomplete: 'off', 'aria-describedby': 'token-help' });
    const submit = h('button', { type: 'submit', class: 'primary', 'data-action': 'sign-in' }, 'Sign in');
    const form = h('form', { class: 'signin card' },
        h('h1', {}, 'Sign in'),
        signInReason ? alertBox(signInReason) : null,
        h('label', { for: 'token' }, 'Bearer token'),
        input,
        h('p', { id: 'token-help', class: 'muted' },
            'Paste a token of your organisation. It is kept for this browser tab only and sent to the API alone. ',
            'Locally, the service prints a sign-in link when it is ready.'),
        h('div', { class: 'actions' }, submit));
    form.addEventListener('submit', async event => {
        event.preventDefault();
        const token = input.value.trim().replace(/^Bearer\s+/i, '');
        if (!token) {
            return;
        }
        submit.disabled = true;
        await tryToken(token);
        submit.disabled = false;
    });
    main.replaceChildren(form);
    input.focus();
}

/** Keeps the token for this tab once the API has accepted it. */
async function tryToken(token) {
    session.signIn(token);
    forgetCaches();
    try {
        await get('/api/restaurants');
        signInReason = null;
        shownView = null;
        if (!location.hash || location.hash === '#/signin') {
            location.hash = '#/restaurants';
        }
        route();
    } catch (error) {
        if (error.status !== 401) {
            session.signOut();
            signInReason = error.message;
            signIn();
        }
    }
}

onUnauthorized(reason => {
    session.signOut();
    forgetCaches();
    signInReason = `${reason}. Sign in again.`;
    signIn();
});

document.getElementById('sign-out').addEventListener('click', () => {
    session.signOut();
    forgetCaches();
    signInReason = null;
    location.hash = '#/restaurants';
    signIn();
});

// A sign-in link carries the token in the fragment (#token=...), which the browser never sends to a server. It
// is taken out of the address bar and history at once.
function signInFromLink() {
    const fromLink = /^#token=([^&]+)$/.exec(location.hash);
    if (!fromLink) {
        return false;
    }
    history.replaceState(null, '', `${location.pathname}#/restaurants`);
    tryToken(decodeURIComponent(fromLink[1]));
    return true;
}

window.addEventListener('hashchange', () => {
    if (!signInFromLink() && session.token()) {
        route();
    }
});

if (!signInFromLink()) {
    route();
}
