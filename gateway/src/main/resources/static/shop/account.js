// Registering, logging in (and so out: see app.js). A new account is logged in right away.

import { api, session } from './api.js';
import { field, h, show } from './dom.js';
import { failed, go, notify } from './ui.js';

/** Where to go after logging in: the view that needed it, or the catalogue. */
function afterLogin() {
  const back = sessionStorage.getItem('emporium.after-login');
  sessionStorage.removeItem('emporium.after-login');
  go(`#${back && back !== '/login' && back !== '/register' ? back : '/'}`);
}

async function logIn(email, password) {
  const { data } = await api('POST', '/api/users/login', { body: { email, password } });
  session.start(data.accessToken);
}

function form(title, fields, submitLabel, submit, footer) {
  const button = h('button', { type: 'submit', class: 'primary' }, submitLabel);
  const element = h('form', {
    class: 'account',
    onsubmit: async (event) => {
      event.preventDefault();
      if (button.disabled) return;
      button.disabled = true;
      try {
        await submit();
      } catch (error) {
        failed(error);
      } finally {
        button.disabled = false;
      }
    },
  }, fields, button);
  show(h('h1', {}, title), element, footer);
  element.querySelector('input').focus();
}

export function login() {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true, maxlength: 320 });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true, maxlength: 128 });
  form('Log in', [field('Email', email), field('Password', password)], 'Log in', async () => {
    await logIn(email.value.trim(), password.value);
    notify('You are logged in.', 'info', true);
    afterLogin();
  }, h('p', {}, 'No account yet? ', h('a', { href: '#/register' }, 'Register')));
}

export function register() {
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'name', required: true, maxlength: 200 });
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true, maxlength: 320 });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: 12, maxlength: 128 });
  form('Register', [field('Name', name), field('Email', email), field('Password', password, '12 to 128 characters')], 'Register', async () => {
    await api('POST', '/api/users/register', { body: { name: name.value.trim(), email: email.value.trim(), password: password.value } });
    await logIn(email.value.trim(), password.value);
    notify('Welcome! Your account is ready, with store credit to shop with.', 'info', true);
    afterLogin();
  }, h('p', {}, 'Have an account? ', h('a', { href: '#/login' }, 'Log in')));
}
