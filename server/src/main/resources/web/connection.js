// The chat connection: one protocol line per WebSocket text message. Signs in (again after each
// reconnect), resumes by seq, and reconnects with a growing, jittered delay.

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 15000;

function parseMessage(line) {
  // D PM <seq> <time> <from> <text> | D DM <seq> <time> <from> <to> <text>
  const dm = line.startsWith('D DM ');
  const parts = line.split(' ');
  const fixed = dm ? 6 : 5;
  if (parts.length < fixed) return null;
  const text = parts.slice(fixed).join(' ');
  return {
    seq: Number(parts[2]),
    time: parts[3],
    from: parts[4],
    to: dm ? parts[5] : null,
    text,
  };
}

export class Chat {
  /** `ui` gets: status(text, kind), askPassword(kind), signedIn(name), signInFailed(text), left(),
   *  message(m), notice(text, kind), users(names, asked), history(count), joined(name),
   *  userLeft(name, reason), forgetSeqs(). */
  constructor(url, ui) {
    this.url = url;
    this.ui = ui;
    this.name = null;
    this.password = null;
    this.signedIn = false;
    this.lastSeq = 0;
    this.epoch = null;
    this.pending = []; // own messages sent, waiting for their C SENT: {to, text}
    this.delay = FIRST_DELAY_MS;
    this.everSignedIn = false;
    this.leaving = false;
    this.forgetQuestions();
  }

  /** The user's questions waiting for their answer, in order (answers come in the order asked). */
  forgetQuestions() {
    this.listsAsked = 0; // C LIST from /list: its C USERS is shown, not only put in the list
    this.historyAsked = []; // per C CH sent: true when the user asked (/history), false on resume
  }

  signIn(name, password) {
    this.name = name;
    this.leaving = false;
    if (password !== undefined) this.password = password;
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      if (password !== undefined && this.awaitingPassword) {
        this.awaitingPassword = false;
        this.send('C PASS ' + password);
      } else {
        this.send('C NICK ' + name);
      }
    } else {
      this.connect();
    }
  }

  connect() {
    clearTimeout(this.retryTimer);
    this.ui.status('connecting…', 'connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onmessage = event => this.onLine(String(event.data));
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.signedIn = false;
      this.pending = [];
      this.forgetQuestions();
      if (this.leaving) {
        this.ended();
        return;
      }
      if (!this.name || !this.everSignedIn) {
        this.ui.status('not connected', 'offline');
        return;
      }
      const wait = Math.round(this.delay * (0.75 + Math.random() / 2));
      this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
      this.ui.status(`offline; trying again in ${Math.ceil(wait / 1000)} s`, 'offline');
      this.retryTimer = setTimeout(() => this.connect(), wait);
    };
  }

  send(line) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(line);
      return true;
    }
    return false;
  }

  publicMessage(text) {
    if (!this.signedIn) return false;
    this.pending.push({ to: null, text });
    return this.send('C PM') && this.send('D ' + text);
  }

  directMessage(to, text) {
    if (!this.signedIn) return false;
    this.pending.push({ to, text });
    return this.send('C DM') && this.send('C ' + to) && this.send('D ' + text);
  }

  /** The last n messages (the server's default without n); the answer is told to `ui.history`. */
  history(n) {
    if (!this.signedIn || !this.send(n === undefined ? 'C CH' : 'C CH ' + n)) return false;
    this.historyAsked.push(true);
    return true;
  }

  listUsers() {
    if (!this.signedIn || !this.send('C LIST')) return false;
    this.listsAsked++;
    return true;
  }

  /** Leaves for good (no reconnect): says C EX when connected; the close ends it. */
  leave() {
    this.leaving = true;
    clearTimeout(this.retryTimer);
    if (!this.send('C EX')) {
      // Not connected (waiting to retry, or still connecting): no goodbye to say, no sign-in to come.
      const socket = this.socket;
      this.socket = null;
      if (socket) socket.close();
      this.ended();
    }
    return true;
  }

  ended() {
    this.signedIn = false;
    this.ui.status('left the chat', 'offline');
    this.ui.left();
  }

  onLine(line) {
    if (line.startsWith('D ')) {
      const m = parseMessage(line);
      if (m) {
        m.own = m.from === this.name;
        this.lastSeq = Math.max(this.lastSeq, m.seq);
        this.ui.message(m);
      }
      return;
    }
    const words = line.split(' ');
    const rest = n => words.slice(n).join(' ');
    switch (words[1]) {
      case 'HELLO':
        if (this.name) this.send('C NICK ' + this.name);
        break;
      case 'PASSWORD':
        if (this.password !== null && this.everSignedIn) {
          this.send('C PASS ' + this.password);
        } else {
          this.awaitingPassword = true;
          this.ui.askPassword(words[2]);
        }
        break;
      case 'READY':
        this.name = words[2];
        this.signedIn = true;
        this.everSignedIn = true;
        this.delay = FIRST_DELAY_MS;
        this.ui.status('online as ' + this.name, 'online');
        this.ui.signedIn(this.name);
        // Where history stands, then everything missed while away, then who is here.
        this.send('C SEQ');
        this.send('C LIST');
        break;
      case 'RETRY':
        this.awaitingPassword = false;
        this.ui.signInFailed(rest(3) || rest(2));
        break;
      case 'SEQ': {
        const epoch = words[2];
        if (this.epoch !== null && this.epoch !== epoch) {
          this.ui.forgetSeqs(); // history started over: old seqs mean nothing now
          this.lastSeq = 0;
        }
        this.epoch = epoch;
        if (this.lastSeq > 0 && this.send('C CH SINCE ' + this.lastSeq)) this.historyAsked.push(false);
        break;
      }
      case 'SENT': {
        // C SENT PM <seq> <n> | C SENT DM <seq> <name>
        const own = this.pending.shift();
        if (own) {
          const seq = Number(words[3]);
          this.lastSeq = Math.max(this.lastSeq, seq);
          this.ui.message({ seq, time: new Date().toISOString(), from: this.name,
            to: own.to, text: own.text, own: true });
        }
        break;
      }
      case 'USERS': {
        const asked = this.listsAsked > 0; // a DM's C USERS may answer first: the same news
        if (asked) this.listsAsked--;
        this.ui.users(words.slice(3), asked);
        break;
      }
      case 'HISTORY':
        if (this.historyAsked.shift()) this.ui.history(Number(words[2]));
        break;
      case 'JOIN':
        this.ui.joined(words[2]);
        break;
      case 'LEAVE':
        this.ui.userLeft(words[2], rest(3));
        break;
      case 'PING':
        this.send(words.length > 2 ? 'C PONG ' + rest(2) : 'C PONG');
        break;
      case 'ERR':
        if (this.signedIn) {
          this.pending.shift(); // a refused line ends the PM or DM that was in progress
          this.ui.notice('error ' + rest(2), 'error');
        } else {
          this.ui.signInFailed(rest(2));
        }
        break;
      case 'BYE':
        this.ui.notice('server: ' + rest(2), 'notice');
        break;
      default:
        break; // C PROMPT, C PONG: nothing to show
    }
  }
}
