// Entry point: shows the login form, or the live console once logged in.
import { showLogin } from './login.js';
import { showConsole } from './console_view.js';

const root = document.getElementById('app');

async function start() {
  const me = await fetch('/api/v1/me', { credentials: 'same-origin' });
  if (me.ok) {
    showConsole(root, await me.json(), start);
  } else {
    showLogin(root, start);
  }
}

start();
