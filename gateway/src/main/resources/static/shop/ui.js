// What every view shares: the notice at the top of the page, moving to another view, and what a
// failed call leads to.

import { session } from './api.js';

let keepNotice = false;

/**
 * Shows a sentence at the top of the page (errors, and what just happened). It goes with the next
 * view, unless {@code keep}: then it stays for the view that follows, e.g. the login a 401 leads to.
 */
export function notify(message, kind = 'error', keep = false) {
  const notice = document.getElementById('notice');
  notice.textContent = message;
  notice.className = kind;
  notice.hidden = !message;
  keepNotice = keep;
}

/** Where a view goes to when the session has ended: the login, which comes back here afterwards. */
export function needLogin(message) {
  session.end();
  const back = location.hash.slice(1) || '/';
  if (back !== '/login') sessionStorage.setItem('emporium.after-login', back);
  notify(message ?? 'Your session has ended. Please log in again; your cart is kept.', 'error', true);
  go('#/login');
}

/** Shows the view of {@code hash}, also when it is the one shown now (then no hashchange comes). */
export function go(hash) {
  if (location.hash === hash || (hash === '#/' && location.hash === '')) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

/** What every view does with a failed call: a 401 leads to the login, anything else is said at the top. */
export function failed(error) {
  if (error.dropped) return; // its view was left: nothing to say
  if (error.status === 401) needLogin(error.message);
  else notify(error.message);
}

/** Whether the notice stays for the view being shown now (and from then on, not). */
export function noticeKept() {
  const kept = keepNotice;
  keepNotice = false;
  return kept;
}
