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

// Resuming is bounded as in the console client (client/.../Resume.java), with the same words:
// a server whose answers never end, or never move forward, can neither grow the page nor keep
// it asking.
const PAGE = 1000; // the most one C CH SINCE answer holds; a full one may have more behind it
const MAX_MISSED = 10 * PAGE; // the most one resume brings back; the rest of the gap is skipped
const NOT_MOVING =
  "the server's history answer was not moving forward; stopped asking for missed messages";
const CAP_REACHED = `${MAX_MISSED} missed messages shown; any later ones missed while away are`
  + ' skipped (/history shows the latest)';

// What completes a line sent after sign-in: the server answers each line in order, with this or
// with C ERR, so the oldest answer owed is what the next answer (or error) belongs to.
const PROMPT = 'PROMPT'; // after C PM or C <name>
const USERS_THEN_PROMPT = 'USERS_THEN_PROMPT'; // after C DM
const SENT = 'SENT'; // after D <text>
const USERS = 'USERS'; // after C LIST
const HISTORY = 'HISTORY'; // after C CH, followed by its data lines
const JOIN_HISTORY = 'JOIN_HISTORY'; // the recent messages that follow C READY
const RESUME_HISTORY = 'RESUME_HISTORY'; // after C CH SINCE
const SEQ = 'SEQ'; // after C SEQ
const BYE = 'BYE'; // after C EX
const HISTORIES = [HISTORY, JOIN_HISTORY, RESUME_HISTORY];

export class Chat {
  /** `ui` gets: status(text, kind), askPassword(kind), signedIn(name), signInFailed(text), left(),
   *  messages(list), notice(text, kind), users(names, asked), history(count), missed(count),
   *  joined(name), userLeft(name, reason), forgetSeqs(). */
  constructor(url, ui) {
    this.url = url;
    this.ui = ui;
    this.name = null;
    this.password = null;
    this.signedIn = false;
    this.epoch = null;
    this.seenThrough = 0; // every message up to this seq has been shown: where a resume starts
    this.delay = FIRST_DELAY_MS;
    this.everSignedIn = false;
    this.leaving = false;
    this.groups = 0; // numbers the typed lines: the protocol lines of one share it
    this.forgetOwed();
  }

  /** What was owed on the connection, forgotten when it ends: those answers will never come. */
  forgetOwed() {
    // {answer, group (0 for the page's own requests), asked (shown: the user asked), message}
    this.owed = [];
    this.refusedGroup = 0; // the typed line whose first refusal was shown
    this.historyLeft = 0; // data lines still to come in the history answer being read
    this.historyKind = null; // which request that answer is for; null when none is being read
    this.answer = []; // that answer's messages, shown together once it is complete
    // While filling the gap a lost connection left: {from, pageLast, pageCount, brought}.
    this.resume = null;
    this.newestHere = 0; // the newest seq seen since this connection signed in
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
      this.forgetOwed();
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

  /** Sends `line` and owes it the answer `owed` ({answer, group, asked, message}). */
  request(line, owed) {
    if (!this.send(line)) return false;
    this.owed.push({ group: 0, asked: false, message: null, ...owed });
    return true;
  }

  publicMessage(text) {
    if (!this.signedIn) return false;
    const group = ++this.groups;
    return this.request('C PM', { answer: PROMPT, group })
      && this.request('D ' + text, { answer: SENT, group, message: { to: null, text } });
  }

  directMessage(to, text) {
    if (!this.signedIn) return false;
    const group = ++this.groups;
    return this.request('C DM', { answer: USERS_THEN_PROMPT, group })
      && this.request('C ' + to, { answer: PROMPT, group })
      && this.request('D ' + text, { answer: SENT, group, message: { to, text } });
  }

  /** The last n messages (the server's default without n); the answer is told to `ui.history`. */
  history(n) {
    if (!this.signedIn) return false;
    return this.request(n === undefined ? 'C CH' : 'C CH ' + n,
      { answer: HISTORY, group: ++this.groups, asked: true });
  }

  listUsers() {
    if (!this.signedIn) return false;
    return this.request('C LIST', { answer: USERS, group: ++this.groups, asked: true });
  }

  /** Leaves for good (no reconnect): says C EX when connected; the close ends it. */
  leave() {
    this.leaving = true;
    clearTimeout(this.retryTimer);
    if (!this.request('C EX', { answer: BYE })) {
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

  /** A message has come: `live` ones count as seen through, unless a gap is still to be filled. */
  seen(m, live) {
    m.own = m.from === this.name;
    this.newestHere = Math.max(this.newestHere, m.seq);
    if (live && !this.resume) this.seenThrough = Math.max(this.seenThrough, m.seq);
  }

  onLine(line) {
    if (line.startsWith('D ')) {
      const m = parseMessage(line);
      if (this.historyLeft > 0) {
        this.historyLeft--;
        if (m) this.onHistoryMessage(m);
        if (this.historyLeft === 0) this.historyAnswered();
      } else if (m) {
        this.seen(m, true);
        this.ui.messages([m]);
      }
      return;
    }
    const words = line.split(' ');
    const rest = n => words.slice(n).join(' ');
    const head = this.owed[0];
    const answers = (...kinds) => head !== undefined && kinds.includes(head.answer);
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
      case 'READY': {
        const again = this.everSignedIn;
        this.name = words[2];
        this.signedIn = true;
        this.everSignedIn = true;
        this.delay = FIRST_DELAY_MS;
        this.forgetOwed();
        this.owed.push({ answer: JOIN_HISTORY, group: 0, asked: false, message: null });
        if (again && this.seenThrough > 0) this.resume = { brought: 0 };
        this.ui.status('online as ' + this.name, 'online');
        this.ui.signedIn(this.name);
        // Where history stands (then everything missed while away), then who is here.
        this.request('C SEQ', { answer: SEQ });
        this.request('C LIST', { answer: USERS });
        break;
      }
      case 'RETRY':
        this.awaitingPassword = false;
        this.ui.signInFailed(rest(3) || rest(2));
        break;
      case 'SEQ':
        if (answers(SEQ)) {
          this.owed.shift();
          this.onSeq(words[2]);
        }
        break;
      case 'SENT': {
        // C SENT PM <seq> <n> | C SENT DM <seq> <name>
        if (!answers(SENT)) break;
        const own = this.owed.shift().message;
        const m = { seq: Number(words[3]), time: new Date().toISOString(), from: this.name,
          to: own.to, text: own.text };
        this.seen(m, true);
        this.ui.messages([m]);
        break;
      }
      case 'PROMPT':
        if (answers(PROMPT, USERS_THEN_PROMPT)) this.owed.shift();
        break;
      case 'USERS': {
        // The list before a DM's recipient step is news too, but only a /list is shown.
        const asked = answers(USERS) && head.asked;
        if (answers(USERS)) this.owed.shift();
        this.ui.users(words.slice(3), asked);
        break;
      }
      case 'HISTORY':
        this.historyKind = answers(...HISTORIES) ? head.answer : null;
        this.historyLeft = Math.max(0, Number(words[2]) || 0);
        this.answer = [];
        if (this.historyKind === RESUME_HISTORY) this.resume.pageCount = 0;
        if (this.historyKind === HISTORY && head.asked) this.ui.history(this.historyLeft);
        if (this.historyLeft === 0) this.historyAnswered();
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
          this.onError(rest(2));
        } else {
          this.ui.signInFailed(rest(2));
        }
        break;
      case 'BYE':
        if (answers(BYE)) this.owed.shift();
        this.ui.notice('server: ' + rest(2), 'notice');
        break;
      default:
        break; // C PONG: nothing to show
    }
  }

  /** A refused line: the error is the answer the oldest line still owed will get. */
  onError(reason) {
    const refused = this.owed.shift();
    if (refused && refused.answer === SEQ) {
      if (this.resume) {
        this.ui.notice('this server cannot resume; showing the latest messages - some may have'
          + ' been missed', 'error');
        this.resumeDone(false);
      }
      return;
    }
    if (refused && refused.answer === RESUME_HISTORY) {
      this.ui.notice('error ' + reason, 'error');
      this.resumeDone(false); // what arrived is shown; the gap stays as it is
      return;
    }
    if (refused && refused.group !== 0 && refused.group === this.refusedGroup) {
      return; // the rest of a refused message, refused as out of place: nothing new to say
    }
    if (refused) this.refusedGroup = refused.group;
    this.ui.notice('error ' + reason, 'error');
  }

  /** The answer to C SEQ: resume by seq if the server's history is the same one, else start anew. */
  onSeq(epoch) {
    if (this.epoch !== null && this.epoch !== epoch) {
      this.ui.forgetSeqs(); // history started over: old seqs mean nothing now
      this.seenThrough = this.newestHere;
      if (this.resume) {
        this.ui.notice("the server's history was reset; showing the latest messages - some may"
          + ' have been missed', 'error');
        this.resume = null;
      }
    }
    this.epoch = epoch;
    if (this.resume) this.askSince(this.seenThrough);
  }

  askSince(seq) {
    Object.assign(this.resume, { from: seq, pageLast: seq, pageCount: 0 });
    this.request(`C CH SINCE ${seq} ${PAGE}`, { answer: RESUME_HISTORY });
  }

  /** One data line of a history answer. */
  onHistoryMessage(m) {
    if (this.historyKind !== RESUME_HISTORY) {
      if (this.answer.length >= PAGE) return; // longer than any history answer the protocol has
      this.seen(m, this.historyKind === JOIN_HISTORY);
      this.answer.push(m);
      return;
    }
    const resume = this.resume;
    resume.pageCount++;
    if (resume.brought >= MAX_MISSED) return; // an answer longer than asked for
    resume.brought++;
    resume.pageLast = Math.max(resume.pageLast, m.seq);
    this.seen(m, false);
    this.answer.push(m);
  }

  /** The data lines of a history answer are all in. */
  historyAnswered() {
    const kind = this.historyKind;
    this.historyKind = null;
    this.ui.messages(this.answer); // a resume shows each page as it completes
    this.answer = [];
    if (kind === null) return; // a history nobody here asked for
    this.owed.shift();
    if (kind !== RESUME_HISTORY) return;
    // A full page may have more behind it: ask again from its end, unless it did not move forward
    // or this resume has brought its most.
    const resume = this.resume;
    this.seenThrough = Math.max(this.seenThrough, resume.pageLast);
    if (resume.pageCount < PAGE) {
      this.resumeDone(true);
    } else if (resume.pageLast <= resume.from) {
      this.ui.notice(NOT_MOVING, 'error');
      this.resumeDone(true);
    } else if (resume.brought >= MAX_MISSED) {
      this.ui.notice(CAP_REACHED, 'error');
      this.resumeDone(true);
    } else {
      this.askSince(resume.pageLast);
    }
  }

  /**
   * The gap is filled (`answered`: the server said where it ends) or given up: what came live
   * meanwhile counts as seen.
   */
  resumeDone(answered) {
    const brought = this.resume.brought;
    this.resume = null;
    this.seenThrough = Math.max(this.seenThrough, this.newestHere);
    if (answered || brought > 0) this.ui.missed(brought);
  }
}
