// The administrator's page: products and their stock, the dead letters of every service with a
// replay button, and what protects order-service now (circuit breaker, bulkhead, admission limit).
// The API decides who may do this (403 for anyone but an administrator); the page only asks it.

import { api, session } from './api.js';
import { field, h, money, scrolling, show, when } from './dom.js';
import { failed, notify } from './ui.js';

const SERVICES = [
  ['order-service', '/api/orders/dead-letters'],
  ['inventory-service', '/api/inventory/dead-letters'],
  ['user-service', '/api/users/dead-letters'],
];
const DEAD_LETTER_ID = /^[a-z0-9._-]+$/i;

export async function administration() {
  if (!session.isAdmin()) {
    show(h('h1', {}, 'Administration'), h('p', {}, 'This page is for administrators. ', h('a', { href: '#/login' }, 'Log in'), ' with an administrator\'s account.'));
    return;
  }
  const products = h('section', { 'aria-labelledby': 'admin-products' }, h('h2', { id: 'admin-products' }, 'Products and stock'));
  const deadLetters = h('section', { id: 'dead-letters', 'aria-labelledby': 'admin-dead-letters' }, h('h2', { id: 'admin-dead-letters' }, 'Dead letters'));
  const resilience = h('section', { id: 'resilience', 'aria-labelledby': 'admin-resilience' }, h('h2', { id: 'admin-resilience' }, 'Circuit breakers and admission'));
  show(h('h1', {}, 'Administration'), products, deadLetters, resilience);
  await Promise.all([showProducts(products), showDeadLetters(deadLetters), showResilience(resilience)]);
}

function priceInputs(price) {
  return {
    amount: h('input', { type: 'number', min: 0, step: '0.01', required: true, value: price?.amount ?? '' }),
    currency: h('input', { type: 'text', pattern: '[A-Z]{3}', required: true, maxlength: 3, value: price?.currency ?? 'EUR' }),
  };
}

async function showProducts(section) {
  const list = h('div', { class: 'admin-products' }, h('p', { class: 'loading' }, 'Loading…'));
  section.replaceChildren(section.firstChild, addProductForm(() => showProducts(section)), list);
  try {
    const { data } = await api('GET', '/api/products?size=100&sort=name');
    list.replaceChildren(...[scrolling('The products and their stock', h('table', {},
      h('thead', {}, h('tr', {}, ['Product', 'SKU', 'Price', 'Available', ''].map(columnHeader))),
      h('tbody', {}, data.content.map((item) => productRow(item, () => showProducts(section)))))),
    data.page.totalElements > data.content.length ? h('p', {}, `The first ${data.content.length} of ${data.page.totalElements} products, by name.`) : null]
      .filter(Boolean));
  } catch (error) {
    failed(error);
  }
}

/** A column's header; the buttons' column is named for screen readers only. */
function columnHeader(title) {
  return h('th', { scope: 'col' }, title || h('span', { class: 'visually-hidden' }, 'Actions'));
}

function productRow(item, refresh) {
  const details = h('td', { colspan: 5 });
  const detailsRow = h('tr', { hidden: true }, details);
  const edit = h('button', {
    type: 'button',
    'aria-expanded': 'false',
    onclick: async () => {
      const open = detailsRow.hidden;
      detailsRow.hidden = !open;
      edit.setAttribute('aria-expanded', String(open));
      if (open) await editor(item, details, refresh);
    },
  }, `Edit ${item.name}`);
  return [h('tr', {},
    h('td', {}, item.name), h('td', {}, item.sku), h('td', { class: 'number' }, money(item.price.amount, item.price.currency)),
    h('td', { class: 'number' }, item.available), h('td', {}, edit)), detailsRow];
}

/** The product's fields, and its stock with the form that adjusts it. */
async function editor(item, target, refresh) {
  const name = h('input', { type: 'text', required: true, maxlength: 200, value: item.name });
  const description = h('textarea', { maxlength: 2000, rows: 2 }, item.description ?? '');
  const category = h('input', { type: 'text', maxlength: 100, value: item.category ?? '' });
  const price = priceInputs(item.price);
  const save = h('form', {
    class: 'inline',
    onsubmit: async (event) => {
      event.preventDefault();
      try {
        await api('PUT', `/api/products/${item.id}`, {
          auth: true,
          body: { name: name.value.trim(), description: description.value.trim() || null, category: category.value.trim() || null,
            price: { amount: Number(price.amount.value), currency: price.currency.value.trim() } },
        });
        notify(`${name.value.trim()} is saved.`, 'info');
        await refresh();
      } catch (error) {
        failed(error);
      }
    },
  }, field('Name', name), field('Description', description), field('Category', category), field('Price', price.amount),
  field('Currency', price.currency), h('button', { type: 'submit' }, 'Save'));

  const delta = h('input', { type: 'number', required: true, min: -1000000, max: 1000000, step: 1 });
  const reason = h('input', { type: 'text', required: true, maxlength: 200, placeholder: 'delivery, breakage, count…' });
  const level = h('p', {}, 'Stock: loading…');
  const adjust = h('form', {
    class: 'inline',
    onsubmit: async (event) => {
      event.preventDefault();
      try {
        const { data } = await api('POST', `/api/inventory/${item.id}/adjustments`, {
          auth: true, body: { delta: Number.parseInt(delta.value, 10), reason: reason.value.trim() },
        });
        notify(`Stock of ${item.name} adjusted: ${data.available} available.`, 'info');
        await refresh();
      } catch (error) {
        failed(error);
      }
    },
  }, field('Units received (+) or written off (−)', delta), field('Reason', reason), h('button', { type: 'submit' }, 'Adjust stock'));
  target.replaceChildren(save, level, adjust);
  try {
    const { data } = await api('GET', `/api/inventory/${item.id}`, { auth: true });
    level.textContent = `Stock: ${data.available} available, ${data.reserved} reserved, ${data.sold} sold (low at ${data.lowStockThreshold}).`;
  } catch (error) {
    failed(error);
  }
}

function addProductForm(refresh) {
  const sku = h('input', { type: 'text', required: true, maxlength: 64 });
  const name = h('input', { type: 'text', required: true, maxlength: 200 });
  const category = h('input', { type: 'text', maxlength: 100 });
  const price = priceInputs(null);
  return h('details', {}, h('summary', {}, 'Add a product'), h('form', {
    class: 'inline',
    onsubmit: async (event) => {
      event.preventDefault();
      try {
        await api('POST', '/api/products', {
          auth: true,
          body: { sku: sku.value.trim(), name: name.value.trim(), category: category.value.trim() || null,
            price: { amount: Number(price.amount.value), currency: price.currency.value.trim() } },
        });
        notify(`${name.value.trim()} is in the catalogue; its stock starts at 0.`, 'info');
        await refresh();
      } catch (error) {
        failed(error);
      }
    },
  }, field('SKU', sku), field('Name', name), field('Category', category), field('Price', price.amount), field('Currency', price.currency),
  h('button', { type: 'submit' }, 'Add')));
}

async function showDeadLetters(section) {
  const title = section.firstChild;
  const parts = await Promise.all(SERVICES.map(async ([service, path]) => {
    try {
      const { data } = await api('GET', path, { auth: true });
      return h('div', { class: 'dead-letters', 'data-service': service },
        h('h3', {}, `${service}: ${data.records.length} in ${data.topics.join(', ') || 'no dead-letter topic'}`),
        data.records.length === 0 ? h('p', {}, 'None: every message was processed.') : scrolling(`${service}'s dead letters`, h('table', {},
          h('thead', {}, h('tr', {}, ['Dead-lettered', 'From', 'Type', 'Why', ''].map(columnHeader))),
          h('tbody', {}, data.records.map((record) => h('tr', { 'data-id': record.id },
            h('td', {}, when(record.deadLetteredAt)),
            h('td', {}, record.originalTopic ?? '?'),
            h('td', {}, record.type ?? 'unreadable'),
            h('td', {}, `${record.reason ?? ''}`.slice(0, 200)),
            h('td', {}, replayButton(path, record, () => showDeadLetters(section)))))))));
    } catch (error) {
      failed(error);
      return h('p', {}, `${service}: ${error.message}`);
    }
  }));
  section.replaceChildren(title, ...parts,
    h('button', { type: 'button', onclick: () => showDeadLetters(section) }, 'Read the dead letters again'));
}

function replayButton(path, record, refresh) {
  if (!DEAD_LETTER_ID.test(record.id)) return null;
  return h('button', {
    type: 'button',
    class: 'replay',
    onclick: async (event) => {
      event.target.disabled = true;
      try {
        const { data } = await api('POST', `${path}/${record.id}/replay`, { auth: true });
        notify(`Sent to ${data.replayTopic}: the listener processes it again. Should it fail again, it comes back here.`, 'info');
        await refresh();
      } catch (error) {
        event.target.disabled = false;
        failed(error);
      }
    },
  }, `Replay ${record.id}`);
}

async function showResilience(section) {
  const title = section.firstChild;
  try {
    const { data } = await api('GET', '/api/orders/resilience', { auth: true });
    const admission = data.admission;
    section.replaceChildren(title,
      h('p', {}, 'order-service calls inventory-service for prices through these; user-service and inventory-service call no other service'
        + ' synchronously, so they have none. As one instance of order-service sees them now:'),
      scrolling('Circuit breakers', h('table', {},
        h('thead', {}, h('tr', {}, ['Circuit breaker', 'State', 'Failure rate', 'Calls in window', 'Refused while open'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, data.circuitBreakers.map((breaker) => h('tr', {},
          h('td', {}, breaker.name),
          h('td', {}, h('span', { class: `breaker ${breaker.state.toLowerCase()}` }, breaker.state)),
          h('td', { class: 'number' }, breaker.failureRatePercent === null ? 'too few calls yet' : `${breaker.failureRatePercent.toFixed(1)} %`),
          h('td', { class: 'number' }, `${breaker.bufferedCalls} (${breaker.failedCalls} failed)`),
          h('td', { class: 'number' }, breaker.notPermittedCalls)))))),
      h('ul', {}, data.bulkheads.map((bulkhead) => h('li', {},
        `Bulkhead ${bulkhead.name}: ${bulkhead.maxConcurrentCalls - bulkhead.availableConcurrentCalls} of ${bulkhead.maxConcurrentCalls} calls at once in use.`))),
      h('p', { id: 'admission' }, `Order admission: ${admission.pending} orders pending, new ones refused from ${admission.limit}`
        + ` (${admission.adaptive ? `adaptive, at most ${admission.maxPending}` : 'fixed'}).`),
      h('button', { type: 'button', onclick: () => showResilience(section) }, 'Read the breakers again'));
  } catch (error) {
    failed(error);
  }
}
