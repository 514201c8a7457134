// Wires the page to the chat connection. No framework, no build step, nothing from elsewhere.
import { Chat } from './connection.js';
import { Timeline, Users } from './view.js';

const $ = id => document.getElementById(id);
const timeline = new Timeline($('log'));
const text = $('text');
const users = new Users($('users'), name => {
  text.value = `/msg ${name} `; // in the box, where it shows: the next line is a DM to name
  text.focus();
});

// The commands are the console client's (client/.../InputTranslator.java): the same names, the same
// meanings and the same words for a mistake, so one habit works in both. A line starting with "/"
// that is none of them is explained here and never sent as a message.
const HELP = [
  'plain text: a message to everyone',
  '/msg <name> <text>: a direct message (also /dm; clicking a name starts one)',
  '/list: who is online (also /who)',
  '/history [n]: the last n messages (default 20)',
  '/quit: leave (also /exit)',
  '//text: a message that starts with /',
].join('\n');

const NAME = /^[A-Za-z0-9_-]{1,32}$/;

/** `line` cut at its first `n - 1` single spaces (as Java's split(" ", n)): words, then the rest. */
function splitWords(line, n) {
  const parts = [];
  let rest = line;
  while (parts.length < n - 1) {
    const space = rest.indexOf(' ');
    if (space < 0) break;
    parts.push(rest.slice(0, space));
    rest = rest.slice(space + 1);
  }
  parts.push(rest);
  return parts;
}

const refused = why => ({ refused: 'not sent: ' + why });

/**
 * What a typed line asks for: { pm: text }, { dm: name, text }, { list: true },
 * { history: n or undefined }, { quit: true }, { help: text } or { refused: why }.
 */
function translate(line) {
  if (line.startsWith('//')) return { pm: line.slice(1) };
  if (!line.startsWith('/')) return { pm: line };
  const parts = splitWords(line, 3);
  const word = parts[0];
  switch (word) {
    case '/msg':
    case '/dm':
      if (parts.length < 3 || !parts[2]) return refused(`usage: ${word} <name> <text>`);
      if (!NAME.test(parts[1])) return refused(`'${parts[1]}' is not a user name`);
      return { dm: parts[1], text: parts[2] };
    case '/list':
    case '/who':
      return { list: true };
    case '/history': {
      const count = line.slice(word.length).trim();
      if (!count) return { history: undefined };
      if (/^\d{1,4}$/.test(count) && Number(count) >= 1) return { history: Number(count) };
      return refused('usage: /history [n], n a number from 1 to 1000');
    }
    case '/quit':
    case '/exit':
      return { quit: true };
    case '/help':
      return { help: HELP };
    default:
      return refused(`unknown command ${word} - /help lists the commands`);
  }
}

function showSignIn() {
  $('signin-form').hidden = false;
  $('chat').hidden = true;
}

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
    showSignIn();
  },
  left() {
    document.title = 'parley';
    showSignIn();
    $('signin').focus();
  },
  message: m => timeline.message(m),
  notice: (message, kind) => timeline.notice(message, kind),
  forgetSeqs: () => timeline.forgetSeqs(),
  users(names, asked) {
    users.set(names);
    if (asked) timeline.notice(`online (${names.length}): ${users.sorted().join(', ')}`);
  },
  history(count) {
    timeline.notice(`history: ${count} ${count === 1 ? 'message' : 'messages'}, each in its place above`);
  },
  joined(name) {
    users.add(name);
    timeline.notice(`${name} joined`);
  },
  userLeft(name, reason) {
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
  const asked = translate(line);
  if (asked.refused) {
    timeline.notice(asked.refused, 'error');
    text.select(); // kept to be corrected; typing replaces it, nothing is added to it
    return;
  }
  if (asked.help) {
    timeline.notice(asked.help, 'help');
    text.value = '';
    return;
  }
  let sent;
  if (asked.quit) {
    sent = chat.leave();
  } else if (asked.list) {
    sent = chat.listUsers();
  } else if ('history' in asked) {
    sent = chat.history(asked.history);
  } else if (asked.dm) {
    sent = chat.directMessage(asked.dm, asked.text);
  } else {
    sent = chat.publicMessage(asked.pm);
  }
  if (sent) {
    text.value = ''; // every line is its own: a DM never makes the next line a DM
  } else {
    timeline.notice('not connected: the message was not sent', 'error');
  }
});
