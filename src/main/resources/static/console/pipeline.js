// The pipeline's four phases and twelve sub-steps in their order (the stored document's keys come in JSONB's
// order, not this one), and the view of one job's progress.
import { h, statusBadge, formatDuration, formatTime, shortId } from './dom.js';

export const PHASES = [
    { key: 'phase1', title: 'Phase 1', description: 'Initial parallel operations', subSteps: [
        ['cloudwaitressAccount', 'Account'],
        ['codeGeneration', 'Code generation'],
        ['createOnboardingUser', 'Onboarding user'],
        ['uploadImages', 'Menu images'],
    ] },
    { key: 'phase2', title: 'Phase 2', description: 'Restaurant registration and configuration', subSteps: [
        ['restaurantRegistration', 'Restaurant registration'],
        ['websiteConfig', 'Website'],
        ['servicesConfig', 'Services'],
        ['paymentConfig', 'Payment'],
        ['menuImport', 'Menu import'],
        ['syncOnboardingUser', 'Onboarding record'],
    ] },
    { key: 'phase3', title: 'Phase 3', description: 'Option sets', subSteps: [['optionSets', 'Option sets']] },
    { key: 'phase4', title: 'Phase 4', description: 'Item tags', subSteps: [['itemTags', 'Item tags']] },
];

export const ACTIVE = ['pending', 'in_progress'];
export const ENDED = ['completed', 'failed', 'cancelled'];

export function subStepLabel(key) {
    for (const phase of PHASES) {
        const found = phase.subSteps.find(([subStep]) => subStep === key);
        if (found) {
            return found[1];
        }
    }
    return key;
}

/** The stored entry of a sub-step, or an empty pending one. */
export function subStepOf(progress, phaseKey, subStepKey) {
    const phase = progress && progress.phases && progress.phases[phaseKey];
    return (phase && phase.sub_steps && phase.sub_steps[subStepKey]) || { status: 'pending' };
}

function phaseStatus(progress, phase) {
    const stored = progress && progress.phases && progress.phases[phase.key];
    return (stored && stored.status) || 'pending';
}

/** Milliseconds a sub-step took, or has taken so far while it runs. */
export function durationOf(entry, now = Date.now()) {
    if (!entry.started_at) {
        return null;
    }
    const end = entry.completed_at || (['in_progress', 'retrying'].includes(entry.status) ? now : null);
    return end ? end - entry.started_at : null;
}

function attemptText(entry) {
    if (entry.status === 'retrying' || entry.status === 'in_progress') {
        return entry.attempt ? `attempt ${entry.attempt}` : '';
    }
    const attempts = entry.attempts || entry.attempt;
    return attempts ? `${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}` : '';
}

function subStepItem(key, label, entry) {
    const details = [];
    if (entry.error) {
        details.push(h('p', { class: 'detail detail-error' }, h('strong', {}, 'Error: '), entry.error));
    }
    if (entry.previous_error && entry.status === 'retrying') {
        details.push(h('p', { class: 'detail detail-error' }, h('strong', {}, 'Last error: '), entry.previous_error));
    }
    if (entry.reason) {
        details.push(h('p', { class: 'detail' }, h('strong', {}, 'Skipped: '), entry.reason));
    }
    if (entry.blocked_by && entry.blocked_by.length) {
        details.push(h('p', { class: 'detail' }, h('strong', {}, 'Blocked by: '),
            entry.blocked_by.map(subStepLabel).join(', ')));
    }
    const duration = durationOf(entry);
    return h('li', { class: 'substep', 'data-substep': key, 'data-status': entry.status },
        h('div', { class: 'substep-head' },
            h('span', { class: 'substep-name' }, label),
            statusBadge(entry.status)),
        h('div', { class: 'substep-meta' },
            h('span', { class: 'attempts' }, attemptText(entry)),
            h('span', { class: 'duration' }, duration === null ? '' : formatDuration(duration))),
        details);
}

/** The four phases with their sub-steps, in pipeline order. */
export function phasesView(progress) {
    return h('div', { class: 'phases' }, PHASES.map(phase => {
        const status = phaseStatus(progress, phase);
        const current = progress && progress.currentPhase === phase.key && !ENDED.includes(progress.status);
        return h('section', { class: `phase${current ? ' phase-current' : ''}`, 'data-phase': phase.key,
                'data-status': status, 'aria-label': `${phase.title}: ${phase.description}` },
            h('h3', {}, h('span', {}, phase.title, ' · ', phase.description), statusBadge(status)),
            h('ol', { class: 'substeps' }, phase.subSteps.map(([key, label]) =>
                subStepItem(key, label, subStepOf(progress, phase.key, key)))));
    }));
}

/** The job's own line: status, ids, times and the error. */
export function jobSummary(progress) {
    const scheduled = progress.status === 'pending' && progress.scheduledAt
        && new Date(progress.scheduledAt).getTime() > Date.now() + 1000;
    return h('div', { class: 'job-summary' },
        h('p', { class: 'job-status' }, 'Job ', h('a', { href: `#/jobs/${progress.jobId}`, class: 'job-link' },
            shortId(progress.jobId)), ' ', statusBadge(progress.status),
            progress.currentPhase && !ENDED.includes(progress.status)
                ? h('span', { class: 'muted' }, ` now in ${progress.currentPhase}`) : null),
        scheduled ? h('p', { class: 'scheduled' }, `Scheduled for ${formatTime(progress.scheduledAt)}`) : null,
        h('p', { class: 'muted times' },
            progress.startedAt ? `Started ${formatTime(progress.startedAt)}` : 'Not started yet',
            progress.completedAt ? ` · ended ${formatTime(progress.completedAt)}` : ''),
        progress.error ? h('p', { class: 'alert alert-error job-error' }, progress.error) : null);
}
