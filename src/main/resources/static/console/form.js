// The YOLO form in its six sections, the formData it sends, and the API's validation messages shown beside the
// fields they name. The browser does not validate: the messages are the API's own.
import { h, alertBox } from './dom.js';

const text = (name, label, { type = 'text', placeholder, autocomplete } = {}) => ({ kind: 'text', name, label, type,
    placeholder, autocomplete });
const check = (name, label, checked = true) => ({ kind: 'check', name, label, checked });
const choice = (name, label, options) => ({ kind: 'choice', name, label, options });

function sections(restaurant, { batch }) {
    const menuField = batch ? [] : [choice('menu.selectedMenuId', 'Menu',
        [['', 'No menu'], ...restaurant.menus.map(menu => [menu.id, menu.name])])];
    return [
        { key: 'account', title: 'Account', fields: [
            check('account.registerNewUser', 'Create a new account'),
            text('account.email', 'Email', { type: 'email', autocomplete: 'off' }),
            text('account.password', 'Password', { type: 'password', autocomplete: 'new-password' }),
            text('account.phone', 'Phone', { type: 'tel' }),
        ] },
        { key: 'restaurant', title: 'Restaurant', fields: [
            choice('restaurant.registrationMode', 'Registration', [['new_account', 'New account'],
                ['existing_account', 'Existing account']]),
            text('restaurant.name', 'Name', { placeholder: restaurant ? restaurant.name : 'as stored' }),
            text('restaurant.address', 'Address', { placeholder: 'as stored' }),
            text('restaurant.phone', 'Phone', { type: 'tel', placeholder: 'as stored' }),
            text('restaurant.city', 'City', { placeholder: restaurant && restaurant.city ? restaurant.city : 'as stored' }),
        ] },
        { key: 'menu', title: 'Menu', fields: [
            ...menuField,
            check('menu.uploadImages', 'Upload images'),
            check('menu.addOptionSets', 'Add option sets'),
            check('menu.addItemTags', 'Add item tags'),
        ] },
        { key: 'website', title: 'Website', fields: [
            check('website.disableGradients', 'Disable gradients', false),
            check('website.headerEnabled', 'Header'),
            text('website.headerBackgroundSource', 'Header background'),
            choice('website.itemsLayout', 'Items layout', [['grid', 'Grid'], ['list', 'List']]),
            text('website.navTextColor', 'Navigation text colour'),
            text('website.boxTextColor', 'Box text colour'),
        ] },
        { key: 'payment', title: 'Payment', fields: [
            check('payment.includeStripeLink', 'Include the Stripe Connect link'),
        ] },
        { key: 'onboarding', title: 'Onboarding', fields: [
            check('onboarding.createOnboardingUser', 'Create an onboarding user'),
            check('onboarding.syncOnboardingRecord', 'Update the onboarding record'),
            text('onboarding.userName', 'Contact name'),
            text('onboarding.userEmail', 'Contact email', { type: 'email', autocomplete: 'off' }),
            text('onboarding.userPassword', 'Contact password', { type: 'password', autocomplete: 'new-password' }),
        ] },
    ];
}

const fieldId = (prefix, name) => `${prefix}-${name.replace('.', '-')}`;

function fieldView(prefix, field, initial) {
    const id = fieldId(prefix, field.name);
    const errorId = `${id}-error`;
    const value = initial ? initial[field.name] : undefined;
    let input;
    if (field.kind === 'check') {
        input = h('input', { type: 'checkbox', id, name: field.name,
            checked: value === undefined ? field.checked : value, 'aria-describedby': errorId });
        return h('div', { class: 'field field-check' }, input, h('label', { for: id }, field.label),
            h('p', { class: 'field-error', id: errorId, hidden: true }));
    }
    if (field.kind === 'choice') {
        input = h('select', { id, name: field.name, 'aria-describedby': errorId },
            field.options.map(([optionValue, label]) =>
                h('option', { value: optionValue, selected: value === optionValue }, label)));
    } else {
        const isPassword = field.type === 'password';
        input = h('input', { type: field.type, id, name: field.name, placeholder: field.placeholder,
            autocomplete: field.autocomplete, value: isPassword ? null : value, 'aria-describedby': errorId });
    }
    return h('div', { class: 'field' }, h('label', { for: id }, field.label), input,
        h('p', { class: 'field-error', id: errorId, hidden: true }));
}

/**
 * The form's fieldsets. `initial` maps field names to values (a tab keeps the last form it sent, passwords
 * left out); batch forms have no menu picker (each restaurant picks its own menu).
 */
export function formSections(prefix, restaurant, { initial, batch = false } = {}) {
    return sections(restaurant, { batch }).map(section =>
        h('fieldset', { class: 'form-section', 'data-section': section.key },
            h('legend', {}, section.title),
            section.fields.map(field => fieldView(prefix, field, initial))));
}

/** The formData of a form: booleans always, text only when filled in (left out means "as stored"). */
export function formDataOf(form) {
    const data = { account: {}, restaurant: {}, menu: {}, website: {}, payment: {}, onboarding: {} };
    for (const element of form.querySelectorAll('[name*="."]')) {
        const [section, field] = element.name.split('.');
        if (!data[section]) {
            continue;
        }
        if (element.type === 'checkbox') {
            data[section][field] = element.checked;
        } else if (element.value.trim() !== '') {
            data[section][field] = element.value.trim();
        }
    }
    return data;
}

/** The values to fill the form with again: everything but passwords. */
export function valuesOf(form) {
    const values = {};
    for (const element of form.querySelectorAll('[name*="."]')) {
        if (element.type === 'password') {
            continue;
        }
        values[element.name] = element.type === 'checkbox' ? element.checked : element.value;
    }
    return values;
}

export function clearPasswords(form) {
    form.querySelectorAll('input[type="password"]').forEach(input => {
        input.value = '';
    });
}

export function clearErrors(form) {
    form.querySelectorAll('.field-error').forEach(error => {
        error.hidden = true;
        error.textContent = '';
    });
    form.querySelectorAll('[aria-invalid]').forEach(input => input.removeAttribute('aria-invalid'));
    form.querySelectorAll('.form-alert').forEach(alert => alert.remove());
}

/**
 * Shows an API refusal: each message that names a field (`formData.account.email: ...` from validation, or the
 * `path` of a body rule) beside that field, and the whole message on top.
 */
export function showErrors(form, error, pathPrefix = 'formData.') {
    clearErrors(form);
    const problem = error.problem || {};
    const messages = problem.errors || (problem.path ? [`${problem.path}: ${error.message}`] : []);
    for (const message of messages) {
        const split = message.indexOf(': ');
        const path = split > 0 ? message.slice(0, split) : '';
        const name = path.startsWith(pathPrefix) ? path.slice(pathPrefix.length) : path;
        const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
        const box = input && document.getElementById(input.getAttribute('aria-describedby'));
        if (box) {
            input.setAttribute('aria-invalid', 'true');
            box.textContent = message.slice(split + 2);
            box.hidden = false;
        }
    }
    const alert = alertBox(error.message);
    alert.classList.add('form-alert');
    form.prepend(alert);
    const first = form.querySelector('[aria-invalid]');
    (first || alert).scrollIntoView({ block: 'center' });
}
