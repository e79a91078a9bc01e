// The login view: username and password, with the server's error shown next to the form.
import { el } from './dom.js';

export function showLogin(root, onLoggedIn) {
  const error = el('p', { class: 'form-error', role: 'alert', id: 'login-error' });
  const username = el('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const password = el('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const button = el('button', { type: 'submit' }, 'Log in');
  const form = el('form', { class: 'login', 'aria-describedby': 'login-error' },
    el('h1', {}, 'Lantern'),
    el('p', { class: 'subtitle' }, 'Operator console'),
    el('label', { for: 'username' }, 'Username'), username,
    el('label', { for: 'password' }, 'Password'), password,
    button, error);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    error.textContent = '';
    try {
      const response = await fetch('/api/v1/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ username: username.value.trim(), password: password.value }),
      });
      if (response.ok) {
        onLoggedIn();
        return;
      }
      const body = await response.json().catch(() => ({}));
      error.textContent = body.error || `Login failed (${response.status})`;
    } catch {
      error.textContent = 'The server cannot be reached. Check the network and try again.';
    }
    button.disabled = false;
    password.select();
  });

  root.replaceChildren(form);
  username.focus();
}
