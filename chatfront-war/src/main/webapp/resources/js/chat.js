// The chat view: follows one room live over chatserv's WebSocket (docs/protocol.md) and sends
// messages. Message text only ever reaches the page through textContent: never parsed as HTML.
(function () {
  'use strict';

  const chat = document.getElementById('chat');
  if (!chat) {
    return;
  }
  const room = Number(chat.dataset.room);
  const me = chat.dataset.me;
  const messages = document.getElementById('messages');
  const pending = document.getElementById('pending');
  const timeline = document.getElementById('timeline');
  const olderButton = document.getElementById('older');
  const olderError = document.getElementById('older-error');
  const connection = document.getElementById('connection');
  const composer = document.getElementById('composer');
  const input = document.getElementById('message-text');
  const membersList = document.getElementById('members');

  /** How long a sent message may wait for its ack before it shows as failed (it is kept). */
  const ACK_TIMEOUT_MS = 10000;
  /** Renew the access token this long before it expires, in-band, without reconnecting. */
  const RENEW_BEFORE_MS = 60000;
  const MAX_BACKOFF_MS = 15000;

  let lastSeq = Number(chat.dataset.lastSeq);
  let firstSeq = Number(chat.dataset.firstSeq);
  let socket = null;
  let signedIn = false;
  let subscribed = false;
  let attempts = 0;
  let renewTimer = null;
  let reconnectTimer = null;
  let loadingOlder = false;
  let readTimer = null;
  const names = new Map();
  /** Messages sent but not yet acked, by client_msg_id: {body, element, timer}. */
  const outbox = new Map();

  // ---- rendering

  function readMembers() {
    for (const item of membersList.querySelectorAll('li[data-subject]')) {
      names.set(item.dataset.subject, item.dataset.name);
    }
  }

  function localTime(iso) {
    const date = new Date(iso);
    return isNaN(date) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function showLocalTimes(root) {
    for (const time of root.querySelectorAll('time[datetime]')) {
      time.textContent = localTime(time.getAttribute('datetime'));
      time.title = new Date(time.getAttribute('datetime')).toLocaleString();
    }
  }

  function messageElement(message) {
    const item = document.createElement('li');
    item.className = 'message';
    item.dataset.seq = String(message.seq);
    item.dataset.id = String(message.id);
    item.dataset.sender = message.sender;
    const sender = document.createElement('span');
    sender.className = 'sender';
    sender.textContent = message.sender_name || names.get(message.sender) || 'someone';
    const time = document.createElement('time');
    const iso = typeof message.time === 'number' ? new Date(message.time).toISOString() : message.time;
    time.setAttribute('datetime', iso);
    time.textContent = localTime(iso);
    const body = document.createElement('p');
    body.className = 'body';
    body.textContent = message.body;
    item.append(sender, ' ', time, body);
    if (message.sender === me) {
      item.classList.add('mine');
    }
    return item;
  }

  function nearBottom() {
    return timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 80;
  }

  function scrollToBottom() {
    timeline.scrollTop = timeline.scrollHeight;
  }

  /** Sign-ins and in-band token renewals, counted on the status line for diagnostics (and tests). */
  function count(what) {
    connection.dataset[what] = String(Number(connection.dataset[what] || 0) + 1);
  }

  function setState(state, text) {
    connection.dataset.state = state;
    connection.textContent = text;
  }

  /** A live or replayed message: shown once, in seq order; a gap means resubscribe. */
  function receive(message) {
    if (message.room !== room || message.seq <= lastSeq) {
      return; // already shown (rendered with the page, or a replay overlap)
    }
    if (message.seq !== lastSeq + 1) {
      resubscribe(); // never expected: the server delivers in order; ask again from what we have
      return;
    }
    const stick = nearBottom();
    const mine = outbox.get(message.client_msg_id);
    if (mine && message.sender === me) {
      settle(message.client_msg_id);
    }
    if (!names.has(message.sender)) {
      refreshMembers();
    }
    messages.append(messageElement(message));
    lastSeq = message.seq;
    if (stick || message.sender === me) {
      scrollToBottom();
    }
    markReadSoon();
  }

  // ---- sending

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
    const sender = document.createElement('span');
    sender.className = 'sender';
    sender.textContent = names.get(me) || 'You';
    const status = document.createElement('span');
    status.className = 'status';
    status.textContent = 'sending…';
    const text = document.createElement('p');
    text.className = 'body';
    text.textContent = body;
    item.append(sender, ' ', status, text);
    return item;
  }

  function send(body) {
    const clientId = newClientId();
    const element = pendingElement(clientId, body);
    pending.append(element);
    outbox.set(clientId, { body: body, element: element, timer: null });
    scrollToBottom();
    transmit(clientId);
  }

  function transmit(clientId) {
    const entry = outbox.get(clientId);
    if (!entry) {
      return;
    }
    showStatus(entry, 'pending', 'sending…');
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => showUnconfirmed(clientId), ACK_TIMEOUT_MS);
    if (socket && socket.readyState === WebSocket.OPEN && subscribed) {
      socket.send(JSON.stringify({ type: 'send', room: room, client_msg_id: clientId, body: entry.body }));
    }
    // Otherwise it goes out when the connection is back (resendAll): same client_msg_id, so a
    // message that did reach the server before is never stored twice.
  }

  function resendAll() {
    for (const clientId of outbox.keys()) {
      transmit(clientId);
    }
  }

  function showStatus(entry, state, text) {
    entry.element.dataset.state = state;
    const status = entry.element.querySelector('.status');
    status.textContent = text;
  }

  function showFailed(clientId, reason) {
    const entry = outbox.get(clientId);
    if (!entry) {
      return;
    }
    clearTimeout(entry.timer);
    showStatus(entry, 'failed', reason === null ? 'not confirmed yet' : 'not sent: ' + reason);
    if (!entry.element.querySelector('button.retry')) {
      const retry = document.createElement('button');
      retry.type = 'button';
      retry.className = 'retry link';
      retry.textContent = 'Retry';
      retry.addEventListener('click', () => {
        retry.remove();
        transmit(clientId);
      });
      entry.element.querySelector('.status').after(' ', retry);
    }
  }

  /**
   * No answer in time: the message may well be stored (the server or the network may be slow), so
   * the page never says "not sent". It is resent with the same client_msg_id when the connection
   * is back, or now with Retry; either way it is never stored twice.
   */
  function showUnconfirmed(clientId) {
    showFailed(clientId, null);
  }

  /** The message is stored: its pending line goes; the stored one (seq order) stays. */
  function settle(clientId) {
    const entry = outbox.get(clientId);
    if (entry) {
      clearTimeout(entry.timer);
      entry.element.remove();
      outbox.delete(clientId);
    }
  }

  function onAck(ack) {
    const entry = outbox.get(ack.client_msg_id);
    if (!entry) {
      return;
    }
    if (ack.seq <= lastSeq) {
      settle(ack.client_msg_id); // its message frame is shown already
    } else {
      clearTimeout(entry.timer);
      showStatus(entry, 'stored', 'sent');
    }
  }

  function onError(error) {
    if (error.client_msg_id && outbox.has(error.client_msg_id)) {
      if (error.retry) {
        const entry = outbox.get(error.client_msg_id);
        // outcome_unknown and internal: it may be stored; the resend (same id) will tell.
        const unknown = error.code === 'outcome_unknown' || error.code === 'internal';
        showStatus(entry, 'pending', unknown ? 'not confirmed yet, checking…' : 'retrying…');
        const wait = Math.max(500, Number(error.retry_after_ms) || 2000);
        clearTimeout(entry.timer);
        entry.timer = setTimeout(() => transmit(error.client_msg_id), wait);
      } else {
        showFailed(error.client_msg_id, error.message || error.code);
      }
    } else if (error.code === 'not_a_member') {
      setState('offline', 'You are no longer in this room.');
    }
  }

  // ---- the connection

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
    ws.addEventListener('close', () => {
      if (socket === ws) {
        socket = null;
        retryLater();
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
        }
        break;
      case 'subscribed':
        subscribed = true;
        attempts = 0;
        setState('connected', 'Connected');
        resendAll();
        break;
      case 'message':
        receive(frame);
        break;
      case 'ack':
        onAck(frame);
        break;
      case 'error':
        onError(frame);
        break;
      default:
        break; // frames this page does not use (presence, typing, ...)
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

  // ---- history, members, read marker

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
        const response = await fetch('session/rooms/' + room + '/messages?before=' + firstSeq + '&limit=50', {
          credentials: 'same-origin',
        });
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        older = await response.json();
      } catch (error) {
        olderError.hidden = false;
        return;
      }
      const heightBefore = timeline.scrollHeight;
      const fragment = document.createDocumentFragment();
      for (const message of older) {
        fragment.append(messageElement(message));
      }
      messages.prepend(fragment);
      if (older.length > 0) {
        firstSeq = older[0].seq;
      }
      timeline.scrollTop += timeline.scrollHeight - heightBefore;
    } finally {
      loadingOlder = false;
      olderButton.hidden = firstSeq <= 1;
    }
  }

  async function refreshMembers() {
    const response = await fetch('session/rooms/' + room + '/members', { credentials: 'same-origin' });
    if (!response.ok) {
      return;
    }
    for (const member of await response.json()) {
      names.set(member.subject, member.name);
    }
    for (const sender of messages.querySelectorAll('li[data-sender] > .sender')) {
      const subject = sender.parentElement.dataset.sender;
      if (names.has(subject)) {
        sender.textContent = names.get(subject);
      }
    }
  }

  let readSent = Number(chat.dataset.lastSeq);

  /** Moves the read marker to the newest message shown, at most once a second. */
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

  // ---- wiring

  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = input.value;
    if (body.trim() === '') {
      return;
    }
    send(body);
    input.value = '';
    input.focus();
  });

  input.addEventListener('keydown', (event) => {
    // Enter sends; Shift+Enter is a new line; an IME composing text keeps its Enter.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });

  timeline.addEventListener('scroll', () => {
    if (timeline.scrollTop < 40) {
      loadOlder();
    }
  });
  olderButton.addEventListener('click', loadOlder);
  olderButton.hidden = firstSeq <= 1;

  window.addEventListener('online', () => {
    if (!socket) {
      attempts = 0;
      connect();
    }
  });
  // The network is gone: drop the socket rather than trust it (frames would only queue up), show
  // it, and start afresh when the network is back; unacked messages are resent then.
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

  readMembers();
  showLocalTimes(messages);
  scrollToBottom();
  connect();
})();
