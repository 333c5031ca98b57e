// Small helpers to build the DOM from data. Text always goes in as text nodes, never as HTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** h('a', {href: '#/runs', class: 'x'}, 'text', child) — an 'svg:' prefix makes an SVG element. */
export function h(tag, attrs, ...children) {
    const svg = tag.startsWith('svg:');
    const el = svg ? document.createElementNS(SVG_NS, tag.slice(4)) : document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
        if (value === null || value === undefined || value === false) {
            continue;
        }
        if (name.startsWith('on') && typeof value === 'function') {
            el.addEventListener(name.slice(2), value);
        } else {
            el.setAttribute(name, value === true ? '' : String(value));
        }
    }
    for (const child of children.flat(Infinity)) {
        if (child === null || child === undefined || child === false) {
            continue;
        }
        el.append(child instanceof Node ? child : String(child));
    }
    return el;
}

export function clear(el) {
    el.replaceChildren();
    return el;
}

const STATUS_MARKS = {
    not_started: '○', draft: '○', pending: '○', in_progress: '◐', retrying: '↻', cancelling: '◐',
    completed: '✓', skipped: '–', failed: '✗', cancelled: '⊘',
};

/** A status as a badge: a mark and the word, so it never depends on colour alone. */
export function statusBadge(status) {
    const value = status || 'unknown';
    return h('span', { class: `status status-${value}`, 'data-status': value },
        h('span', { 'aria-hidden': 'true' }, STATUS_MARKS[value] || '•'), ' ', value.replace('_', ' '));
}

export function formatTime(value) {
    if (value === null || value === undefined) {
        return '';
    }
    const date = typeof value === 'number' ? new Date(value) : new Date(String(value));
    return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}

export function formatDuration(ms) {
    if (ms === null || ms === undefined || ms < 0) {
        return '';
    }
    if (ms < 1000) {
        return `${ms} ms`;
    }
    const seconds = ms / 1000;
    if (seconds < 60) {
        return `${seconds.toFixed(1)} s`;
    }
    const minutes = Math.floor(seconds / 60);
    return `${minutes} min ${Math.round(seconds % 60)} s`;
}

export function shortId(id) {
    return id ? String(id).slice(0, 8) : '';
}

/** A message line for errors; role=alert so screen readers announce it. */
export function alertBox(message, kind = 'error') {
    return h('p', { class: `alert alert-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
}
