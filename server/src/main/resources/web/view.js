// Rendering: every text from the network goes in through textContent, never as HTML; control and
// bidirectional-override characters are shown as visible marks instead of acting on the page.

const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;

/** Appends `text` to `parent` as text nodes, with each control or bidi character as a marked code. */
export function appendVisible(parent, text) {
  let plain = '';
  for (const ch of text) {
    if (INVISIBLE.test(ch)) {
      if (plain) parent.append(document.createTextNode(plain));
      plain = '';
      const mark = document.createElement('span');
      mark.className = 'ctl';
      mark.textContent = 'U+' + ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
      parent.append(mark);
    } else {
      plain += ch;
    }
  }
  if (plain) parent.append(document.createTextNode(plain));
}

/** A stable colour per name: the same name has the same hue on every screen and every visit. */
export function colourOf(name) {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return `hsl(${hash % 360} 65% 32%)`;
}

function timeOf(iso) {
  const date = new Date(iso);
  return isNaN(date) ? iso : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function nameElement(name) {
  const span = document.createElement('span');
  span.className = 'from';
  span.style.color = colourOf(name);
  appendVisible(span, name);
  return span;
}

/** The timeline: messages ordered by seq, each seq once; notices where they happened. */
export class Timeline {
  constructor(list) {
    this.list = list;
    this.seqs = new Set();
    this.newest = 0;
    // Following the newest line survives the box changing size (a phone's keyboard opening, the
    // window resized): at the bottom before, at the bottom after.
    this.following = true;
    list.addEventListener('scroll', () => { this.following = this.atBottom(); });
    new ResizeObserver(() => { if (this.following) this.scrollToEnd(); }).observe(list);
  }

  atBottom() {
    return this.list.scrollTop + this.list.clientHeight >= this.list.scrollHeight - 4;
  }

  scrollToEnd() {
    this.list.scrollTop = this.list.scrollHeight;
  }

  has(seq) {
    return this.seqs.has(seq);
  }

  /** Forgets which seqs were shown: the server's history started over (a new epoch). */
  forgetSeqs() {
    this.seqs.clear();
    this.newest = 0;
  }

  /** Shows a message once; `m` has seq, time, from, to (null for public), text, own. */
  message(m) {
    if (this.seqs.has(m.seq)) return;
    this.seqs.add(m.seq);
    const item = document.createElement('li');
    item.dataset.seq = String(m.seq);
    item.className = (m.to ? 'dm' : 'pm') + (m.own ? ' own' : '');
    const time = document.createElement('time');
    time.className = 'time';
    time.dateTime = m.time;
    time.textContent = timeOf(m.time);
    item.append(time, nameElement(m.from));
    if (m.to) {
      const to = document.createElement('span');
      to.className = 'to';
      to.textContent = '→ ';
      to.append(nameElement(m.to));
      item.append(to);
    }
    const text = document.createElement('span');
    text.className = 'text';
    appendVisible(text, m.text);
    item.append(text);
    this.insertBySeq(item, m.seq, m.own);
  }

  /** Puts `item` in seq order; the view follows it when it was at the end, or when it is `own`. */
  insertBySeq(item, seq, own) {
    const stick = own || this.atBottom();
    if (seq > this.newest) {
      this.newest = seq; // live messages go last, after the notices before them
      this.list.append(item);
    } else {
      // Older history asked for later: after the last message with a smaller seq.
      let after = this.list.lastElementChild;
      while (after && !(after.dataset.seq && Number(after.dataset.seq) < seq)) {
        after = after.previousElementSibling;
      }
      if (after) after.after(item);
      else this.list.prepend(item);
    }
    if (stick) this.scrollToEnd();
  }

  /** A join, a leave, a connection change, an error, the page's answer: not a message, no seq. */
  notice(text, kind = 'notice') {
    const item = document.createElement('li');
    item.className = kind;
    const time = document.createElement('time');
    time.className = 'time';
    time.textContent = timeOf(new Date().toISOString());
    item.append(time);
    appendVisible(item, text);
    this.list.append(item);
    this.scrollToEnd();
  }
}

/** The list of who is online; clicking a name starts a direct message to them. */
export class Users {
  constructor(list, onPick) {
    this.list = list;
    this.onPick = onPick;
    this.names = new Set();
  }

  set(names) {
    this.names = new Set(names);
    this.render();
  }

  add(name) {
    this.names.add(name);
    this.render();
  }

  remove(name) {
    this.names.delete(name);
    this.render();
  }

  sorted() {
    return [...this.names].sort((a, b) => a.localeCompare(b));
  }

  render() {
    this.list.replaceChildren();
    for (const name of this.sorted()) {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.style.color = colourOf(name);
      button.title = 'Direct message to ' + name;
      appendVisible(button, name);
      button.addEventListener('click', () => this.onPick(name));
      item.append(button);
      this.list.append(item);
    }
  }
}
