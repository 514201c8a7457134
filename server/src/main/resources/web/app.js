// Wires the page to the chat connection. No framework, no build step, nothing from elsewhere.
import { Chat } from './connection.js';
import { Timeline, Users } from './view.js';

const $ = id => document.getElementById(id);
const timeline = new Timeline($('log'));
const text = $('text');
const users = new Users($('users'), name => {
  text.value = `/msg ${name} `;
  text.focus();
});

const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
const chat = new Chat(`${scheme}//${location.host}/ws`, {
  status(message, kind) {
    const status = $('status');
    status.textContent = message;
    status.className = kind;
  },
  askPassword(kind) {
    $('password').hidden = false;
    $('password-label').hidden = false;
    $('password-label').textContent = kind === 'NEW' ? 'New password for this name' : 'Password';
    $('password').autocomplete = kind === 'NEW' ? 'new-password' : 'current-password';
    $('password').focus();
  },
  signedIn(name) {
    $('signin-error').textContent = '';
    $('signin-form').hidden = true;
    $('chat').hidden = false;
    document.title = `parley: ${name}`;
    text.focus();
  },
  signInFailed(reason) {
    $('signin-error').textContent = reason;
    $('signin-form').hidden = false;
    $('chat').hidden = true;
  },
  message: m => timeline.message(m),
  notice: (message, kind) => timeline.notice(message, kind),
  forgetSeqs: () => timeline.forgetSeqs(),
  users: names => users.set(names),
  joined(name) {
    users.add(name);
    timeline.notice(`${name} joined`);
  },
  left(name, reason) {
    users.remove(name);
    timeline.notice(reason ? `${name} left (${reason})` : `${name} left`);
  },
});

$('signin-form').addEventListener('submit', event => {
  event.preventDefault();
  const name = $('name').value.trim();
  if (!name) return;
  const password = $('password').hidden ? undefined : $('password').value;
  chat.signIn(name, password);
});

$('send-form').addEventListener('submit', event => {
  event.preventDefault();
  const line = text.value;
  if (!line.trim()) return;
  const dm = /^\/msg\s+(\S+)\s+([\s\S]+)$/.exec(line);
  const history = /^\/history(?:\s+(\d+))?\s*$/.exec(line);
  let sent;
  if (dm) {
    sent = chat.directMessage(dm[1], dm[2]);
  } else if (history) {
    sent = chat.history(history[1] || 20);
  } else if (line.startsWith('/msg')) {
    timeline.notice('usage: /msg <name> <text>', 'error');
    return;
  } else {
    sent = chat.publicMessage(line);
  }
  if (sent) {
    text.value = dm ? `/msg ${dm[1]} ` : '';
  } else {
    timeline.notice('not connected: the message was not sent', 'error');
  }
});
