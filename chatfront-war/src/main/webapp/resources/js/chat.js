// The chat screen: a sidebar of the person's rooms beside the open room. It follows every room of
// the sidebar live over one chatserv WebSocket (docs/protocol.md): the open room's entries are
// shown, the others' raise their unread and mention counts. Rooms open in place (history from
// chatfront, the socket kept). It sends messages and the changes people make to them (edit,
// delete, react, reply in a thread).
// Text typed by people reaches the page only through textContent. The one exception is a message's
// html, rendered by chatfront's Markdown renderer: it is parsed in an inert document and rebuilt
// from an allowlist of elements and attributes (safeHtml) before it is shown.
(function () {
  'use strict';

  const chat = document.getElementById('chat');
  if (!chat) {
    return;
  }
  /** The open room: it changes when another room of the sidebar is opened in place. */
  let room = Number(chat.dataset.room);
  const me = chat.dataset.me;
  const messages = document.getElementById('messages');
  const pending = document.getElementById('pending');
  const timeline = document.getElementById('timeline');
  const loading = document.getElementById('loading');
  const olderButton = document.getElementById('older');
  const olderError = document.getElementById('older-error');
  const connection = document.getElementById('connection');
  const composer = document.getElementById('composer');
  const input = document.getElementById('message-text');
  const membersList = document.getElementById('members');
  const roomBody = document.getElementById('room-body');
  const threadPanel = document.getElementById('thread');
  const threadMessages = document.getElementById('thread-messages');
  const threadPending = document.getElementById('thread-pending');
  const threadError = document.getElementById('thread-error');
  const threadComposer = document.getElementById('thread-composer');
  const threadInput = document.getElementById('thread-text');
  const threadClose = document.getElementById('thread-close');
  const confirmDialog = document.getElementById('confirm-delete');
  const confirmPreview = document.getElementById('confirm-preview');
  const picker = document.getElementById('emoji-picker');
  const pickerQuick = document.getElementById('emoji-quick');
  const pickerSearch = document.getElementById('emoji-search');
  const pickerResults = document.getElementById('emoji-results');
  const mentionList = document.getElementById('mention-list');

  /** How long a frame may wait for its ack before it shows as not confirmed (it is kept). */
  const ACK_TIMEOUT_MS = 10000;
  /** Renew the access token this long before it expires, in-band, without reconnecting. */
  const RENEW_BEFORE_MS = 60000;
  const MAX_BACKOFF_MS = 15000;
  /**
   * After outcome_unknown chatserv stores the frame again by itself (same id, every 2 s for 30 s
   * while the socket is open; Batcher.RESOLVE_WITHIN) and sends its ack or refusal unasked; a
   * resend of ours would only double the load on a recovering chatfront. The page resends when
   * its socket is new, or once this has passed without an answer (30 s, one more ask and one call's
   * 5 s timeout).
   */
  const OUTCOME_RESOLVED_WITHIN_MS = 40000;
  /** A 1001 close without a going_away frame (the server died, a proxy closed): 2-4 s pause. */
  const GONE_PAUSE_MS = 2000;
  /** Entries asked for at a time: the first page and each load of older ones. */
  const PAGE = 50;
  /** Replies loaded when a thread opens (later ones arrive live). */
  const THREAD_PAGE = 200;
  /** The latest repliers shown under a thread's parent (as chatfront keeps them). */
  const MAX_REPLIERS = 3;

  let lastSeq = Number(chat.dataset.lastSeq);
  /** The seq before which older entries are asked for; 1 when the room's start is shown. */
  let firstSeq = lastSeq + 1;
  let socket = null;
  let signedIn = false;
  let subscribed = false;
  let attempts = 0;
  let renewTimer = null;
  let reconnectTimer = null;
  /** The going_away frame's retry_after_ms of the current socket, or null: the next wait. */
  let goingAwayRetryMs = null;
  let loadingOlder = false;
  let readTimer = null;
  /** Display names, usernames and roles of the room's members, by subject. */
  const names = new Map();
  const usernames = new Map();
  const owners = new Set();
  /** The subjects of the room's bot accounts: their names carry a "BOT" badge. */
  const bots = new Set();
  /** Every message the page knows, by id: the model every rendering of it is made from. */
  const known = new Map();
  /**
   * Frames sent but not yet settled, in the order they were made, by client_msg_id: {frame, kind,
   * target, element, timer, onWire, resolved}. A frame is resent with the same client_msg_id until
   * it is acked, so it is applied once; one at a time, oldest first (sendNextInLine).
   */
  const outbox = new Map();
  /** What is happening to a message because of this page (saving, an error), by message id. */
  const actionStatus = new Map();
  /** The message whose inline editor is open: {id, element, form}. */
  let editing = null;
  /** The thread shown in the panel: the parent's id, or null. */
  let openThread = null;
  /**
   * True while the list shows a window of older messages around a search result instead of the
   * room's latest page: live messages are then counted on the jump button, not appended after the
   * window (there would be a gap), and the button brings the latest page back.
   */
  let detached = false;
  /** The message of the focused (or last focused) row: the one row of a list in the Tab order. */
  let current = null;

  // ---- the people of the room

  function readMembers() {
    for (const item of membersList.querySelectorAll('li[data-subject]')) {
      names.set(item.dataset.subject, item.dataset.name);
      usernames.set(item.dataset.subject, item.dataset.username);
      if (item.dataset.role === 'owner') {
        owners.add(item.dataset.subject);
      }
      if (item.dataset.bot === 'true') {
        bots.add(item.dataset.subject);
      }
    }
  }

  /** The small "BOT" tag after a bot's name (Slack's APP, Mattermost's BOT): text, never HTML. */
  function botBadge() {
    const badge = document.createElement('span');
    badge.className = 'bot-badge';
    badge.textContent = 'BOT';
    return badge;
  }

  function nameOf(subject, fallback) {
    return names.get(subject) || fallback || 'someone';
  }

  /** The name a message shows: a webhook's post its webhook's, anyone else's their own. */
  function shownName(message) {
    return message.webhook || nameOf(message.sender, message.senderName);
  }

  /**
   * The "via webhook" tag after a webhook post's name (Slack's APP), saying in its title whose
   * webhook it came through: text, never HTML.
   */
  function webhookBadge(message) {
    const badge = document.createElement('span');
    badge.className = 'bot-badge webhook-badge';
    badge.textContent = 'via webhook';
    badge.title = 'Posted through a webhook made by ' + nameOf(message.sender, message.senderName);
    return badge;
  }

  // ---- times

  function isoTime(time) {
    return typeof time === 'number' ? new Date(time).toISOString() : time;
  }

  function localTime(iso) {
    const date = new Date(iso);
    return isNaN(date) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  // ---- the model of a message

  /**
   * A message entry as the page keeps it, from a live frame (state flat on the frame) or from
   * chatfront's history (state in `state`).
   */
  function model(entry) {
    const state = entry.state || entry;
    const reactions = new Map();
    for (const reaction of state.reactions || []) {
      reactions.set(reaction.emoji, new Set(reaction.users || []));
    }
    return {
      id: entry.id,
      seq: entry.seq,
      sender: entry.sender,
      senderName: entry.sender_name,
      clientId: entry.client_msg_id,
      time: isoTime(entry.time),
      body: state.deleted ? null : entry.body,
      html: state.deleted ? null : entry.html || null,
      parent: entry.parent || null,
      mentions: entry.mentions || [],
      mentionsRoom: entry.mentions_room === true,
      editedAt: state.edited_at ? isoTime(state.edited_at) : null,
      deleted: state.deleted === true,
      reactions: reactions,
      replyCount: Number(state.reply_count) || 0,
      repliers: (state.repliers || []).slice(0, MAX_REPLIERS),
      // The state is the effect of every entry up to this seq (0 for a message just sent): a
      // change or reply at or below it is in it already, and applying it again would count twice.
      stateSeq: Number(state.state_seq) || 0,
      // Attached files (files.js renders them); a deleted message has none.
      files: state.deleted ? [] : entry.files || state.files || [],
      // Posted through an incoming webhook: the name it is shown under (its sender made the hook).
      webhook: typeof entry.webhook === 'string' ? entry.webhook : null,
    };
  }

  async function fetchThread(id, limit) {
    const response = await fetch('session/rooms/' + room + '/threads/' + id + '?limit=' + limit, { credentials: 'same-origin' });
    if (!response.ok) {
      throw new Error('HTTP ' + response.status);
    }
    return response.json();
  }

  function mentionsMe(message) {
    return message.sender !== me && (message.mentionsRoom || message.mentions.includes(me));
  }

  // ---- formatting: the allowlist pass over chatfront's html

  const BLOCKS = new Set(['P', 'PRE', 'BLOCKQUOTE', 'UL', 'OL', 'LI']);
  const KEPT = new Set(['P', 'STRONG', 'EM', 'DEL', 'CODE', 'PRE', 'BLOCKQUOTE', 'UL', 'OL', 'LI']);
  const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

  /**
   * chatfront's rendering of a message, rebuilt from the allowlist of docs/web-app.md: the html is
   * parsed in an inert document (nothing in it loads or runs), and only the listed elements and
   * attributes are made anew in this page; any other element becomes its text.
   */
  function safeHtml(html) {
    const parsed = new DOMParser().parseFromString(html, 'text/html');
    const fragment = document.createDocumentFragment();
    copyChildren(parsed.body, fragment);
    return fragment;
  }

  function copyChildren(from, to) {
    for (const node of from.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        const text = layoutText(node);
        if (text !== '') {
          to.append(document.createTextNode(text));
        }
      } else if (node.nodeType === Node.ELEMENT_NODE && node.tagName === 'BR') {
        // A line break as the text typed: the body keeps white space, and copies as it was typed.
        to.append(document.createTextNode('\n'));
      } else if (node.nodeType === Node.ELEMENT_NODE) {
        const copy = copyElement(node);
        if (copy) {
          copyChildren(node, copy);
          to.append(copy);
        } else {
          copyChildren(node, to);
        }
      }
    }
  }

  /** A kept copy of an element without its children, or null when only its text stays. */
  function copyElement(element) {
    const tag = element.tagName;
    if (KEPT.has(tag)) {
      return document.createElement(tag);
    }
    if (tag === 'A') {
      const href = element.getAttribute('href');
      let url;
      try {
        url = new URL(href);
      } catch (notAbsolute) {
        return null;
      }
      if (!LINK_PROTOCOLS.has(url.protocol)) {
        return null;
      }
      const link = document.createElement('a');
      link.href = url.href;
      link.rel = 'noopener noreferrer nofollow';
      link.target = '_blank';
      return link;
    }
    if (tag === 'SPAN' && element.classList.contains('mention') && element.hasAttribute('data-user')) {
      const mention = document.createElement('span');
      mention.className = 'mention';
      mention.dataset.user = element.getAttribute('data-user');
      if (mention.dataset.user === me) {
        mention.classList.add('me');
      }
      return mention;
    }
    return null;
  }

  /**
   * Text as shown (the body keeps white space, for plain text): the renderer's line breaks between
   * blocks and after a <br> are layout, not text.
   */
  function layoutText(node) {
    let text = node.data;
    const parent = node.parentNode;
    if (/^\s*$/.test(text) && text.includes('\n') && (parent.tagName === 'BODY' || BLOCKS.has(parent.tagName)) && parent.tagName !== 'PRE') {
      return '';
    }
    if (node.previousSibling && node.previousSibling.tagName === 'BR' && text.startsWith('\n')) {
      text = text.slice(1); // the renderer's own line end after a <br>
    }
    const next = node.nextSibling;
    const endsBlock = !next && (BLOCKS.has(parent.tagName) || (parent.tagName === 'CODE' && parent.parentNode.tagName === 'PRE'));
    if (endsBlock || (next && BLOCKS.has(next.tagName))) {
      text = text.replace(/\n$/, '');
    }
    return text;
  }

  // ---- rendering a message

  function button(label, key, className, title) {
    const element = document.createElement('button');
    element.type = 'button';
    element.className = className;
    element.textContent = label;
    element.dataset.key = key;
    if (title) {
      element.title = title;
      element.setAttribute('aria-label', title);
    }
    return element;
  }

  /** A new row for a message; `place` is 'room' (the main list) or 'thread' (the panel). */
  function messageElement(message, place) {
    const item = document.createElement('li');
    item.className = 'message';
    item.dataset.place = place;
    item.tabIndex = -1;
    fill(item, message);
    return item;
  }

  /**
   * (Re)builds a row from its message's model. Focus inside it survives (the same control is
   * focused again), and an open inline editor stays as it is.
   */
  function fill(item, message) {
    const focusedKey = item.contains(document.activeElement) && document.activeElement !== item
      ? document.activeElement.dataset.key : null;
    const editor = editing && editing.element === item ? editing.form : null;
    item.dataset.seq = String(message.seq);
    item.dataset.id = String(message.id);
    item.dataset.sender = message.sender;
    item.classList.toggle('mine', message.sender === me);
    item.classList.toggle('deleted', message.deleted);
    item.classList.toggle('mentions-me', !message.deleted && mentionsMe(message));
    item.classList.toggle('thread-root', item.dataset.place === 'thread' && message.id === openThread);

    const parts = [messageAvatar(message)];
    const meta = document.createElement('div');
    meta.className = 'meta';
    const sender = document.createElement('span');
    sender.className = 'sender';
    sender.textContent = shownName(message);
    const time = document.createElement('time');
    time.setAttribute('datetime', message.time);
    time.textContent = localTime(message.time);
    time.title = new Date(message.time).toLocaleString();
    meta.append(sender, ' ', time);
    if (message.webhook) {
      sender.after(webhookBadge(message));
    } else if (bots.has(message.sender)) {
      sender.after(botBadge());
    }
    if (message.editedAt && !message.deleted) {
      const edited = document.createElement('span');
      edited.className = 'edited';
      edited.textContent = '(edited)';
      edited.title = 'edited ' + new Date(message.editedAt).toLocaleString();
      meta.append(' ', edited);
    }
    meta.append(' ', statusElement(message.id));
    parts.push(meta);

    if (editor) {
      parts.push(editor);
    } else {
      parts.push(bodyElement(message));
    }
    if (message.files.length > 0 && window.teamchatFiles) {
      parts.push(window.teamchatFiles.attachments(message.files));
    }
    if (!message.deleted && message.reactions.size > 0) {
      parts.push(reactionsElement(message));
    }
    if (item.dataset.place === 'room' && message.replyCount > 0) {
      parts.push(threadSummary(message));
    }
    if (!message.deleted) {
      parts.push(actionsElement(message, item.dataset.place));
    }
    item.replaceChildren(...parts);
    rove(item);
    if (focusedKey) {
      const again = item.querySelector('[data-key="' + CSS.escape(focusedKey) + '"]');
      (again || item).focus();
    }
  }

  function bodyElement(message) {
    const body = document.createElement('div');
    body.className = 'body';
    if (message.deleted) {
      body.classList.add('tombstone');
      body.textContent = 'message deleted';
    } else if (message.html !== null) {
      body.classList.add('rich');
      const rendered = safeHtml(message.html);
      // One paragraph (most messages) is just its text and inline formatting.
      const only = rendered.childNodes.length === 1 ? rendered.firstChild : null;
      body.append(...(only && only.tagName === 'P' ? only.childNodes : rendered.childNodes));
    } else {
      body.textContent = message.body; // an edit of ours not yet rendered by chatfront
    }
    return body;
  }

  function statusElement(id) {
    const status = document.createElement('span');
    status.className = 'action-status';
    status.setAttribute('role', 'status');
    const state = actionStatus.get(id);
    if (state) {
      status.textContent = state.text;
      status.dataset.state = state.failed ? 'failed' : 'pending';
      if (state.retry) {
        status.append(' ', actionButton('Retry', 'retry', () => transmit(state.clientId)));
      }
      if (state.failed) {
        status.append(' ', actionButton('Dismiss', 'dismiss', () => {
          if (state.clientId) {
            forget(state.clientId);
          }
          setActionStatus(id, null);
        }));
      }
    }
    return status;
  }

  function actionButton(label, key, onClick) {
    const element = button(label, key, 'link');
    element.addEventListener('click', onClick);
    return element;
  }

  function reactionsElement(message) {
    const list = document.createElement('div');
    list.className = 'reactions';
    for (const [emoji, users] of message.reactions) {
      if (users.size === 0) {
        continue;
      }
      const mine = users.has(me);
      const who = Array.from(users, (user) => (user === me ? 'you' : nameOf(user))).join(', ');
      const chip = button('', 'reaction:' + emoji, 'reaction', emoji + ' by ' + who + (mine ? ' (select to take yours back)' : ''));
      chip.setAttribute('aria-pressed', String(mine));
      const glyph = document.createElement('span');
      glyph.className = 'emoji';
      glyph.textContent = emoji;
      const count = document.createElement('span');
      count.className = 'count';
      count.textContent = String(users.size);
      chip.append(glyph, count);
      chip.addEventListener('click', () => react(message.id, emoji, !mine));
      list.append(chip);
    }
    if (list.children.length === 0) {
      return document.createTextNode('');
    }
    const add = button('+', 'add-reaction', 'reaction add', 'Add a reaction');
    add.addEventListener('click', () => openPicker(message.id, add));
    list.append(add);
    return list;
  }

  function threadSummary(message) {
    const summary = button('', 'thread', 'thread-summary');
    const count = document.createElement('span');
    count.className = 'reply-count';
    count.textContent = message.replyCount === 1 ? '1 reply' : message.replyCount + ' replies';
    summary.append(count);
    if (message.repliers.length > 0) {
      const who = document.createElement('span');
      who.className = 'repliers';
      who.textContent = message.repliers.map((user) => nameOf(user)).join(', ');
      summary.append(' ', who);
    }
    summary.setAttribute('aria-label', count.textContent + ', open the thread');
    summary.addEventListener('click', () => showThread(message.id, false));
    return summary;
  }

  function actionsElement(message, place) {
    const toolbar = document.createElement('div');
    toolbar.className = 'actions';
    toolbar.setAttribute('role', 'group');
    toolbar.setAttribute('aria-label', 'Message actions');
    const reactButton = button('☺+', 'react', 'icon', 'Add a reaction');
    reactButton.addEventListener('click', () => openPicker(message.id, reactButton));
    toolbar.append(reactButton);
    const isRoot = message.parent === null;
    if (isRoot && !(place === 'thread' && message.id === openThread)) {
      const reply = button('💬', 'reply', 'icon', 'Reply in thread');
      reply.addEventListener('click', () => showThread(message.id, true));
      toolbar.append(reply);
    }
    if (message.sender === me) {
      const edit = button('✎', 'edit', 'icon', 'Edit');
      edit.addEventListener('click', () => startEditing(message.id, edit.closest('li')));
      toolbar.append(edit);
    }
    if (message.sender === me || owners.has(me)) {
      const remove = button('🗑', 'delete', 'icon danger', 'Delete');
      remove.addEventListener('click', () => confirmDelete(message.id, remove));
      toolbar.append(remove);
    }
    return toolbar;
  }

  // ---- the keyboard: one row of a list in the Tab order, arrows between rows

  /** Only the current row and its controls are in the Tab order; the other rows are one arrow away. */
  function rove(item) {
    const isCurrent = item === current;
    item.tabIndex = isCurrent ? 0 : -1;
    for (const control of item.querySelectorAll('.actions button, .reactions button, .thread-summary')) {
      control.tabIndex = isCurrent ? 0 : -1;
    }
  }

  function makeCurrent(item) {
    if (current === item) {
      return;
    }
    const previous = current;
    current = item;
    if (previous && previous.isConnected) {
      rove(previous);
    }
    rove(item);
  }

  /** The row the Tab key lands on when nothing in the list was focused yet: the newest. */
  function defaultCurrent() {
    if (!current || !current.isConnected) {
      const rows = messages.querySelectorAll('li.message');
      if (rows.length > 0) {
        makeCurrent(rows[rows.length - 1]);
      }
    }
  }

  function onListFocus(event) {
    const item = event.target.closest('li.message');
    if (item) {
      makeCurrent(item);
    }
  }

  function onListKey(event) {
    const item = event.target;
    if (!item.matches || !item.matches('li.message')) {
      return;
    }
    const rows = Array.from(item.parentElement.querySelectorAll(':scope > li.message'));
    const at = rows.indexOf(item);
    let next = null;
    if (event.key === 'ArrowUp') {
      next = rows[at - 1];
    } else if (event.key === 'ArrowDown') {
      next = rows[at + 1];
    } else if (event.key === 'Home') {
      next = rows[0];
    } else if (event.key === 'End') {
      next = rows[rows.length - 1];
    }
    if (next) {
      event.preventDefault();
      makeCurrent(next);
      next.focus();
    }
  }

  // ---- the stream: every entry of the room, in seq order

  function rowsOf(id) {
    return document.querySelectorAll('li.message[data-id="' + Number(id) + '"]');
  }

  function refresh(id) {
    const message = known.get(id);
    if (!message) {
      return;
    }
    for (const item of rowsOf(id)) {
      fill(item, message);
    }
  }

  function nearBottom() {
    return timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 80;
  }

  function scrollToBottom() {
    timeline.scrollTop = timeline.scrollHeight;
  }

  /**
   * A live or replayed entry of the room: applied once, in seq order; a gap means resubscribe.
   * Every kind advances the seq, including kinds this page does not know.
   */
  function receive(frame) {
    if (frame.room !== room) {
      followOther(frame);
      return;
    }
    if (held !== null) {
      held.push(frame); // applied once the room's first page is there (openRoom)
      return;
    }
    if (typeof frame.seq !== 'number' || frame.seq <= lastSeq) {
      return; // another room's, or already applied (the first page, or a replay overlap)
    }
    if (frame.seq !== lastSeq + 1) {
      resubscribe(); // never expected: the server delivers in order; ask again from what we have
      return;
    }
    lastSeq = frame.seq;
    sidebarRoom(room).seq = lastSeq;
    if (frame.sender === me && frame.client_msg_id && outbox.has(frame.client_msg_id)) {
      settle(frame.client_msg_id);
    }
    switch (frame.type) {
      case 'message':
        addMessage(model(frame));
        notifyOf(frame);
        break;
      case 'edited':
        applyEdit(frame);
        break;
      case 'deleted':
        applyDelete(frame);
        break;
      case 'reaction':
        applyReaction(frame);
        break;
      default:
        break; // a kind this page does not know: its seq counts, nothing to show
    }
    markReadSoon();
  }

  function addMessage(message) {
    if (known.has(message.id)) {
      return;
    }
    known.set(message.id, message);
    if (!names.has(message.sender)) {
      refreshMembers();
    }
    if (message.parent !== null) {
      countReply(message);
      if (openThread === message.parent) {
        appendToThread(message);
      }
      return;
    }
    if (detached) {
      // The list shows older messages (a search result's surroundings): a new one is counted on
      // the jump button, or brings one's own message into view with the latest page.
      if (message.sender === me) {
        backToLatest();
      } else {
        newBelow(message);
      }
      return;
    }
    const stick = nearBottom();
    messages.append(messageElement(message, 'room'));
    markDays();
    if (stick || message.sender === me) {
      scrollToBottom();
    } else {
      newBelow(message);
    }
  }

  /** The message a change or reply applies to, if this change is not in its state yet. */
  function targetOf(id, seq, apply) {
    const message = known.get(id);
    if (!message) {
      keepOrphan(id, apply);
      return null;
    }
    return seq > message.stateSeq ? message : null;
  }

  function countReply(reply) {
    const parent = targetOf(reply.parent, reply.seq, () => countReply(reply));
    if (parent) {
      parent.replyCount += 1;
      parent.repliers = [reply.sender, ...parent.repliers.filter((user) => user !== reply.sender)].slice(0, MAX_REPLIERS);
      refresh(parent.id);
    }
  }

  /**
   * Changes of messages the page does not hold (yet): kept a while, because a message being
   * loaded (older ones, a thread) may come with a state older than them.
   */
  const orphans = [];
  const MAX_ORPHANS = 1000;

  function keepOrphan(target, apply) {
    orphans.push({ target: target, apply: apply });
    if (orphans.length > MAX_ORPHANS) {
      orphans.shift();
    }
  }

  /** After a load: the kept changes of messages now held, in the order they came. */
  function adoptOrphans() {
    const waiting = orphans.splice(0, orphans.length);
    for (const orphan of waiting) {
      if (known.has(orphan.target)) {
        orphan.apply();
      } else {
        orphans.push(orphan);
      }
    }
  }

  function applyEdit(frame) {
    const message = targetOf(frame.target, frame.seq, () => applyEdit(frame));
    if (!message || message.deleted) {
      return;
    }
    if (typeof frame.body === 'string') {
      message.body = frame.body;
      message.html = frame.html || null;
      message.mentions = frame.mentions || [];
      message.mentionsRoom = frame.mentions_room === true;
    }
    message.editedAt = isoTime(frame.time);
    refresh(message.id);
  }

  function applyDelete(frame) {
    const target = frame.target;
    const message = targetOf(target, frame.seq, () => applyDelete(frame));
    if (!message) {
      return;
    }
    message.deleted = true;
    message.body = null;
    message.html = null;
    message.reactions.clear();
    if (editing && editing.id === target) {
      stopEditing();
    }
    refresh(target);
  }

  /** Reactions are sets per person and emoji: a repeated add or remove changes nothing. */
  function applyReaction(frame) {
    const target = frame.target;
    const user = frame.sender;
    const emoji = frame.emoji;
    const on = frame.on === true;
    const message = targetOf(target, frame.seq, () => applyReaction(frame));
    if (!message || message.deleted || typeof emoji !== 'string') {
      return;
    }
    let users = message.reactions.get(emoji);
    if (on) {
      if (!users) {
        users = new Set();
        message.reactions.set(emoji, users);
      }
      users.add(user);
    } else if (users) {
      users.delete(user);
      if (users.size === 0) {
        message.reactions.delete(emoji);
      }
    }
    refresh(target);
  }

  // ---- sending: every frame carries a client_msg_id and is resent with it until acked

  function newClientId() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2);
  }

  function pendingElement(clientId, body) {
    const item = document.createElement('li');
    item.className = 'message mine';
    item.dataset.clientId = clientId;
    item.dataset.state = 'pending';
    const meta = document.createElement('div');
    meta.className = 'meta';
    const sender = document.createElement('span');
    sender.className = 'sender';
    sender.textContent = names.get(me) || 'You';
    const status = document.createElement('span');
    status.className = 'status';
    status.setAttribute('role', 'status');
    status.textContent = 'sending…';
    meta.append(sender, ' ', status);
    const text = document.createElement('div');
    text.className = 'body';
    text.textContent = body;
    item.append(meta, text);
    return item;
  }

  /**
   * A new message of the room, or a reply in a thread when `parent` is given; `files` are the
   * uploaded files it carries (files.js), if any.
   */
  function send(body, parent, files) {
    const clientId = newClientId();
    const element = pendingElement(clientId, body);
    const frame = { type: 'send', room: room, client_msg_id: clientId, body: body };
    if (files && files.length > 0) {
      frame.files = files.map((file) => file.id);
      element.append(window.teamchatFiles.attachments(files));
    }
    element.dataset.room = String(room);
    if (parent) {
      frame.parent = parent;
      threadPending.append(element);
    } else {
      pending.append(element);
      scrollToBottom();
    }
    outbox.set(clientId, { frame: frame, kind: 'send', target: null, element: element, timer: null });
    transmit(clientId);
  }

  const ACTION_WORDS = { edit: 'saving…', delete: 'deleting…', react: '' };

  /** An edit, delete or reaction of a message; its progress shows next to the message. */
  function act(kind, target, fields) {
    const clientId = newClientId();
    const frame = Object.assign({ type: kind, room: room, client_msg_id: clientId, target: target }, fields);
    outbox.set(clientId, { frame: frame, kind: kind, target: target, element: null, timer: null });
    transmit(clientId);
  }

  function react(target, emoji, on) {
    act('react', target, { emoji: emoji, on: on });
  }

  /** Sends (or sends again, same client_msg_id) a frame of the outbox, in its turn. */
  function transmit(clientId) {
    const entry = outbox.get(clientId);
    if (!entry) {
      return;
    }
    showProgress(entry, ACTION_WORDS[entry.kind] === undefined ? 'sending…' : ACTION_WORDS[entry.kind], false, false);
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => showUnconfirmed(clientId), ACK_TIMEOUT_MS);
    entry.onWire = false;
    entry.resolved = false;
    sendNextInLine();
  }

  /**
   * One frame on the wire at a time, the oldest unacked one first: chatserv stores a socket's
   * frames in the order they arrive, but a frame answered outcome_unknown may be stored after a
   * newer one unless nothing newer goes out before its resend (docs/protocol.md, "The order of one
   * sender's messages"). So what the person typed is stored in the order they typed it.
   */
  function sendNextInLine() {
    if (!socket || socket.readyState !== WebSocket.OPEN || !subscribed) {
      return; // sent when the connection is back (resendAll), with the same client_msg_id
    }
    for (const entry of outbox.values()) {
      if (!entry.resolved) {
        if (!entry.onWire) {
          entry.onWire = true;
          socket.send(JSON.stringify(entry.frame));
        }
        return;
      }
    }
  }

  function resendAll() {
    for (const clientId of outbox.keys()) {
      transmit(clientId);
    }
  }

  function setActionStatus(id, state) {
    if (state) {
      actionStatus.set(id, state);
    } else {
      actionStatus.delete(id);
    }
    for (const item of rowsOf(id)) {
      item.querySelector('.meta .action-status').replaceWith(statusElement(id));
    }
  }

  /** Shows how a frame is doing: beside its pending message, or beside the message it changes. */
  function showProgress(entry, text, failed, retry) {
    if (entry.kind === 'send') {
      entry.element.dataset.state = failed ? 'failed' : 'pending';
      const status = entry.element.querySelector('.status');
      status.textContent = text;
      if (retry) {
        const again = document.createElement('button');
        again.type = 'button';
        again.className = 'retry link';
        again.textContent = 'Retry';
        again.addEventListener('click', () => transmit(entry.frame.client_msg_id));
        status.append(' ', again);
      }
      return;
    }
    setActionStatus(entry.target, text === '' && !failed ? null : {
      text: text,
      failed: failed,
      retry: retry,
      clientId: entry.frame.client_msg_id,
    });
  }

  /**
   * No answer in time: the frame may well have been applied (the server or the network may be
   * slow), so the page never says "not sent". It is resent with the same client_msg_id when the
   * connection is back, or now with Retry; either way it is applied once.
   */
  function showUnconfirmed(clientId) {
    const entry = outbox.get(clientId);
    if (entry) {
      clearTimeout(entry.timer);
      showProgress(entry, 'not confirmed yet', true, true);
    }
  }

  /** Applied by the server: its pending line or status goes; the entry itself is in the stream. */
  function settle(clientId) {
    const entry = forget(clientId);
    if (!entry) {
      return;
    }
    if (entry.kind === 'send') {
      entry.element.remove();
    } else if (actionStatus.has(entry.target) && actionStatus.get(entry.target).clientId === clientId) {
      setActionStatus(entry.target, null);
    }
  }

  function forget(clientId) {
    const entry = outbox.get(clientId);
    if (entry) {
      clearTimeout(entry.timer);
      outbox.delete(clientId);
      sendNextInLine();
    }
    return entry;
  }

  function onAck(ack) {
    const entry = outbox.get(ack.client_msg_id);
    if (!entry) {
      return;
    }
    entry.resolved = true;
    sendNextInLine();
    if (entry.kind !== 'send' || entry.frame.room !== room || ack.seq <= lastSeq) {
      settle(ack.client_msg_id); // a change shows when its entry arrives; a message is shown already
    } else {
      clearTimeout(entry.timer);
      showProgress(entry, 'sent', false, false);
    }
  }

  /** What a refusal means, in words, for the person who asked. */
  const REFUSALS = {
    not_a_member: 'you are no longer in this room',
    not_the_author: 'only its author can edit a message',
    not_allowed: 'only its author or an owner of the room can delete a message',
    no_such_message: 'the message is not in this room',
    message_deleted: 'the message has been deleted',
    not_a_thread_root: 'a reply cannot have replies of its own',
    invalid_body: 'the text is empty, longer than 4,000 characters or holds characters that are not allowed',
    invalid_emoji: 'that is not an emoji',
    too_many_reactions: 'a message holds at most 20 different emoji; add yours to one that is there',
    client_msg_id_reused: 'the server took this for a different change made before; try again',
    invalid_frame: 'the server could not read the request; reload the page',
    file_unavailable: 'an attached file is no longer there to attach; attach it again',
  };

  const FAILED_WORDS = { send: 'not sent: ', edit: 'edit not saved: ', delete: 'not deleted: ', react: 'reaction not saved: ' };

  function onError(error) {
    const entry = error.client_msg_id ? outbox.get(error.client_msg_id) : null;
    if (entry) {
      if (error.code === 'outcome_unknown') {
        awaitOutcome(entry);
      } else if (error.retry) {
        // internal: it may be applied; the resend (same id) will tell.
        const unknown = error.code === 'internal';
        showProgress(entry, unknown ? 'not confirmed yet, checking…' : 'retrying…', false, false);
        const wait = Math.max(500, Number(error.retry_after_ms) || 2000);
        clearTimeout(entry.timer);
        entry.timer = setTimeout(() => transmit(error.client_msg_id), wait);
      } else {
        const words = REFUSALS[error.code] || error.message || error.code;
        if (entry.kind === 'send') {
          clearTimeout(entry.timer);
          entry.resolved = true; // certainly not stored: what comes after it goes on
          sendNextInLine();
          showProgress(entry, FAILED_WORDS.send + words, true, true);
        } else {
          forget(error.client_msg_id);
          showProgress(entry, FAILED_WORDS[entry.kind] + words, true, false);
        }
      }
    } else if (error.code === 'not_a_member' && error.room !== undefined && error.room !== room) {
      dropFromSidebar(error.room);
    } else if (error.code === 'not_a_member') {
      setState('offline', 'You are no longer in this room.');
    }
  }

  /**
   * chatserv could not tell whether the frame was applied and finds out by itself: its ack or
   * refusal comes unasked on this socket. The frame stays on the wire (nothing newer goes out
   * before it, so typed order holds) and is resent only on a new socket (resendAll) or when
   * chatserv's bound has passed without an answer.
   */
  function awaitOutcome(entry) {
    const clientId = entry.frame.client_msg_id;
    showProgress(entry, 'not confirmed yet, checking…', false, false);
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => transmit(clientId), OUTCOME_RESOLVED_WITHIN_MS);
  }

  // ---- editing

  function startEditing(id, item) {
    const message = known.get(id);
    if (!message || message.deleted || message.sender !== me || !item) {
      return;
    }
    if (editing) {
      stopEditing();
    }
    const form = document.createElement('form');
    form.className = 'editor';
    const label = document.createElement('label');
    label.className = 'visually-hidden';
    const field = document.createElement('textarea');
    field.id = 'edit-' + id + '-' + item.dataset.place;
    field.className = 'edit-text';
    field.maxLength = 4000;
    field.rows = Math.min(8, Math.max(2, message.body.split('\n').length));
    field.value = message.body;
    label.htmlFor = field.id;
    label.textContent = 'Edit message';
    const save = button('Save', 'save', 'small');
    save.type = 'submit';
    const cancel = button('Cancel', 'cancel', 'small secondary');
    cancel.addEventListener('click', () => stopEditing(true));
    const hint = document.createElement('span');
    hint.className = 'hint';
    hint.textContent = 'Enter saves · Esc cancels';
    const row = document.createElement('div');
    row.className = 'editor-buttons';
    row.append(save, cancel, hint);
    form.append(label, field, row);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const body = field.value;
      if (body.trim() === '') {
        return; // deleting is its own action, with a confirmation
      }
      stopEditing(true);
      if (body !== message.body) {
        act('edit', id, { body: body });
      }
    });
    field.addEventListener('keydown', (event) => {
      if (mentionKeys(event, field)) {
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        stopEditing(true);
      } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    attachMentions(field);
    editing = { id: id, element: item, form: form };
    fill(item, message);
    field.focus();
    field.setSelectionRange(field.value.length, field.value.length);
  }

  /** Closes the editor; `refocus` puts the focus back on the message's row. */
  function stopEditing(refocus) {
    if (!editing) {
      return;
    }
    const { id, element } = editing;
    editing = null;
    closeMentions();
    const message = known.get(id);
    if (message && element.isConnected) {
      fill(element, message);
      if (refocus) {
        makeCurrent(element);
        element.focus();
      }
    }
  }

  /** Up arrow in an empty box: edit your newest message there. */
  function editLast(list) {
    const rows = list.querySelectorAll(':scope > li.message.mine:not(.deleted)');
    const last = rows[rows.length - 1];
    if (last) {
      last.scrollIntoView({ block: 'nearest' });
      startEditing(Number(last.dataset.id), last);
      return true;
    }
    return false;
  }

  // ---- deleting, with a confirmation

  let deleteTarget = null;
  let deleteOpener = null;

  function confirmDelete(id, opener) {
    const message = known.get(id);
    if (!message || message.deleted) {
      return;
    }
    deleteTarget = id;
    deleteOpener = opener;
    confirmPreview.textContent = message.body;
    confirmDialog.returnValue = '';
    confirmDialog.showModal();
  }

  confirmDialog.addEventListener('close', () => {
    const id = deleteTarget;
    const item = deleteOpener ? deleteOpener.closest('li.message') : null;
    deleteTarget = null;
    deleteOpener = null;
    if (confirmDialog.returnValue === 'delete' && id !== null) {
      act('delete', id, {});
    }
    if (item && item.isConnected) {
      makeCurrent(item);
      item.focus();
    }
  });

  // ---- reactions: a picker of common emoji, or a :shortcode: typed

  /** The common emoji offered first, then the :shortcodes: the picker knows. */
  const QUICK = ['👍', '❤️', '😂', '🎉', '😮', '😢', '🙏', '👀', '✅', '🚀'];
  const SHORTCODES = {
    thumbsup: '👍', '+1': '👍', thumbsdown: '👎', '-1': '👎', heart: '❤️', joy: '😂', laughing: '😆',
    smile: '😄', grin: '😁', slightly_smiling_face: '🙂', wink: '😉', blush: '😊', tada: '🎉',
    open_mouth: '😮', astonished: '😲', cry: '😢', sob: '😭', pray: '🙏', eyes: '👀',
    white_check_mark: '✅', heavy_check_mark: '✔️', x: '❌', rocket: '🚀', fire: '🔥', clap: '👏',
    wave: '👋', ok_hand: '👌', muscle: '💪', thinking_face: '🤔', thinking: '🤔', shrug: '🤷',
    facepalm: '🤦', sweat_smile: '😅', rofl: '🤣', sunglasses: '😎', heart_eyes: '😍', star: '⭐',
    sparkles: '✨', hundred: '💯', '100': '💯', point_up: '☝️', raised_hands: '🙌', coffee: '☕',
    bug: '🐛', warning: '⚠️', question: '❓', exclamation: '❗', bulb: '💡', memo: '📝',
    calendar: '📅', lock: '🔒', party: '🥳', partying_face: '🥳', confused: '😕', neutral_face: '😐',
    rage: '😡', scream: '😱', zap: '⚡', sun: '☀️', rainbow: '🌈', pizza: '🍕', beer: '🍺',
    see_no_evil: '🙈', ghost: '👻', robot: '🤖', heavy_plus_sign: '➕', hourglass: '⌛',
  };

  let pickerTarget = null;
  let pickerOpener = null;

  function emojiButton(emoji, label) {
    const choice = button(emoji, 'emoji:' + emoji, 'emoji-choice', 'React with ' + (label || emoji));
    choice.addEventListener('click', () => pick(emoji));
    return choice;
  }

  function openPicker(id, opener) {
    pickerTarget = id;
    pickerOpener = opener;
    pickerSearch.value = '';
    showMatches();
    picker.hidden = false;
    const place = opener.getBoundingClientRect();
    const width = picker.offsetWidth;
    const height = picker.offsetHeight;
    const left = Math.max(8, Math.min(place.right - width, window.innerWidth - width - 8));
    const top = place.bottom + 4 + height < window.innerHeight ? place.bottom + 4 : Math.max(8, place.top - height - 4);
    picker.style.setProperty('left', left + 'px');
    picker.style.setProperty('top', top + 'px');
    pickerSearch.focus();
  }

  function closePicker(refocus) {
    if (picker.hidden) {
      return;
    }
    picker.hidden = true;
    const opener = pickerOpener;
    pickerTarget = null;
    pickerOpener = null;
    if (refocus && opener) {
      const item = opener.closest('li.message');
      const again = item && item.isConnected ? item.querySelector('[data-key="' + CSS.escape(opener.dataset.key) + '"]') : null;
      (again || item || input).focus();
    }
  }

  /** Toggles this user's reaction: taken back if it is there, added otherwise. */
  function pick(emoji) {
    const target = pickerTarget;
    closePicker(true);
    const message = known.get(target);
    if (message && !message.deleted) {
      const users = message.reactions.get(emoji);
      react(target, emoji, !(users && users.has(me)));
    }
  }

  function shortcodeMatches(typed) {
    const word = typed.trim().replace(/^:/, '').replace(/:$/, '').toLowerCase();
    if (word === '') {
      return [];
    }
    const exact = SHORTCODES[word] ? [[word, SHORTCODES[word]]] : [];
    const starting = Object.entries(SHORTCODES).filter(([name]) => name !== word && name.startsWith(word));
    const seen = new Set();
    return exact.concat(starting).filter(([, emoji]) => !seen.has(emoji) && seen.add(emoji)).slice(0, 8);
  }

  function showMatches() {
    const typed = pickerSearch.value;
    if (typed.trim() === '') {
      pickerQuick.hidden = false;
      pickerResults.replaceChildren();
      return;
    }
    pickerQuick.hidden = true;
    const matches = shortcodeMatches(typed);
    if (matches.length === 0) {
      const none = document.createElement('p');
      none.className = 'hint';
      none.textContent = 'No emoji called ' + typed.trim();
      pickerResults.replaceChildren(none);
      return;
    }
    pickerResults.replaceChildren(...matches.map(([name, emoji]) => {
      const choice = emojiButton(emoji, ':' + name + ':');
      const label = document.createElement('span');
      label.className = 'shortcode';
      label.textContent = ':' + name + ':';
      choice.append(label);
      return choice;
    }));
  }

  for (const emoji of QUICK) {
    pickerQuick.append(emojiButton(emoji));
  }
  pickerSearch.addEventListener('input', showMatches);
  picker.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      closePicker(true);
      return;
    }
    const choices = Array.from(picker.querySelectorAll('.emoji-choice')).filter((choice) => choice.offsetParent !== null);
    if (event.target === pickerSearch) {
      if (event.key === 'Enter') {
        event.preventDefault();
        const matches = shortcodeMatches(pickerSearch.value);
        if (matches.length > 0) {
          pick(matches[0][1]);
        }
      } else if (event.key === 'ArrowDown' && choices.length > 0) {
        event.preventDefault();
        choices[0].focus();
      }
      return;
    }
    const at = choices.indexOf(event.target);
    if (at >= 0 && (event.key === 'ArrowRight' || event.key === 'ArrowLeft')) {
      event.preventDefault();
      choices[(at + (event.key === 'ArrowRight' ? 1 : choices.length - 1)) % choices.length].focus();
    } else if (at >= 0 && event.key === 'ArrowUp') {
      event.preventDefault();
      pickerSearch.focus();
    }
  });
  document.addEventListener('mousedown', (event) => {
    if (!picker.hidden && !picker.contains(event.target) && event.target !== pickerOpener) {
      closePicker(false);
    }
  });

  // ---- threads

  /**
   * Opens a thread beside the room (over it on a narrow screen): its parent and replies from
   * chatfront, then live; `write` puts the cursor in its box.
   */
  async function showThread(id, write) {
    const parent = known.get(id);
    if (editing && editing.element.dataset.place === 'thread') {
      stopEditing(false);
    }
    openThread = id;
    showTyping();
    threadError.hidden = true;
    threadMessages.replaceChildren();
    threadPending.replaceChildren();
    if (parent) {
      threadMessages.append(messageElement(parent, 'thread'));
    }
    threadPanel.hidden = false;
    roomBody.classList.add('with-thread');
    threadComposer.hidden = parent ? parent.deleted : false;
    (write ? threadInput : threadClose).focus();
    let thread;
    try {
      thread = await fetchThread(id, THREAD_PAGE);
    } catch (failure) {
      if (openThread === id) {
        threadError.hidden = false;
      }
      return;
    }
    if (openThread !== id) {
      return;
    }
    for (const entry of [thread.parent].concat(thread.replies)) {
      const loaded = model(entry);
      if (!known.has(loaded.id)) {
        known.set(loaded.id, loaded);
      }
      if (loaded.id === id) {
        if (!threadMessages.querySelector('li[data-id="' + id + '"]')) {
          threadMessages.prepend(messageElement(known.get(id), 'thread'));
        }
        threadComposer.hidden = known.get(id).deleted;
      } else if (loaded.parent === id) {
        appendToThread(known.get(loaded.id));
      }
    }
    adoptOrphans();
  }

  /** A reply in the open thread, in seq order, once. */
  function appendToThread(message) {
    if (threadMessages.querySelector('li[data-id="' + Number(message.id) + '"]')) {
      return;
    }
    const row = messageElement(message, 'thread');
    const later = Array.from(threadMessages.querySelectorAll(':scope > li.message:not(.thread-root)')).find(
      (other) => Number(other.dataset.seq) > message.seq,
    );
    threadMessages.insertBefore(row, later || null);
    threadMessages.parentElement.scrollTop = threadMessages.parentElement.scrollHeight;
  }

  function closeThread() {
    if (editing && editing.element.dataset.place === 'thread') {
      stopEditing(false);
    }
    const id = openThread;
    openThread = null;
    threadPanel.hidden = true;
    roomBody.classList.remove('with-thread');
    threadMessages.replaceChildren();
    // Replies still on their way stay in the outbox and are resent; only their lines go.
    threadPending.replaceChildren();
    const row = messages.querySelector('li[data-id="' + Number(id) + '"]');
    if (row) {
      makeCurrent(row);
      row.focus();
    } else {
      input.focus();
    }
  }

  // ---- @ mentions: the room's members offered while typing

  let mentionField = null;
  let mentionChoices = [];
  let mentionAt = 0;

  /** The word after an @ right before the cursor, as chatfront recognises mentions. */
  function mentionQuery(field) {
    const before = field.value.slice(0, field.selectionStart);
    const match = /(^|[^\w])@([\w.-]{0,32})$/u.exec(before);
    return match ? { start: before.length - match[2].length - 1, word: match[2].toLowerCase() } : null;
  }

  function attachMentions(field) {
    field.setAttribute('role', 'combobox');
    field.setAttribute('aria-autocomplete', 'list');
    field.setAttribute('aria-controls', 'mention-list');
    field.setAttribute('aria-expanded', 'false');
    field.addEventListener('input', () => offerMentions(field));
    field.addEventListener('blur', () => setTimeout(() => {
      if (mentionField === field && !mentionList.contains(document.activeElement)) {
        closeMentions();
      }
    }, 150));
  }

  function offerMentions(field) {
    const query = mentionQuery(field);
    if (!query) {
      closeMentions();
      return;
    }
    const people = [];
    for (const [subject, username] of usernames) {
      if (subject === me || !username) {
        continue;
      }
      const name = nameOf(subject);
      if (username.toLowerCase().startsWith(query.word) || name.toLowerCase().split(/\s+/).some((part) => part.startsWith(query.word))) {
        people.push({ username: username, name: name });
      }
    }
    people.sort((a, b) => a.username.localeCompare(b.username));
    if (owners.has(me) && 'room'.startsWith(query.word)) {
      people.push({ username: 'room', name: 'everyone in this room' });
    }
    mentionChoices = people.slice(0, 8);
    if (mentionChoices.length === 0) {
      closeMentions();
      return;
    }
    mentionField = field;
    mentionAt = 0;
    mentionList.replaceChildren(...mentionChoices.map((person, index) => {
      const option = document.createElement('li');
      option.id = 'mention-' + index;
      option.setAttribute('role', 'option');
      const handle = document.createElement('span');
      handle.className = 'handle';
      handle.textContent = '@' + person.username;
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = person.name;
      option.append(handle, ' ', name);
      option.addEventListener('mousedown', (event) => {
        event.preventDefault(); // the box keeps the focus
        mentionAt = index;
        insertMention();
      });
      return option;
    }));
    mentionList.hidden = false;
    const place = field.getBoundingClientRect();
    mentionList.style.setProperty('left', Math.max(8, place.left) + 'px');
    mentionList.style.setProperty('bottom', Math.max(8, window.innerHeight - place.top + 4) + 'px');
    field.setAttribute('aria-expanded', 'true');
    highlightMention();
  }

  function highlightMention() {
    mentionList.querySelectorAll('li').forEach((option, index) => {
      option.setAttribute('aria-selected', String(index === mentionAt));
    });
    mentionField.setAttribute('aria-activedescendant', 'mention-' + mentionAt);
  }

  function closeMentions() {
    if (mentionField) {
      mentionField.setAttribute('aria-expanded', 'false');
      mentionField.removeAttribute('aria-activedescendant');
    }
    mentionField = null;
    mentionChoices = [];
    mentionList.hidden = true;
    mentionList.replaceChildren();
  }

  function insertMention() {
    const field = mentionField;
    const query = mentionQuery(field);
    const person = mentionChoices[mentionAt];
    if (query && person) {
      const text = '@' + person.username + ' ';
      field.setRangeText(text, query.start, field.selectionStart, 'end');
    }
    closeMentions();
    field.focus();
  }

  /** The list's keys while it is open; true when the key was for it. */
  function mentionKeys(event, field) {
    if (mentionField !== field || mentionChoices.length === 0) {
      return false;
    }
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : mentionChoices.length - 1;
      mentionAt = (mentionAt + step) % mentionChoices.length;
      highlightMention();
      return true;
    }
    if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) {
      event.preventDefault();
      insertMention();
      return true;
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      closeMentions();
      return true;
    }
    return false;
  }

  // ---- the connection

  /** Sign-ins and in-band token renewals, counted on the status line for diagnostics (and tests). */
  function count(what) {
    connection.dataset[what] = String(Number(connection.dataset[what] || 0) + 1);
  }

  function setState(state, text) {
    connection.dataset.state = state;
    connection.textContent = text;
  }

  async function ticket() {
    const response = await fetch('session/token', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-Chat-Request': '1' },
    });
    if (response.status === 401) {
      window.location.assign('login.xhtml');
      throw new Error('signed out');
    }
    if (!response.ok) {
      throw new Error('token: HTTP ' + response.status);
    }
    return response.json();
  }

  async function connect() {
    clearTimeout(reconnectTimer);
    setState(attempts === 0 ? 'connecting' : 'reconnecting', attempts === 0 ? 'Connecting…' : 'Reconnecting…');
    let current;
    try {
      current = await ticket();
    } catch (failure) {
      retryLater();
      return;
    }
    if (!names.has(current.user_id)) {
      names.set(current.user_id, current.user_name);
    }
    const ws = new WebSocket(current.chatserv_url);
    socket = ws;
    goingAwayRetryMs = null;
    signedIn = false;
    subscribed = false;
    ws.addEventListener('message', (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch (notJson) {
        return;
      }
      handle(ws, frame, current);
    });
    ws.addEventListener('close', (event) => {
      if (socket === ws) {
        socket = null;
        if (!reconnectAsTold(event.code)) {
          retryLater();
        }
      }
    });
  }

  function handle(ws, frame, current) {
    switch (frame.type) {
      case 'hello':
        ws.send(JSON.stringify({ type: 'auth', token: current.access_token }));
        break;
      case 'welcome':
      case 'reauthenticated':
        signedIn = true;
        count(frame.type === 'welcome' ? 'welcomes' : 'renewals');
        scheduleRenewal(frame.expires);
        if (frame.type === 'welcome') {
          ws.send(JSON.stringify({ type: 'subscribe', room: room, after: lastSeq }));
          subscribeOthers(ws);
        }
        break;
      case 'subscribed':
        if (frame.room !== room) {
          break; // another room of the sidebar: its replay, if any, has come
        }
        subscribed = true;
        attempts = 0;
        setState('connected', 'Connected');
        resendAll();
        break;
      case 'ack':
        onAck(frame);
        break;
      case 'going_away':
        goingAwayRetryMs = Math.max(0, Number(frame.retry_after_ms) || 0);
        break;
      case 'error':
        onError(frame);
        break;
      case 'online':
        if (frame.room === room && frame.user && !usernames.has(frame.user.id)) {
          refreshMembers(); // someone who joined since the page was made: offered as a mention
        }
        presenceChange(frame, true);
        break;
      case 'offline':
        presenceChange(frame, false);
        break;
      case 'presence':
        presenceList(frame);
        break;
      case 'typing':
        someoneTyping(frame);
        break;
      case 'rooms_changed':
        roomsChanged();
        break;
      default:
        // Entries of a room's stream (message, edited, deleted, reaction, and kinds added
        // later) carry a seq; frames of other kinds are not used by this page.
        receive(frame);
        break;
    }
  }

  function scheduleRenewal(expires) {
    clearTimeout(renewTimer);
    const wait = Math.max(5000, Number(expires) - Date.now() - RENEW_BEFORE_MS);
    renewTimer = setTimeout(renew, wait);
  }

  /** A fresh token sent on the open socket: a long session never has to reconnect. */
  async function renew() {
    const ws = socket;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return;
    }
    try {
      const current = await ticket();
      ws.send(JSON.stringify({ type: 'auth', token: current.access_token }));
    } catch (failure) {
      renewTimer = setTimeout(renew, 5000);
    }
  }

  function resubscribe() {
    if (socket && socket.readyState === WebSocket.OPEN && signedIn) {
      socket.send(JSON.stringify({ type: 'subscribe', room: room, after: lastSeq }));
    }
  }

  function retryLater() {
    clearTimeout(renewTimer);
    subscribed = false;
    attempts += 1;
    if (!navigator.onLine) {
      setState('offline', 'Offline: waiting for the network…');
      return; // the 'online' event reconnects
    }
    const backoff = Math.min(MAX_BACKOFF_MS, 500 * Math.pow(2, attempts - 1));
    const wait = backoff / 2 + Math.random() * (backoff / 2);
    setState('reconnecting', 'Reconnecting…');
    reconnectTimer = setTimeout(connect, wait);
  }

  /**
   * chatserv is stopping (a restart, an upgrade): it said when to come back (going_away), or closed
   * with 1001 without saying (it died, or a proxy closed): then 2-4 s. The page waits that long,
   * plus a little at random so that a room full of pages does not return in one instant, and says
   * so. False for any other close, which retryLater handles.
   */
  function reconnectAsTold(code) {
    if (code !== 1001 && goingAwayRetryMs === null) {
      return false;
    }
    clearTimeout(renewTimer);
    subscribed = false;
    const told = goingAwayRetryMs !== null ? goingAwayRetryMs : GONE_PAUSE_MS + Math.random() * GONE_PAUSE_MS;
    goingAwayRetryMs = null;
    const wait = told + Math.random() * Math.min(1000, told / 4);
    // The next failure backs off from the first step again: the server is expected back.
    attempts = 1;
    setState('reconnecting', 'Server restarting; reconnecting in ' + Math.ceil(wait / 1000) + ' s…');
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(connect, wait);
    return true;
  }

  // ---- history, members, read marker

  /**
   * Entries before `before`, from chatfront, each message in its current state (edited, deleted,
   * reactions, replies); the changes among them are already part of that state.
   */
  async function entriesBefore(before) {
    const asked = room;
    const response = await fetch('session/rooms/' + room + '/messages?before=' + before + '&limit=' + PAGE, {
      credentials: 'same-origin',
    });
    if (!response.ok) {
      throw new Error('HTTP ' + response.status);
    }
    const page = await response.json();
    if (asked !== room) {
      throw new Error('another room was opened');
    }
    return Array.isArray(page) ? page : page.messages || [];
  }

  /** Rows for the room's list from a page of entries; replies belong to their thread. */
  function rowsFrom(entries) {
    const fragment = document.createDocumentFragment();
    for (const entry of entries) {
      if ((entry.kind || 'message') !== 'message') {
        continue;
      }
      const message = known.get(entry.id) || model(entry);
      known.set(message.id, message);
      if (message.parent === null && !messages.querySelector('li[data-id="' + Number(message.id) + '"]')) {
        fragment.append(messageElement(message, 'room'));
      }
    }
    return fragment;
  }

  async function loadOlder() {
    if (loadingOlder || firstSeq <= 1) {
      return;
    }
    loadingOlder = true;
    // A failed load says so and leaves the button to try again: scrolling to the top, where the
    // timeline already is, would fire nothing.
    olderError.hidden = true;
    try {
      let older;
      try {
        older = await entriesBefore(firstSeq);
      } catch (error) {
        olderError.hidden = false;
        return;
      }
      const heightBefore = timeline.scrollHeight;
      messages.prepend(rowsFrom(older));
      markDays();
      adoptOrphans();
      firstSeq = older.length > 0 ? older[0].seq : 1;
      timeline.scrollTop += timeline.scrollHeight - heightBefore;
    } finally {
      loadingOlder = false;
      olderButton.hidden = firstSeq <= 1;
    }
  }

  /** The latest page of the room, before the live stream starts after it. */
  async function loadFirstPage() {
    const asked = room;
    while (lastSeq > 0 && asked === room) {
      try {
        const entries = await entriesBefore(lastSeq + 1);
        if (asked !== room) {
          return; // another room was opened meanwhile
        }
        messages.replaceChildren(rowsFrom(entries));
        firstSeq = entries.length > 0 ? entries[0].seq : 1;
        if (entries.length > 0) {
          lastSeq = Math.max(lastSeq, entries[entries.length - 1].seq);
        }
        break;
      } catch (failure) {
        if (asked !== room) {
          return;
        }
        loading.textContent = 'Messages could not be loaded. Trying again…';
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
    if (asked !== room) {
      return;
    }
    loading.hidden = true;
    olderButton.hidden = firstSeq <= 1;
    markDays();
    const firstNew = messages.querySelector('li.message[data-new]');
    if (firstNew) {
      // Opened with unread messages: the first of them at the top, under its "New messages" line.
      timeline.scrollTop = firstNew.offsetTop - timeline.offsetTop - 24;
    } else {
      scrollToBottom();
    }
  }

  async function refreshMembers() {
    const asked = room;
    const response = await fetch('session/rooms/' + room + '/members', { credentials: 'same-origin' });
    if (!response.ok) {
      return;
    }
    const members = await response.json();
    if (asked !== room) {
      return;
    }
    owners.clear();
    const items = [];
    for (const member of members) {
      names.set(member.subject, member.name);
      usernames.set(member.subject, member.username);
      if (member.role === 'owner') {
        owners.add(member.subject);
      }
      if (member.bot === true) {
        bots.add(member.subject);
      }
      items.push(memberItem(member));
    }
    membersList.replaceChildren(...items);
    showPresence();
    for (const id of known.keys()) {
      refresh(id);
    }
  }

  let readSent = Number(chat.dataset.lastSeq);
  /** The read marker as it was when the room was opened: the "New messages" line goes after it. */
  let readBefore = Number(chat.dataset.readSeq);
  /** The newest seq when the room was opened: what comes live after it is not marked new. */
  let unreadUpTo = Number(chat.dataset.lastSeq);

  /** Moves the read marker to the newest entry shown, at most once a second. */
  function markReadSoon() {
    if (document.hidden || lastSeq <= readSent) {
      return;
    }
    clearTimeout(readTimer);
    readTimer = setTimeout(markRead, 1000);
  }

  function markRead() {
    clearTimeout(readTimer);
    if (lastSeq <= readSent) {
      return;
    }
    readSent = lastSeq;
    // keepalive: also delivered when the page is being left.
    fetch('session/rooms/' + room + '/read?seq=' + lastSeq, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-Chat-Request': '1' },
      keepalive: true,
    }).catch(() => {});
  }

  // ---- days and the "New messages" line

  const DAY_MS = 24 * 60 * 60 * 1000;

  /** "Today", "Yesterday", or the date, in the browser's time zone. */
  function dayWords(date) {
    const start = new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
    const today = new Date();
    const todayStart = new Date(today.getFullYear(), today.getMonth(), today.getDate()).getTime();
    if (start === todayStart) {
      return 'Today';
    }
    if (todayStart - start === DAY_MS || Math.round((todayStart - start) / DAY_MS) === 1) {
      return 'Yesterday';
    }
    const options = { weekday: 'long', month: 'long', day: 'numeric' };
    if (date.getFullYear() !== today.getFullYear()) {
      options.year = 'numeric';
    }
    return date.toLocaleDateString([], options);
  }

  /** Messages of one person this close together are one group: only the first shows who and when. */
  const GROUP_MS = 5 * 60 * 1000;

  /**
   * Marks the first message of each day (the CSS draws the day's line above it from data-day),
   * the first message of others after the read marker the room was opened with (data-new), and
   * messages that continue their sender's group (data-continued: name and time shown on hover).
   */
  function markDays() {
    let previousDay = null;
    let previous = null;
    let newMarked = false;
    for (const item of messages.querySelectorAll(':scope > li.message')) {
      const message = known.get(Number(item.dataset.id));
      const date = message ? new Date(message.time) : null;
      const day = date && !isNaN(date) ? dayWords(date) : null;
      if (day !== null && day !== previousDay) {
        item.dataset.day = day;
      } else {
        delete item.dataset.day;
      }
      previousDay = day === null ? previousDay : day;
      if (!newMarked && message && message.seq > readBefore && message.seq <= unreadUpTo && message.sender !== me) {
        item.dataset.new = 'New messages';
        newMarked = true;
      } else {
        delete item.dataset.new;
      }
      const continued = message && previous && !item.dataset.day && !item.dataset.new
        && previous.sender === message.sender && previous.webhook === message.webhook
        && !previous.deleted && !message.deleted
        && new Date(message.time) - new Date(previous.time) < GROUP_MS;
      if (continued) {
        item.dataset.continued = 'true';
      } else {
        delete item.dataset.continued;
      }
      previous = message || previous;
    }
  }

  // ---- the sidebar: every room of the person, followed on the one socket

  const sidebar = document.getElementById('sidebar');
  const sidebarList = document.getElementById('sidebar-rooms');
  const sidebarFilter = document.getElementById('sidebar-filter');
  const sidebarNone = document.getElementById('sidebar-none');
  const sidebarOpen = document.getElementById('sidebar-open');
  const sidebarClose = document.getElementById('sidebar-close');
  const membersPanel = document.getElementById('members-panel');
  const membersOpen = document.getElementById('members-open');
  const membersClose = document.getElementById('members-close');
  const roomTitle = document.getElementById('room-title');
  const roomTopic = document.getElementById('room-topic');
  const inviteForm = document.getElementById('invite');
  const leaveForm = document.getElementById('leave');
  const typingLine = document.getElementById('typing');
  const favicon = document.querySelector('link[rel="icon"]');

  /**
   * The rooms of the sidebar by id: {link, title, topic, visibility, role, seq (the newest entry
   * seen), readSeq, unread, mentions}.
   */
  const sidebarRooms = new Map();
  for (const link of sidebarList.querySelectorAll('a.sidebar-room')) {
    const id = Number(link.dataset.room);
    sidebarRooms.set(id, {
      link: link,
      title: link.dataset.title,
      topic: link.dataset.topic || '',
      visibility: link.dataset.visibility,
      role: link.dataset.role,
      seq: Number(link.dataset.lastSeq),
      readSeq: Number(link.dataset.readSeq),
      unread: Number(link.dataset.unread),
      mentions: Number(link.dataset.mentions),
      muted: link.dataset.muted === 'true',
      archived: link.dataset.archived === 'true',
    });
  }

  /** The open room's entry (a room that is not in the list, e.g. joined a moment ago, gets one). */
  function sidebarRoom(id) {
    let entry = sidebarRooms.get(id);
    if (!entry) {
      entry = { link: null, title: roomTitle.textContent, topic: '', visibility: '', role: '',
        seq: lastSeq, readSeq: lastSeq, unread: 0, mentions: 0, muted: false };
      sidebarRooms.set(id, entry);
    }
    return entry;
  }

  /** Subscribes to every room of the sidebar but the open one, from the newest entry seen. */
  function subscribeOthers(ws) {
    for (const [id, entry] of sidebarRooms) {
      if (id !== room) {
        ws.send(JSON.stringify({ type: 'subscribe', room: id, after: entry.seq }));
      }
    }
  }

  /** An entry of a room that is not open: counted, in seq order, once. */
  function followOther(frame) {
    const entry = sidebarRooms.get(frame.room);
    if (!entry || typeof frame.seq !== 'number' || frame.seq <= entry.seq) {
      return;
    }
    if (frame.seq !== entry.seq + 1) {
      if (socket && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify({ type: 'subscribe', room: frame.room, after: entry.seq }));
      }
      return;
    }
    entry.seq = frame.seq;
    if (frame.sender === me && frame.client_msg_id && outbox.has(frame.client_msg_id)) {
      settle(frame.client_msg_id);
    }
    if (frame.type === 'message' && frame.sender !== me) {
      entry.unread += 1;
      if (mentionsMe(model(frame))) {
        entry.mentions += 1;
      }
      showCounts();
      notifyOf(frame);
    }
  }

  /** Badges, the accessible names of the links, the tab title and the favicon, from the counts. */
  function showCounts() {
    let total = 0;
    let mentions = 0;
    for (const [id, entry] of sidebarRooms) {
      if (id === room) {
        entry.unread = 0;
        entry.mentions = 0;
      }
      // A muted room's unread messages are not news (as in Slack); its mentions still are.
      total += entry.muted ? entry.mentions : entry.unread;
      mentions += entry.mentions;
      if (!entry.link) {
        continue;
      }
      const counts = entry.link.querySelector('.counts');
      const badges = [];
      if (entry.mentions > 0) {
        const badge = document.createElement('span');
        badge.className = 'mentions-badge';
        badge.textContent = '@' + entry.mentions;
        badges.push(badge);
      }
      if (entry.unread > 0) {
        const badge = document.createElement('span');
        badge.className = 'unread';
        badge.textContent = String(entry.unread);
        badges.push(badge);
      }
      counts.replaceChildren(...badges);
      entry.link.classList.toggle('has-unread', entry.unread > 0);
      entry.link.classList.toggle('muted', entry.muted === true);
      const words = [entry.title];
      if (entry.link.classList.contains('online')) {
        words.push('online');
      }
      if (entry.unread > 0) {
        words.push(entry.unread + (entry.unread === 1 ? ' unread message' : ' unread messages'));
      }
      if (entry.mentions > 0) {
        words.push(entry.mentions + (entry.mentions === 1 ? ' mention of you' : ' mentions of you'));
      }
      if (entry.muted) {
        words.push('muted');
      }
      entry.link.setAttribute('aria-label', words.join(', '));
      if (id === room) {
        entry.link.setAttribute('aria-current', 'page');
      } else {
        entry.link.removeAttribute('aria-current');
      }
    }
    document.title = (total > 0 ? '(' + total + ') ' : '') + sidebarRoom(room).title + ' · Team chat';
    showFavicon(total, mentions);
    showMuteButton();
  }

  /** A red dot on the tab's icon while something is unread (drawn, so nothing is downloaded). */
  function showFavicon(total, mentions) {
    if (!favicon) {
      return;
    }
    const key = total > 0 ? (mentions > 0 ? 'mention' : 'unread') : 'none';
    if (favicon.dataset.badge === key) {
      return;
    }
    favicon.dataset.badge = key;
    const canvas = document.createElement('canvas');
    canvas.width = 32;
    canvas.height = 32;
    const draw = canvas.getContext('2d');
    draw.fillStyle = '#2358c4';
    draw.beginPath();
    draw.arc(14, 16, 12, 0, 2 * Math.PI);
    draw.fill();
    if (key !== 'none') {
      draw.fillStyle = key === 'mention' ? '#e0a800' : '#c42323';
      draw.beginPath();
      draw.arc(24, 8, 8, 0, 2 * Math.PI);
      draw.fill();
    }
    favicon.href = canvas.toDataURL('image/png');
  }

  /** A room the person is no longer in (left in another tab, removed): it leaves the list. */
  function dropFromSidebar(id) {
    const entry = sidebarRooms.get(id);
    if (entry && entry.link) {
      entry.link.closest('li').remove();
    }
    sidebarRooms.delete(id);
    showCounts();
  }

  /** Frames of the open room that come while its first page loads: applied after it. */
  let held = null;

  /**
   * Opens a room of the sidebar in place: its history from chatfront, its members, the socket kept
   * (it follows every room of the sidebar already). `push` adds a history entry (not on back or
   * forward, which have made it).
   */
  async function openRoom(id, push) {
    const entry = sidebarRooms.get(id);
    if (!entry || !entry.link) {
      window.location.assign('room.xhtml?id=' + id);
      return;
    }
    if (id === room) {
      closeDrawers();
      return;
    }
    if (push) {
      history.pushState({ room: id }, '', 'room.xhtml?id=' + id);
    }
    // Leaving the room: what was shown has been read.
    if (!document.hidden) {
      markRead();
    }
    stopEditing(false);
    closePicker(false);
    closeMentions();
    if (openThread !== null) {
      closeThread();
    }
    const left = sidebarRoom(room);
    left.seq = Math.max(left.seq, lastSeq);
    left.readSeq = Math.max(left.readSeq, readSent);
    room = id;
    chat.dataset.room = String(id);
    readBefore = entry.readSeq;
    unreadUpTo = entry.seq;
    lastSeq = entry.seq;
    firstSeq = lastSeq + 1;
    readSent = entry.readSeq;
    known.clear();
    orphans.length = 0;
    detached = false;
    current = null;
    typers.clear();
    showTyping();
    messages.replaceChildren();
    for (const line of pending.children) {
      line.hidden = line.dataset.room !== String(id);
    }
    loading.textContent = 'Loading messages…';
    loading.hidden = false;
    olderButton.hidden = true;
    olderError.hidden = true;
    roomTitle.textContent = entry.title;
    roomTopic.textContent = entry.topic;
    roomTopic.classList.toggle('gone', entry.topic === '');
    const direct = entry.visibility === 'direct';
    inviteForm.classList.toggle('gone', direct || entry.archived === true || (entry.visibility === 'private' && entry.role !== 'owner'));
    leaveForm.classList.toggle('gone', direct);
    archiveForm.classList.toggle('gone', direct || entry.role !== 'owner');
    showArchived(entry.archived === true);
    for (const field of chat.querySelectorAll('input.room-id')) {
      field.value = String(id);
    }
    for (const message of chat.querySelectorAll('.members .error, .members .errors')) {
      message.replaceChildren();
    }
    showCounts();
    closeDrawers();
    held = [];
    refreshMembers();
    await loadFirstPage();
    if (room !== id) {
      return;
    }
    const waiting = held;
    held = null;
    for (const frame of waiting) {
      receive(frame);
    }
    entry.seq = lastSeq;
    defaultCurrent();
    markRead();
    entry.readSeq = lastSeq;
  }

  sidebarList.addEventListener('click', (event) => {
    const link = event.target.closest('a.sidebar-room');
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return; // a new tab or window: the browser's own way
    }
    event.preventDefault();
    openRoom(Number(link.dataset.room), true);
  });
  window.addEventListener('popstate', (event) => {
    const id = event.state && event.state.room ? Number(event.state.room)
      : Number(new URLSearchParams(window.location.search).get('id'));
    if (id) {
      openRoom(id, false);
    }
  });
  history.replaceState({ room: room }, '', window.location.href);

  sidebarFilter.addEventListener('input', () => {
    const wanted = sidebarFilter.value.trim().toLocaleLowerCase();
    let shown = 0;
    for (const entry of sidebarRooms.values()) {
      if (entry.link) {
        const match = entry.title.toLocaleLowerCase().includes(wanted);
        entry.link.closest('li').hidden = !match;
        shown += match ? 1 : 0;
      }
    }
    sidebarNone.hidden = shown > 0;
  });
  sidebarFilter.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      // Enter opens the first room that matches, as in Slack's switcher.
      const first = [...sidebarList.querySelectorAll('li:not([hidden]) a.sidebar-room')][0];
      if (first) {
        event.preventDefault();
        openRoom(Number(first.dataset.room), true);
      }
    } else if (event.key === 'Escape') {
      sidebarFilter.value = '';
      sidebarFilter.dispatchEvent(new Event('input'));
    }
  });
  // Ctrl+K (Cmd+K) jumps to the filter, as Slack's room switcher does.
  document.addEventListener('keydown', (event) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
      event.preventDefault();
      if (window.getComputedStyle(sidebar).display === 'none') {
        toggleDrawer(sidebar, sidebarOpen, true);
      }
      sidebarFilter.focus();
      sidebarFilter.select();
    }
  });

  // On a phone the sidebar and the members panel are drawers over the room.
  function toggleDrawer(panel, opener, open) {
    panel.classList.toggle('open', open);
    opener.setAttribute('aria-expanded', String(open));
    if (open) {
      (panel.querySelector('input, a, button') || panel).focus();
    }
  }

  function closeDrawers() {
    if (sidebar.classList.contains('open')) {
      toggleDrawer(sidebar, sidebarOpen, false);
    }
    if (membersPanel.classList.contains('open')) {
      toggleDrawer(membersPanel, membersOpen, false);
    }
  }

  sidebarOpen.addEventListener('click', () => toggleDrawer(sidebar, sidebarOpen, true));
  sidebarClose.addEventListener('click', () => { toggleDrawer(sidebar, sidebarOpen, false); sidebarOpen.focus(); });
  membersOpen.addEventListener('click', () => toggleDrawer(membersPanel, membersOpen, true));
  membersClose.addEventListener('click', () => { toggleDrawer(membersPanel, membersOpen, false); membersOpen.focus(); });
  // A click beside an open drawer (on the dimmed room) closes it.
  document.addEventListener('click', (event) => {
    for (const [panel, opener] of [[sidebar, sidebarOpen], [membersPanel, membersOpen]]) {
      if (panel.classList.contains('open') && !panel.contains(event.target) && !opener.contains(event.target)) {
        toggleDrawer(panel, opener, false);
      }
    }
  });
  for (const panel of [sidebar, membersPanel]) {
    panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && panel.classList.contains('open')) {
        closeDrawers();
        (panel === sidebar ? sidebarOpen : membersOpen).focus();
      }
    });
  }

  // ---- presence: who is online, per room (chatserv's presence, online and offline frames)

  /** Subjects online in each room the socket follows. */
  const onlineIn = new Map();

  function onlineSet(id) {
    if (!onlineIn.has(id)) {
      onlineIn.set(id, new Set());
    }
    return onlineIn.get(id);
  }

  function presenceList(frame) {
    const online = onlineSet(frame.room);
    online.clear();
    for (const user of frame.online || []) {
      online.add(user.id);
    }
    if (frame.room === room) {
      showPresence();
    }
    showSidebarPresence(frame.room);
  }

  function presenceChange(frame, isOnline) {
    if (!frame.user) {
      return;
    }
    const online = onlineSet(frame.room);
    if (isOnline) {
      online.add(frame.user.id);
    } else {
      online.delete(frame.user.id);
      typers.delete(frame.user.id);
    }
    if (frame.room === room) {
      showPresence();
      showTyping();
    }
    showSidebarPresence(frame.room);
  }

  function memberItem(member) {
    const item = document.createElement('li');
    item.dataset.subject = member.subject;
    item.dataset.name = member.name;
    item.dataset.username = member.username;
    item.dataset.role = member.role;
    const dot = document.createElement('span');
    dot.className = 'dot';
    dot.setAttribute('aria-hidden', 'true');
    const name = document.createElement('span');
    name.className = 'member-name';
    name.textContent = member.name;
    item.append(dot, window.teamchatAvatars.avatar(member.username, member.name), name);
    if (member.bot === true) {
      item.dataset.bot = 'true';
      item.append(botBadge());
    }
    if (member.role === 'owner') {
      const role = document.createElement('span');
      role.className = 'role';
      role.textContent = ' (owner)';
      item.append(role);
    }
    const presence = document.createElement('span');
    presence.className = 'presence visually-hidden';
    item.append(presence);
    return item;
  }

  function showPresence() {
    const online = onlineSet(room);
    // The page's own person is online here: this socket follows the room.
    online.add(me);
    for (const item of membersList.querySelectorAll('li[data-subject]')) {
      const here = online.has(item.dataset.subject);
      item.classList.toggle('online', here);
      const words = item.querySelector('.presence');
      if (words) {
        words.textContent = here ? ', online' : ', offline';
      }
    }
  }

  // ---- typing: "Ana is typing…" under the composer

  const TYPING_SHOWN_MS = 5000;
  const TYPING_SENT_EVERY_MS = 3000;
  /** Who is typing in the open room: subject → {name, timer}. */
  const typers = new Map();
  let typingSentAt = 0;
  let typingSentIn = null;
  const threadTypingLine = document.getElementById('thread-typing');

  function someoneTyping(frame) {
    if (frame.room !== room || !frame.user || frame.user.id === me) {
      return;
    }
    const before = typers.get(frame.user.id);
    if (before) {
      clearTimeout(before.timer);
    }
    typers.set(frame.user.id, {
      name: nameOf(frame.user.id, frame.user.name),
      thread: typeof frame.thread === 'number' ? frame.thread : null,
      timer: setTimeout(() => {
        typers.delete(frame.user.id);
        showTyping();
      }, TYPING_SHOWN_MS),
    });
    showTyping();
  }

  /** Under the room's composer those typing in the room; in the open thread's panel, in it. */
  function showTyping() {
    const typing = [...typers.values()];
    typingLine.textContent = typingWords(typing.filter((typer) => typer.thread === null));
    threadTypingLine.textContent = openThread === null ? ''
      : typingWords(typing.filter((typer) => typer.thread === openThread));
  }

  function typingWords(typing) {
    const people = typing.map((typer) => typer.name);
    if (people.length === 0) {
      return '';
    } else if (people.length === 1) {
      return people[0] + ' is typing…';
    } else if (people.length === 2) {
      return people[0] + ' and ' + people[1] + ' are typing…';
    }
    return 'Several people are typing…';
  }

  /**
   * Tells the room that this person is typing (in `thread`, or in the room when null), at most
   * every few seconds per place (chatserv relays it).
   */
  function typing(thread) {
    const now = Date.now();
    const place = thread === null ? 'room' : 'thread:' + thread;
    if ((place === typingSentIn && now - typingSentAt < TYPING_SENT_EVERY_MS) || !socket
      || socket.readyState !== WebSocket.OPEN || !subscribed) {
      return;
    }
    typingSentAt = now;
    typingSentIn = place;
    const frame = { type: 'typing', room: room };
    if (thread !== null) {
      frame.thread = thread;
    }
    socket.send(JSON.stringify(frame));
  }

  input.addEventListener('input', () => typing(null));
  threadInput.addEventListener('input', () => typing(openThread));

  // ---- the sidebar learns of rooms joined or left elsewhere (chatserv's rooms_changed)

  /** A sidebar row like the server renders it (room.xhtml), for a room that came later. */
  function sidebarItem(summary) {
    const item = document.createElement('li');
    item.className = summary.visibility;
    const link = document.createElement('a');
    link.href = 'room.xhtml?id=' + summary.id;
    link.className = 'sidebar-room';
    link.dataset.room = String(summary.id);
    link.dataset.title = summary.title;
    link.dataset.topic = summary.topic || '';
    link.dataset.visibility = summary.visibility;
    link.dataset.role = summary.role;
    link.dataset.archived = String(summary.archived === true);
    const name = document.createElement('span');
    name.className = 'room-name';
    name.textContent = summary.title;
    const counts = document.createElement('span');
    counts.className = 'counts';
    link.append(name, counts);
    item.append(link);
    return item;
  }

  let roomsReading = false;
  let roomsAgain = false;

  /**
   * The person's rooms changed (joined, invited, created, left, removed elsewhere): read them
   * again, add the new ones (followed from their newest seq), drop the ones gone. One read at a
   * time; changes during it make one more.
   */
  async function roomsChanged() {
    if (roomsReading) {
      roomsAgain = true;
      return;
    }
    roomsReading = true;
    try {
      do {
        roomsAgain = false;
        const response = await fetch('session/rooms', { credentials: 'same-origin' });
        if (!response.ok) {
          return;
        }
        applyRooms(await response.json());
      } while (roomsAgain);
    } catch (failure) {
      // The next change, or a reload, reads them again.
    } finally {
      roomsReading = false;
    }
  }

  function applyRooms(summaries) {
    const listed = new Set(summaries.map((summary) => summary.id));
    for (const id of [...sidebarRooms.keys()]) {
      if (!listed.has(id) && id !== room) {
        dropFromSidebar(id);
      }
    }
    for (const summary of summaries) {
      let entry = sidebarRooms.get(summary.id);
      if (!entry || !entry.link) {
        entry = Object.assign(entry || { seq: summary.last_seq, readSeq: summary.read_seq,
          unread: summary.unread, mentions: summary.mention_count }, {
          link: sidebarItem(summary).querySelector('a'),
          title: summary.title,
          topic: summary.topic || '',
          visibility: summary.visibility,
          role: summary.role,
        });
        sidebarRooms.set(summary.id, entry);
        if (summary.id !== room && socket && socket.readyState === WebSocket.OPEN && signedIn) {
          socket.send(JSON.stringify({ type: 'subscribe', room: summary.id, after: entry.seq }));
        }
      }
      entry.muted = summary.muted === true;
      entry.role = summary.role;
      entry.archived = summary.archived === true;
    }
    // The server's order (rooms by name, then direct conversations by title), each in its own
    // section: rooms before the Browse row, direct conversations after their heading.
    const roomsEnd = document.getElementById('sidebar-rooms-end');
    for (const summary of summaries) {
      const item = sidebarRooms.get(summary.id).link.closest('li');
      if (summary.visibility === 'direct' || !roomsEnd) {
        sidebarList.append(item);
      } else {
        sidebarList.insertBefore(item, roomsEnd);
      }
    }
    for (const id of sidebarRooms.keys()) {
      showSidebarPresence(id);
    }
    if (sidebarFilter.value !== '') {
      sidebarFilter.dispatchEvent(new Event('input'));
    }
    showCounts();
  }

  // ---- online dots beside the direct conversations of the sidebar

  /** A direct conversation's row shows whether the other person is online (has the app open). */
  function showSidebarPresence(id) {
    const entry = sidebarRooms.get(id);
    if (!entry || !entry.link || entry.visibility !== 'direct') {
      return;
    }
    let dot = entry.link.querySelector('.dot');
    if (!dot) {
      dot = document.createElement('span');
      dot.className = 'dot';
      dot.setAttribute('aria-hidden', 'true');
      entry.link.prepend(dot);
    }
    const online = [...onlineSet(id)].some((subject) => subject !== me);
    if (entry.link.classList.contains('online') !== online) {
      entry.link.classList.toggle('online', online);
      showCounts(); // the link's accessible name says it
    }
  }

  // ---- notifications: mentions and direct messages while the tab is hidden; per-room mute

  const notifyPrompt = document.getElementById('notify-prompt');
  const notifyOn = document.getElementById('notify-on');
  const notifyLater = document.getElementById('notify-later');
  const muteButton = document.getElementById('mute');
  const NOTIFY_PROMPT_KEY = 'teamchat.notifications-prompt';
  /** A message older than this is a replay after a reconnect, not news to pop up. */
  const NOTIFY_RECENT_MS = 60000;
  const NOTIFY_TEXT_MAX = 200;

  function notificationsSupported() {
    return typeof window.Notification === 'function';
  }

  /** The prompt shows until the person answers the browser's question or says "Not now". */
  function showNotifyPrompt() {
    let later = false;
    try {
      later = window.localStorage.getItem(NOTIFY_PROMPT_KEY) === 'later';
    } catch (noStorage) {
      // Private windows may refuse storage: the prompt then shows again on the next load.
    }
    notifyPrompt.hidden = later || !notificationsSupported() || window.Notification.permission !== 'default';
  }

  // The browser's question comes only from the person's own click, never on load.
  notifyOn.addEventListener('click', async () => {
    try {
      await window.Notification.requestPermission();
    } catch (refused) {
      // An old browser without the promise form, or a refusal: the state below says what is left.
    }
    showNotifyPrompt();
    if (notifyPrompt.hidden) {
      input.focus();
    }
  });
  notifyLater.addEventListener('click', () => {
    try {
      window.localStorage.setItem(NOTIFY_PROMPT_KEY, 'later');
    } catch (noStorage) {
      // Shown again on the next load then.
    }
    notifyPrompt.hidden = true;
    input.focus();
  });

  /**
   * A live message of someone else that mentions the person or comes in a direct conversation,
   * while the tab is hidden: a browser notification (plain text only), unless the room is muted.
   * Selecting it brings the tab forward and opens the room.
   */
  function notifyOf(frame) {
    if (!notificationsSupported() || window.Notification.permission !== 'granted' || !document.hidden
      || frame.sender === me || frame.deleted === true) {
      return;
    }
    const entry = sidebarRooms.get(frame.room);
    if (!entry || entry.muted) {
      return;
    }
    const message = model(frame);
    const direct = entry.visibility === 'direct';
    if ((!direct && !mentionsMe(message)) || Date.now() - new Date(message.time).getTime() > NOTIFY_RECENT_MS) {
      return;
    }
    const who = direct ? entry.title : names.get(frame.sender);
    // A message of files only is named by them: "📎 plan.pdf, photo.png".
    const said = message.body || (message.files.length > 0 ? '📎 ' + message.files.map((file) => file.name).join(', ') : '');
    const text = Array.from(said).slice(0, NOTIFY_TEXT_MAX).join('');
    let notification;
    try {
      notification = new window.Notification(direct ? entry.title : '#' + entry.title, {
        body: who ? who + ': ' + text : text,
        tag: 'message-' + frame.id,
      });
    } catch (notAllowed) {
      return; // some browsers allow notifications only from a service worker
    }
    notification.addEventListener('click', () => {
      window.focus();
      notification.close();
      openRoom(frame.room, true);
    });
  }

  /** The header's bell: whether the open room is muted (aria-pressed), for this person only. */
  function showMuteButton() {
    const muted = sidebarRoom(room).muted === true;
    muteButton.setAttribute('aria-pressed', String(muted));
    muteButton.textContent = muted ? '🔕' : '🔔';
    muteButton.title = muted ? 'Muted: no notifications, unread messages not counted (select to unmute)'
      : 'Mute this room';
  }

  let muting = false;
  muteButton.addEventListener('click', async () => {
    if (muting) {
      return;
    }
    const id = room;
    const entry = sidebarRoom(id);
    const wanted = entry.muted !== true;
    muting = true;
    try {
      // Kept with the membership at chatfront: the person's other devices read it with their rooms.
      const response = await fetch('session/rooms/' + id + '/muted', {
        method: 'PUT',
        credentials: 'same-origin',
        headers: { 'X-Chat-Request': '1', 'Content-Type': 'application/json' },
        body: JSON.stringify({ muted: wanted }),
      });
      if (response.ok) {
        entry.muted = wanted;
        showCounts();
      }
    } catch (failure) {
      // Nothing changed; the button still says so.
    } finally {
      muting = false;
    }
  });

  // ---- jump to the latest message when scrolled up

  const jumpButton = document.getElementById('jump-latest');
  let newBelowCount = 0;
  let newBelowRoom = room;

  /** Someone's message came in below while the person reads further up: counted on the button. */
  function newBelow(message) {
    if (newBelowRoom !== room) {
      newBelowRoom = room;
      newBelowCount = 0;
    }
    if (message.sender !== me) {
      newBelowCount += 1;
    }
    showJump();
  }

  function showJump() {
    if (newBelowRoom !== room) {
      newBelowRoom = room;
      newBelowCount = 0;
    }
    const away = detached || (!nearBottom() && loading.hidden);
    if (!away) {
      newBelowCount = 0;
    }
    jumpButton.hidden = !away;
    jumpButton.textContent = newBelowCount === 0 ? '↓ Jump to latest'
      : '↓ ' + newBelowCount + (newBelowCount === 1 ? ' new message' : ' new messages');
  }

  timeline.addEventListener('scroll', showJump, { passive: true });
  jumpButton.addEventListener('click', async () => {
    if (detached) {
      await backToLatest();
    }
    scrollToBottom();
    showJump();
    const newest = messages.querySelector(':scope > li.message:last-child');
    if (newest) {
      makeCurrent(newest);
      newest.focus();
    }
  });

  // ---- avatars

  /** The sender's avatar (shown on the first message of a group; the CSS hides the others'). */
  function messageAvatar(message) {
    return message.webhook
      ? window.teamchatAvatars.avatar('webhook:' + message.webhook, message.webhook)
      : window.teamchatAvatars.avatar(usernames.get(message.sender) || message.sender,
        nameOf(message.sender, message.senderName));
  }

  // ---- wiring

  function wireComposer(form, field, parent) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const body = field.value;
      // The room's composer takes files (files.js): they go once uploaded, with or without text.
      const attached = parent() === null ? window.teamchatFiles : null;
      if (attached && attached.uploading()) {
        return;
      }
      if (body.trim() === '' && !(attached && attached.ready() > 0)) {
        return;
      }
      send(body, parent(), attached ? attached.take() : []);
      field.value = '';
      field.focus();
    });
    field.addEventListener('keydown', (event) => {
      if (mentionKeys(event, field)) {
        return;
      }
      // Enter sends; Shift+Enter is a new line; an IME composing text keeps its Enter.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      } else if (event.key === 'ArrowUp' && field.value === '' && editLast(parent() ? threadMessages : messages)) {
        event.preventDefault();
      }
    });
    attachMentions(field);
  }

  // ---- archived rooms (docs/web-app.md, "Archived rooms"): read, never written

  const archivedMark = document.getElementById('room-archived');
  const archivedNote = document.getElementById('archived-note');
  const archiveForm = document.getElementById('archive');
  const composerPlaceholder = input.placeholder;

  /**
   * Shows the open room as archived or not: the mark by its title, and the composer disabled
   * with the sentence that says why (chatfront refuses posts anyway: room_archived); an owner's
   * button says which way it goes.
   */
  function showArchived(archived) {
    archivedMark.hidden = !archived;
    archivedNote.hidden = !archived;
    composer.classList.toggle('archived', archived);
    for (const control of composer.querySelectorAll('textarea, button')) {
      control.disabled = archived;
    }
    input.placeholder = archived ? 'This room is archived' : composerPlaceholder;
    const button = archiveForm.querySelector('input[type="submit"]');
    button.value = archived ? button.dataset.unarchive : button.dataset.archive;
  }

  showArchived(chat.dataset.archived === 'true');

  wireComposer(composer, input, () => null);
  wireComposer(threadComposer, threadInput, () => openThread);
  threadClose.addEventListener('click', closeThread);
  threadPanel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !event.defaultPrevented && !editing) {
      closeThread();
    }
  });
  for (const list of [messages, threadMessages]) {
    list.addEventListener('focusin', onListFocus);
    list.addEventListener('keydown', onListKey);
  }
  timeline.addEventListener('focus', defaultCurrent);
  messages.addEventListener('mouseover', (event) => {
    // The pointer shows a row's actions; they join the Tab order with it.
    const item = event.target.closest('li.message');
    if (item && !messages.contains(document.activeElement)) {
      makeCurrent(item);
    }
  });

  timeline.addEventListener('scroll', () => {
    if (timeline.scrollTop < 40 && loading.hidden) {
      loadOlder();
    }
  });
  olderButton.addEventListener('click', loadOlder);

  window.addEventListener('online', () => {
    if (!socket) {
      attempts = 0;
      connect();
    }
  });
  // The network is gone: drop the socket rather than trust it (frames would only queue up), show
  // it, and start afresh when the network is back; unacked frames are resent then.
  window.addEventListener('offline', () => {
    const ws = socket;
    socket = null;
    subscribed = false;
    clearTimeout(reconnectTimer);
    clearTimeout(renewTimer);
    setState('offline', 'Offline: waiting for the network…');
    if (ws) {
      ws.close();
    }
  });
  document.addEventListener('visibilitychange', markReadSoon);
  // Leaving the page: what was shown has been read.
  window.addEventListener('pagehide', () => {
    if (!document.hidden) {
      markRead();
    }
  });

  // ---- for dialogs.js: a room made, joined or started a moment ago joins the sidebar and opens

  /**
   * Puts a room the person has just come into (a room summary of /session/directory) into the
   * sidebar before `before` (one of its items) and follows it on the socket; a room already listed
   * stays as it is.
   */
  function adoptRoom(summary, before) {
    const known = sidebarRooms.get(summary.id);
    if (known && known.link) {
      return;
    }
    const item = sidebarItem(summary);
    const link = item.querySelector('a');
    sidebarList.insertBefore(item, before);
    sidebarRooms.set(summary.id, {
      link: link, title: summary.title, topic: summary.topic || '', visibility: summary.visibility,
      role: summary.role, seq: summary.last_seq, readSeq: summary.read_seq, unread: summary.unread,
      mentions: summary.mention_count,
    });
    if (socket && socket.readyState === WebSocket.OPEN && summary.id !== room) {
      socket.send(JSON.stringify({ type: 'subscribe', room: summary.id, after: summary.last_seq }));
    }
    showCounts();
  }

  // ---- opening a room at one of its messages (a search result; search.js)

  /** Leaves a search result's window for the room's latest page. */
  async function backToLatest() {
    if (!detached) {
      return;
    }
    detached = false;
    loading.hidden = false;
    await loadFirstPage();
    showJump();
  }

  /**
   * Opens room `id` at message `messageId` (seq `seq`), highlighted and focused: in place from the
   * list when it is loaded, otherwise with its surroundings from chatfront (GET
   * /session/search/around). A reply (`replyId`) opens its thread beside it. False when the room
   * could not be opened in place.
   */
  async function openAt(id, seq, messageId, replyId) {
    if (id !== room) {
      await openRoom(id, true);
      if (room !== id) {
        return false;
      }
    }
    let row = messages.querySelector('li.message[data-id="' + Number(messageId) + '"]');
    if (!row) {
      const response = await fetch('session/search/around?room=' + id + '&seq=' + Number(seq), {
        credentials: 'same-origin',
      });
      if (!response.ok || room !== id) {
        return false;
      }
      const around = await response.json();
      if (room !== id) {
        return false;
      }
      detached = !around.latest;
      messages.replaceChildren(rowsFrom(around.messages));
      firstSeq = around.messages.length > 0 ? around.messages[0].seq : 1;
      olderButton.hidden = firstSeq <= 1;
      loading.hidden = true;
      markDays();
      adoptOrphans();
      row = messages.querySelector('li.message[data-id="' + Number(messageId) + '"]');
    }
    for (const earlier of messages.querySelectorAll('li.message.found')) {
      earlier.classList.remove('found');
    }
    if (row) {
      row.classList.add('found');
      row.scrollIntoView({ block: 'center' });
      makeCurrent(row);
      row.focus({ preventScroll: true });
    }
    showJump();
    if (replyId && known.has(messageId)) {
      showThread(messageId, false);
    }
    return true;
  }

  /**
   * chatfront's answer to a request under /session/ of the page's own session: its JSON, or an
   * Error whose message is chatfront's plain sentence (else {@code failed}). A 401 means the
   * session ended: the page goes to the sign-in page. The dialogs and search ask through this.
   */
  async function askChatfront(method, path, body, failed) {
    const options = { method: method, credentials: 'same-origin', headers: {} };
    if (method !== 'GET') {
      options.headers['X-Chat-Request'] = '1';
    }
    if (body !== undefined) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch('session/' + path, options);
    } catch (offline) {
      throw new Error('Chat could not be reached. Check the connection and try again.');
    }
    const answer = await response.json().catch(() => null);
    if (!response.ok) {
      if (response.status === 401) {
        window.location.assign('login.xhtml');
      }
      throw new Error(answer && answer.message ? answer.message : failed);
    }
    return answer;
  }

  /** A room joined or a conversation started elsewhere on the page: into the sidebar, opened. */
  function arrive(summary) {
    const before = summary.visibility === 'direct'
      ? document.getElementById('sidebar-direct').nextSibling
      : document.getElementById('sidebar-rooms-end');
    adoptRoom(summary, before);
    openRoom(summary.id, true);
  }

  window.chatScreen = {
    adoptRoom: adoptRoom,
    openRoom: (id) => openRoom(id, true),
    openAt: openAt,
    ask: askChatfront,
    arrive: arrive,
  };

  readMembers();
  showPresence();
  for (const id of sidebarRooms.keys()) {
    showSidebarPresence(id);
  }
  showCounts();
  showNotifyPrompt();
  loadFirstPage().then(() => {
    defaultCurrent();
    connect();
  });
})();
