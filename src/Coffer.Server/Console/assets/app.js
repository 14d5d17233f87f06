// The console's shell: sign-in, navigation (hash routes), the theme, and the session's end.
import { getSession, onSessionChange, signInWithAccessKey, signInWithPassword, signOut } from './api.js';
import { clear, errorPanel, h } from './dom.js';

const PAGES = {
  parameters: () => import('./parameters.js'),
  secrets: () => import('./secrets.js'),
  keys: () => import('./keys.js'),
  activity: () => import('./activity.js'),
  access: () => import('./access.js'),
  usage: () => import('./usage.js'),
};

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const signOutButton = document.getElementById('signout');
let expiryTimer;
let pageAbort;

function theme(next) {
  const stored = next ?? localStorage.getItem('coffer-theme');
  const dark = stored ? stored === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  document.getElementById('theme').setAttribute('aria-pressed', String(dark));
  if (next) localStorage.setItem('coffer-theme', next); // the theme only; never a credential
}

document.getElementById('theme').addEventListener('click', () => theme(document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark'));
signOutButton.addEventListener('click', async () => {
  await signOut();
  location.hash = '';
});

onSessionChange((s) => {
  clearTimeout(expiryTimer);
  nav.hidden = !s;
  signOutButton.hidden = !s;
  who.textContent = s ? `${s.userName} · ${s.region}` : '';
  if (s) {
    // Expiry ends the session in the page too.
    expiryTimer = setTimeout(() => signOut(), Math.max(0, Date.parse(s.expiration) - Date.now()));
  }

  route();
});

function signInForm() {
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  const region = h('input', { id: 'region', name: 'region', value: 'us-east-1', autocomplete: 'off', required: true });
  const newPassword = h('input', { id: 'new-password', type: 'password', autocomplete: 'new-password' });
  const newRow = h('p', { hidden: true }, h('label', { for: 'new-password' }, 'New password (required before first use)'), newPassword);
  const user = h('input', { id: 'user', name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const keyId = h('input', { id: 'key-id', autocomplete: 'off' });
  const secret = h('input', { id: 'secret-key', type: 'password', autocomplete: 'off' });
  const byPassword = h('form', { class: 'card', 'aria-labelledby': 'pw-title', onsubmit: async (ev) => {
    ev.preventDefault();
    clear(status, 'Signing in…');
    try {
      await signInWithPassword(user.value, password.value, newPassword.value, region.value);
      password.value = '';
    } catch (e) {
      if (e.code === 'PasswordResetRequired') newRow.hidden = false;
      clear(status, errorPanel(e));
    }
  } },
  h('h2', { id: 'pw-title' }, 'IAM user'),
  h('p', {}, h('label', { for: 'user' }, 'User name'), user),
  h('p', {}, h('label', { for: 'password' }, 'Password'), password),
  newRow,
  h('button', { type: 'submit', id: 'signin' }, 'Sign in'));
  const byKey = h('form', { class: 'card', 'aria-labelledby': 'key-title', onsubmit: async (ev) => {
    ev.preventDefault();
    clear(status, 'Signing in…');
    try {
      await signInWithAccessKey(keyId.value.trim(), secret.value.trim(), region.value);
    } catch (e) {
      clear(status, errorPanel(e));
    } finally {
      secret.value = ''; // the long-term secret is dropped: only the session is kept
    }
  } },
  h('h2', { id: 'key-title' }, 'Access key'),
  h('p', { class: 'hint' }, 'The secret key signs one STS GetSessionToken call in this browser and is then forgotten; it is never sent.'),
  h('p', {}, h('label', { for: 'key-id' }, 'Access key ID'), keyId),
  h('p', {}, h('label', { for: 'secret-key' }, 'Secret access key'), secret),
  h('button', { type: 'submit', id: 'signin-key' }, 'Sign in with key'));
  const https = location.protocol === 'https:';
  return h('section', { class: 'signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in to Coffer'),
    h('p', { id: 'connection', class: 'hint' }, https
      ? `Connected over HTTPS to ${location.host}: this browser checked the server's certificate.`
      : `Connected over plain HTTP to ${location.host} (dev mode, loopback only).`),
    h('p', {}, h('label', { for: 'region' }, 'Region'), region),
    h('div', { class: 'cards' }, byPassword, byKey),
    status);
}

async function route() {
  pageAbort?.abort();
  pageAbort = new AbortController();
  if (!getSession()) {
    clear(main, signInForm());
    document.title = 'Sign in · Coffer';
    document.getElementById('user')?.focus();
    return;
  }

  const [name, rawQuery] = (location.hash.replace(/^#\/?/, '') || 'parameters').split('?');
  const load = PAGES[name] || PAGES.parameters;
  for (const a of nav.querySelectorAll('a')) {
    if (a.getAttribute('href') === `#/${name}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }

  const params = new URLSearchParams(rawQuery || '');
  try {
    const page = await load();
    document.title = `${page.title} · Coffer`;
    clear(main, h('h1', {}, page.title));
    await page.render(main, params, pageAbort.signal);
  } catch (e) {
    main.append(errorPanel(e));
  }
}

// "/" focuses the page's search box, as in most consoles.
document.addEventListener('keydown', (ev) => {
  if (ev.key === '/' && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement?.tagName)) {
    const search = main.querySelector('input[type=search]');
    if (search) {
      ev.preventDefault();
      search.focus();
    }
  }
});

window.addEventListener('hashchange', route);
theme();
route();
