// The storefront and saga console: one page, routed by the part of the URL after '#', so that the
// gateway serves one file and every view can be bookmarked (a URL never carries the token).

import { newView, session } from './api.js';
import { cart } from './cart.js';
import { catalogue, product, cartPage } from './shop.js';
import { login, register } from './account.js';
import { orderHistory, orderPage } from './orders.js';
import { administration } from './admin.js';
import { h, show } from './dom.js';
import { go, noticeKept, notify } from './ui.js';

const routes = [
  [/^\/?$/, catalogue],
  [/^\/products\/([0-9a-f-]{36})$/, product],
  [/^\/cart$/, cartPage],
  [/^\/login$/, login],
  [/^\/register$/, register],
  [/^\/orders$/, orderHistory],
  [/^\/orders\/([^/]+)$/, orderPage],
  [/^\/admin$/, administration],
];

function refreshNavigation() {
  const signedIn = session.token() !== null;
  document.getElementById('nav-orders').hidden = !signedIn;
  document.getElementById('nav-admin').hidden = !session.isAdmin();
  document.getElementById('nav-login').hidden = signedIn;
  document.getElementById('nav-register').hidden = signedIn;
  document.getElementById('nav-logout').hidden = !signedIn;
  const count = cart.count();
  document.getElementById('nav-cart').textContent = count ? `Cart (${count})` : 'Cart';
}

async function route() {
  newView();
  const path = decodeURIComponent(location.hash.slice(1) || '/').split('?')[0];
  const query = new URLSearchParams(location.hash.split('?')[1] ?? '');
  if (!noticeKept()) notify('');
  if (session.expired()) {
    // the catalogue and the cart need no account; what does leads to the login when it calls the API
    session.end();
    notify('Your session has ended. Log in again to order; your cart is kept.', 'info');
  }
  refreshNavigation();
  for (const [pattern, view] of routes) {
    const match = path.match(pattern);
    if (match) {
      await view(...match.slice(1), query);
      return;
    }
  }
  show(h('h1', {}, 'Not found'), h('p', {}, 'There is no such page in the shop. '), h('a', { href: '#/' }, 'Back to the catalogue'));
}

document.getElementById('nav-logout').addEventListener('click', () => {
  session.end();
  notify('You are logged out. Your cart is kept on this device.', 'info', true);
  go('#/');
});
document.addEventListener('cart-changed', refreshNavigation);
window.addEventListener('hashchange', route);
route();
