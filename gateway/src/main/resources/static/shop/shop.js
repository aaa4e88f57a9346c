// What a shopper sees before ordering: the catalogue (search, category, sort, pages), a product's
// page, and the cart with its checkout.

import { api } from './api.js';
import { cart } from './cart.js';
import { failed, notify } from './ui.js';
import { field, h, money, scrolling, show } from './dom.js';

const PAGE_SIZE = 12;
const SORTS = [
  ['name', 'Name, A to Z'],
  ['name,desc', 'Name, Z to A'],
  ['price', 'Price, lowest first'],
  ['price,desc', 'Price, highest first'],
  ['category', 'Category'],
];

function availability(available) {
  if (available <= 0) return h('span', { class: 'stock out' }, 'Out of stock');
  if (available < 10) return h('span', { class: 'stock low' }, `Only ${available} left`);
  return h('span', { class: 'stock' }, `In stock (${available})`);
}

function addButton(item, quantityInput) {
  return h('button', {
    type: 'button',
    class: 'add',
    disabled: item.available <= 0,
    // the visible words first, so that what a speech user says ("click Add to cart") names the button (WCAG 2.5.3)
    'aria-label': `Add to cart: ${item.name}`,
    onclick: () => {
      const quantity = quantityInput ? Number.parseInt(quantityInput.value, 10) : 1;
      if (!Number.isInteger(quantity) || quantity < 1 || quantity > 1000) {
        notify('Choose a quantity from 1 to 1000.');
        return;
      }
      cart.add(item, quantity);
      notify(`${quantity} × ${item.name} added to the cart.`, 'info');
    },
  }, 'Add to cart');
}

export async function catalogue(query) {
  const q = query.get('q') ?? '';
  const category = query.get('category') ?? '';
  const sort = query.get('sort') ?? 'name';
  const page = Math.max(0, Number.parseInt(query.get('page') ?? '0', 10) || 0);

  const search = h('input', { type: 'search', name: 'q', value: q, maxlength: 100, placeholder: 'mug, tea, …' });
  const categoryInput = h('input', { type: 'text', name: 'category', value: category, maxlength: 100 });
  const sortSelect = h('select', { name: 'sort' },
    SORTS.map(([value, label]) => h('option', { value, selected: value === sort }, label)));
  const form = h('form', {
    class: 'filters',
    role: 'search',
    onsubmit: (event) => {
      event.preventDefault();
      location.hash = `#/?${new URLSearchParams({ q: search.value.trim(), category: categoryInput.value.trim(), sort: sortSelect.value, page: 0 })}`;
    },
  }, field('Search', search), field('Category', categoryInput), field('Sort by', sortSelect), h('button', { type: 'submit' }, 'Search'));

  show(h('h1', {}, 'Catalogue'), form, h('p', { class: 'loading' }, 'Loading the catalogue…'));
  const params = new URLSearchParams({ page, size: PAGE_SIZE, sort });
  if (q) params.set('q', q);
  if (category) params.set('category', category);
  try {
    const { data } = await api('GET', `/api/products?${params}`);
    const cards = data.content.map((item) => h('li', { class: 'card' },
      h('h2', {}, h('a', { href: `#/products/${item.id}` }, item.name)),
      h('p', { class: 'category' }, item.category ?? ''),
      h('p', { class: 'price' }, money(item.price.amount, item.price.currency)),
      availability(item.available),
      addButton(item)));
    const { number, totalPages, totalElements } = data.page;
    const link = (to, label) => h('a', { href: `#/?${new URLSearchParams({ q, category, sort, page: to })}` }, label);
    show(h('h1', {}, 'Catalogue'), form,
      totalElements === 0
        ? h('p', {}, q || category ? 'Nothing matches this search.' : 'The catalogue is empty.')
        : h('ul', { class: 'cards', 'aria-label': 'Products' }, cards),
      h('nav', { class: 'pages', 'aria-label': 'Pages' },
        number > 0 ? link(number - 1, '← Previous') : null,
        h('span', {}, totalPages ? `Page ${number + 1} of ${totalPages} (${totalElements} products)` : ''),
        number + 1 < totalPages ? link(number + 1, 'Next →') : null));
  } catch (error) {
    failed(error);
  }
}

export async function product(id) {
  show(h('p', { class: 'loading' }, 'Loading the product…'));
  try {
    const { data: item } = await api('GET', `/api/products/${id}`);
    const quantity = h('input', { type: 'number', min: 1, max: 1000, value: 1, name: 'quantity' });
    show(h('p', {}, h('a', { href: '#/' }, '← Catalogue')),
      h('article', { class: 'product' },
        h('h1', {}, item.name),
        h('p', { class: 'price' }, money(item.price.amount, item.price.currency)),
        availability(item.available),
        h('p', {}, item.description ?? ''),
        h('dl', {}, h('dt', {}, 'Category'), h('dd', {}, item.category ?? '–'), h('dt', {}, 'SKU'), h('dd', {}, item.sku)),
        h('div', { class: 'buy' }, field('Quantity', quantity), addButton(item, quantity))));
  } catch (error) {
    if (error.status === 404) show(h('h1', {}, 'Not found'), h('p', {}, 'This product is not in the catalogue.'), h('a', { href: '#/' }, 'Back to the catalogue'));
    else failed(error);
  }
}

/**
 * The cart as kept, at once; then each product is asked for again, and the cart is drawn anew if a
 * price changed since it was added or a product left the catalogue, saying which: the total it shows
 * is the catalogue's, as the order will be.
 */
export async function cartPage() {
  const lines = cart.lines();
  if (lines.length === 0) {
    show(h('h1', {}, 'Cart'), h('p', {}, 'Your cart is empty. '), h('a', { href: '#/' }, 'Browse the catalogue'));
    return;
  }
  drawCart(lines, { sentences: [], gone: new Set() });
  const changes = await catalogueChanges(lines);
  if (changes.sentences.length > 0 && location.hash === '#/cart') drawCart(cart.lines(), changes);
}

/**
 * What changed in the catalogue since each line was added: one sentence each, and the products it no
 * longer has. The cart takes the new prices.
 */
async function catalogueChanges(lines) {
  const gone = new Set();
  const sentences = await Promise.all(lines.map(async (line) => {
    try {
      const { data: item } = await api('GET', `/api/products/${line.productId}`);
      if (item.price.amount === line.price.amount && item.price.currency === line.price.currency) return null;
      cart.reprice(line.productId, item.price);
      return `The price of ${item.name} is now ${money(item.price.amount, item.price.currency)}, `
        + `not ${money(line.price.amount, line.price.currency)} as when you added it.`;
    } catch (error) {
      // any other failure leaves the price as it was kept: the order is priced by the catalogue all the same
      if (error.status !== 404) return null;
      gone.add(line.productId);
      return `${line.name} is no longer in the catalogue: remove it to place the order.`;
    }
  }));
  return { sentences: sentences.filter(Boolean), gone };
}

/** The cart's lines; a product the catalogue no longer has shows no price and counts for nothing in the total. */
function drawCart(lines, changes) {
  const currency = lines[0].price.currency;
  const total = lines.filter((line) => !changes.gone.has(line.productId))
    .reduce((sum, line) => sum + line.price.amount * line.quantity, 0);
  const rows = lines.map((line) => {
    const quantity = h('input', {
      type: 'number', min: 0, max: 1000, value: line.quantity, 'aria-label': `Quantity of ${line.name}`,
      onchange: (event) => {
        const n = Number.parseInt(event.target.value, 10);
        if (!Number.isInteger(n) || n < 0 || n > 1000) {
          notify('Choose a quantity from 0 (to remove it) to 1000.');
          return;
        }
        cart.setQuantity(line.productId, n);
        cartPage();
      },
    });
    return h('tr', {},
      h('td', {}, h('a', { href: `#/products/${line.productId}` }, line.name)),
      h('td', { class: 'number' }, changes.gone.has(line.productId) ? '–' : money(line.price.amount, line.price.currency)),
      h('td', {}, quantity),
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => { cart.setQuantity(line.productId, 0); cartPage(); } },
        `Remove ${line.name}`)));
  });
  const place = h('button', { type: 'button', id: 'place-order', class: 'primary' }, 'Place order');
  place.addEventListener('click', () => checkout(place));
  show(h('h1', {}, 'Cart'),
    changes.sentences.length > 0
      ? h('div', { role: 'status' }, h('ul', { class: 'changes' }, changes.sentences.map((sentence) => h('li', {}, sentence))))
      : null,
    scrolling('The cart\'s lines', h('table', { class: 'cart' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Product'), h('th', { scope: 'col' }, 'Price'),
        h('th', { scope: 'col' }, 'Quantity'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Remove')))),
      h('tbody', {}, rows))),
    h('p', { class: 'total' }, `Total at today's prices: ${money(total, currency)}`),
    h('p', { class: 'hint' }, 'The order is priced by the catalogue when you place it; stock and credit are reserved next.'),
    place);
}

/**
 * Places the cart's order with the cart's Idempotency-Key. The button is off while the request is
 * under way; should a second request go out all the same (a retry, another tab), the key makes the
 * platform answer it with the same order.
 */
async function checkout(button) {
  if (button.disabled) return;
  button.disabled = true;
  button.textContent = 'Placing the order…';
  const lines = cart.lines().map((line) => ({ productId: line.productId, quantity: line.quantity }));
  try {
    const { data: order } = await api('POST', '/api/orders', { auth: true, headers: { 'Idempotency-Key': cart.key() }, body: { lines } });
    cart.clear();
    location.hash = `#/orders/${order.id}`;
  } catch (error) {
    button.disabled = false;
    button.textContent = 'Place order';
    failed(error);
  }
}
