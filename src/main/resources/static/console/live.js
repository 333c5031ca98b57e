// Follows one job live: the event stream (EventSource with access_token) while it works, polling with ETags
// when it does not (no EventSource, a proxy that buffers, the stream refused or closed early).
import { call, eventStreamUrl } from './api.js';
import { ENDED } from './pipeline.js';

const POLL_MILLIS = 2000;

/**
 * Calls onProgress with each new progress answer until the job ends or stop() is called; onMode('stream' |
 * 'polling' | 'ended') tells how. Answers stop().
 */
export function watchJob(jobId, onProgress, onMode = () => {}) {
    let stopped = false;
    let source = null;
    let timer = null;
    let etag = null;
    let lastVersion = -1;

    const stop = () => {
        stopped = true;
        if (source) {
            source.close();
            source = null;
        }
        clearTimeout(timer);
    };

    const deliver = progress => {
        if (stopped || progress.version < lastVersion) {
            return;
        }
        lastVersion = progress.version;
        onProgress(progress);
        if (ENDED.includes(progress.status)) {
            stop();
            onMode('ended');
        }
    };

    const poll = async () => {
        try {
            const answer = await call('GET', `/api/registration/jobs/${encodeURIComponent(jobId)}`, { etag });
            if (answer.status !== 304) {
                etag = answer.etag;
                deliver(answer.data);
            }
        } catch (error) {
            if (error.status === 401 || error.status === 404) {
                stop();
                return;
            }
        }
        if (!stopped) {
            timer = setTimeout(poll, POLL_MILLIS);
        }
    };

    const stream = () => {
        source = new EventSource(eventStreamUrl(jobId));
        source.addEventListener('progress', event => deliver(JSON.parse(event.data)));
        source.addEventListener('open', () => onMode('stream'));
        source.addEventListener('error', () => {
            if (stopped) {
                return;
            }
            source.close();
            source = null;
            onMode('polling');
            poll();
        });
    };

    // One read first: it shows the job at once, and a refused token is seen here (EventSource cannot tell).
    call('GET', `/api/registration/jobs/${encodeURIComponent(jobId)}`).then(answer => {
        etag = answer.etag;
        deliver(answer.data);
        if (stopped) {
            return;
        }
        if (typeof EventSource === 'function') {
            stream();
        } else {
            onMode('polling');
            poll();
        }
    }).catch(error => {
        if (!stopped && error.status !== 401 && error.status !== 404) {
            onMode('polling');
            timer = setTimeout(poll, POLL_MILLIS);
        }
    });
    return stop;
}

/** Calls load() now and then every `millis` until stop() is called; skips a tick while one is still under way. */
export function every(millis, load) {
    let stopped = false;
    let timer = null;
    const tick = async () => {
        try {
            await load();
        } catch (e) {
            // shown by load itself; keep refreshing
        }
        if (!stopped) {
            timer = setTimeout(tick, millis);
        }
    };
    tick();
    return () => {
        stopped = true;
        clearTimeout(timer);
    };
}
