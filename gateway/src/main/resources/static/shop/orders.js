// The shopper's orders: the history, and one order's page, where the status turns from PENDING to
// its decision live (GET /api/orders/{id}?wait=20, again and again) and the saga console draws the
// saga's timeline as it runs: stock and credit side by side, the order's own steps beside them.

import { api } from './api.js';
import { h, money, scrolling, show, when } from './dom.js';
import { failed, notify } from './ui.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WAIT_SECONDS = 20;
/** After the decision the saga may still send compensations; the timeline is read for this long more. */
const FOLLOW_AFTER_DECISION_MS = 5000;
const LANES = [
  ['RESERVE_STOCK', 'Stock', 'inventory-service'],
  ['RESERVE_CREDIT', 'Credit', 'user-service'],
  ['ORDER', 'Order', 'order-service'],
];
const STATUS_WORDS = {
  PENDING: 'Pending: stock and credit are being reserved…',
  CONFIRMED: 'Confirmed: paid for, and it will ship.',
  REJECTED: 'Rejected: nothing was charged.',
  CANCELLED: 'Cancelled: what it held has been given back.',
};

let config;
const names = new Map();

/** A product's name for an order line: shown as its id until the catalogue has answered. */
function productName(productId) {
  const label = h('span', {}, names.get(productId) ?? productId);
  if (!names.has(productId)) {
    api('GET', `/api/products/${productId}`)
      .then(({ data }) => { names.set(productId, data.name); label.textContent = data.name; })
      .catch(() => { /* the id stays: the product may have left the catalogue */ });
  }
  return label;
}

/** The page's settings from the gateway: where an order's trace can be seen. */
async function settings() {
  if (!config) {
    try {
      config = (await api('GET', '/shop/config.json')).data;
    } catch (error) {
      if (error.dropped) throw error;
      return {}; // no link this time; asked again on the next order's page
    }
  }
  return config;
}

function notFound() {
  show(h('h1', {}, 'Order not found'),
    h('p', {}, 'There is no order with this address among your orders.'),
    h('a', { href: '#/orders' }, 'Your orders'));
}

export async function orderHistory(query) {
  const page = Math.max(0, Number.parseInt(query.get('page') ?? '0', 10) || 0);
  show(h('h1', {}, 'Your orders'), h('p', { class: 'loading' }, 'Loading your orders…'));
  try {
    const { data } = await api('GET', `/api/orders?page=${page}&size=20&sort=placedAt,desc`, { auth: true });
    const rows = data.content.map((order) => h('tr', {},
      h('td', {}, h('a', { href: `#/orders/${order.id}` }, when(order.placedAt))),
      h('td', {}, h('span', { class: `status ${order.status.toLowerCase()}` }, order.status)),
      h('td', { class: 'number' }, money(order.total.amount, order.total.currency)),
      h('td', {}, order.lines.reduce((sum, line) => sum + line.quantity, 0))));
    const { number, totalPages } = data.page;
    show(h('h1', {}, 'Your orders'),
      rows.length === 0
        ? h('p', {}, 'No orders yet. ', h('a', { href: '#/' }, 'Browse the catalogue'))
        : scrolling('Your orders', h('table', { class: 'orders' },
          h('thead', {}, h('tr', {}, ['Placed', 'Status', 'Total', 'Items'].map((title) => h('th', { scope: 'col' }, title)))),
          h('tbody', {}, rows))),
      h('nav', { class: 'pages', 'aria-label': 'Pages' },
        number > 0 ? h('a', { href: `#/orders?page=${number - 1}` }, '← Newer') : null,
        totalPages > 1 ? h('span', {}, `Page ${number + 1} of ${totalPages}`) : null,
        number + 1 < totalPages ? h('a', { href: `#/orders?page=${number + 1}` }, 'Older →') : null));
  } catch (error) {
    failed(error);
  }
}

/** One order, followed live while its view is shown. */
export async function orderPage(id) {
  if (!UUID.test(id)) {
    notFound();
    return;
  }
  const view = location.hash;
  const shown = () => location.hash === view;
  const status = h('p', { id: 'order-status', class: 'status-line', 'aria-live': 'polite', tabindex: -1 });
  const reason = h('p', { id: 'order-reason', class: 'reason', hidden: true });
  const lines = h('tbody');
  const total = h('p', { class: 'total' });
  const cancel = h('button', { type: 'button', id: 'cancel-order', hidden: true }, 'Cancel the order');
  const sagaConsole = h('section', { class: 'saga', 'aria-labelledby': 'saga-title' },
    h('h2', { id: 'saga-title' }, 'The saga, step by step'),
    h('p', { class: 'hint' }, 'order-service sends ReserveStock and ReserveCredit at once; the order is confirmed when both are reserved,'
      + ' and whatever was reserved is released when either is refused or does not answer.'),
    // the region stays while the timeline in it is drawn again each second, so that it keeps the focus
    scrolling('The saga\'s timeline, step by step', h('div', { id: 'saga-timeline' })));
  const trace = h('p', { id: 'trace-link' });

  let order;
  let decidedAt = 0;

  const render = (current) => {
    order = current;
    status.replaceChildren(h('span', { class: `status ${order.status.toLowerCase()}` }, order.status), ' ', STATUS_WORDS[order.status]);
    reason.hidden = !order.reason;
    reason.textContent = order.reason ? `Why: ${order.reason}` : '';
    lines.replaceChildren(...order.lines.map((line) => h('tr', {},
      h('td', {}, h('a', { href: `#/products/${line.productId}` }, productName(line.productId))),
      h('td', { class: 'number' }, line.quantity),
      h('td', { class: 'number' }, money(line.unitPrice, order.total.currency)))));
    total.textContent = `Total: ${money(order.total.amount, order.total.currency)}`;
    cancel.hidden = !(order.status === 'PENDING' || order.status === 'CONFIRMED');
    if (order.status !== 'PENDING' && !decidedAt) decidedAt = Date.now();
  };

  try {
    render((await api('GET', `/api/orders/${id}`, { auth: true })).data);
  } catch (error) {
    if (error.status === 404 || error.status === 400) notFound();
    else failed(error);
    return;
  }

  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    try {
      render((await api('POST', `/api/orders/${id}/cancel`, { auth: true })).data);
      notify('The order is cancelled. Its reservations are being released.', 'info');
      // the button went with what it did: the focus goes to the order's status, which says so, not to the page's start
      if (cancel.hidden) status.focus();
    } catch (error) {
      failed(error);
    } finally {
      cancel.disabled = false;
    }
  });

  show(h('p', {}, h('a', { href: '#/orders' }, '← Your orders')),
    h('h1', {}, 'Order ', h('code', {}, id)),
    h('p', {}, `Placed ${when(order.placedAt)}`),
    status, reason,
    scrolling('The order\'s lines', h('table', { class: 'lines' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Product'), h('th', { scope: 'col' }, 'Quantity'), h('th', { scope: 'col' }, 'Unit price'))),
      lines)),
    total, cancel, sagaConsole, trace);

  let traceLink;
  try {
    ({ traceLink } = await settings());
  } catch {
    return; // the view was left
  }
  trace.replaceChildren(traceLink
    ? h('a', { href: traceLink.replaceAll('{orderId}', id), target: '_blank', rel: 'noopener' }, 'This order\'s trace, across every service')
    : 'Traces go to the OTLP endpoint the platform was given; search it for order.id = ' + id + '.');

  // The decision: one long poll after another while the order is PENDING and the view is shown.
  (async () => {
    while (shown() && order.status === 'PENDING') {
      try {
        render((await api('GET', `/api/orders/${id}?wait=${WAIT_SECONDS}`, { auth: true })).data);
      } catch (error) {
        if (shown()) failed(error);
        return;
      }
    }
  })();

  // The timeline: read every second until a few seconds after the decision.
  while (shown()) {
    try {
      const { data: entries } = await api('GET', `/api/orders/${id}/timeline`, { auth: true });
      drawTimeline(document.getElementById('saga-timeline'), entries);
    } catch (error) {
      if (shown()) failed(error);
      return;
    }
    if (decidedAt && Date.now() - decidedAt > FOLLOW_AFTER_DECISION_MS) return;
    await new Promise((resolve) => { setTimeout(resolve, 1000); });
  }
}

/** What kind of thing an entry is, for its colour: a command sent, a reply, a compensation, a retry, the decision. */
function kind(entry) {
  const event = entry.event.toLowerCase();
  if (event.includes('release') || event.includes('compensat')) return 'compensation';
  if (event.includes('sending again')) return 'retry';
  if (entry.step === 'ORDER') return 'decision';
  if (event.startsWith('sent')) return 'command';
  if (event.startsWith('received')) return 'reply';
  return 'other';
}

/**
 * The timeline as a grid: one column per step (stock and credit side by side, then the order's own),
 * one row per entry in the order they happened, each with the time since the saga began.
 */
function drawTimeline(target, entries) {
  if (!target) return;
  if (entries.length === 0) {
    target.replaceChildren(h('p', {}, 'Nothing yet.'));
    return;
  }
  const start = new Date(entries[0].at).getTime();
  const header = h('tr', {}, h('th', { scope: 'col' }, 'Time'),
    LANES.map(([, title, service]) => h('th', { scope: 'col' }, title, h('small', {}, ` ${service}`))));
  const rows = entries.map((entry) => h('tr', { class: 'entry' },
    h('td', { class: 'number' }, `+${new Date(entry.at).getTime() - start} ms`),
    LANES.map(([step]) => h('td', {}, step === entry.step
      ? h('span', { class: `event ${kind(entry)}`, 'data-step': entry.step }, entry.event)
      : null))));
  target.replaceChildren(h('table', { class: 'timeline', 'aria-label': 'The saga\'s timeline' }, h('thead', {}, header), h('tbody', {}, rows)));
}
