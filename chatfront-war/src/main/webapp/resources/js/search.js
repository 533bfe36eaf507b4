// Search on the chat screen (docs/web-app.md, "Search"): the field in the room's header finds
// messages in every room and conversation of the person, rooms by name and people by name, in the
// panel beside the room; a message found opens its room at that message, highlighted (chat.js's
// window.chatScreen.openAt). Also the member panel's invite field as a people picker.
// Text from the server reaches the page only through textContent: a snippet comes as pieces of
// plain text, the found ones put inside <mark> elements made here.
(function () {
  'use strict';

  const screen = window.chatScreen;
  const field = document.getElementById('search-field');
  if (!screen || !field) {
    return;
  }
  /** Time between the last key and the search it starts. */
  const SEARCH_DELAY_MS = 300;
  /** Results asked for at once. */
  const PAGE = 20;
  /** Below this width the panel covers the room: a result opened closes it. */
  const PHONE = window.matchMedia('(max-width: 640px)');

  const form = document.getElementById('search-form');
  const panel = document.getElementById('search-panel');
  const order = document.getElementById('search-order');
  const close = document.getElementById('search-close');
  const status = document.getElementById('search-status');
  const roomsSection = document.getElementById('search-rooms-section');
  const roomsList = document.getElementById('search-rooms');
  const peopleSection = document.getElementById('search-people-section');
  const peopleList = document.getElementById('search-people');
  const messagesSection = document.getElementById('search-messages-section');
  const messagesList = document.getElementById('search-messages');
  const more = document.getElementById('search-more');

  let timer = null;
  /** The number of the latest search: answers of older ones are dropped. */
  let searchNumber = 0;
  /** The query the message results are for, and how many of them are shown. */
  let shownQuery = '';
  let shownCount = 0;

  /** chatfront's answer (chat.js's window.chatScreen.ask): a POST when there is a body. */
  function ask(path, body) {
    return screen.ask(body === undefined ? 'GET' : 'POST', path, body, 'The search did not work. Try again.');
  }

  function timeZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    } catch (unknown) {
      return 'UTC';
    }
  }

  /** Whether the query is only filters and words: rooms and people are found by plain text. */
  function plainText(query) {
    return query.split(/\s+/).every((word) => !/^(in|from|before|after|has):/i.test(word));
  }

  const head = document.querySelector('.room-head');

  /** The panel under the room's header (and the notifications bar, when it is there). */
  function placePanel() {
    panel.style.top = (head.offsetTop + head.offsetHeight) + 'px';
  }

  function openPanel() {
    panel.hidden = false;
    placePanel();
  }
  window.addEventListener('resize', () => {
    if (!panel.hidden) {
      placePanel();
    }
  });

  function closePanel(refocus) {
    clearTimeout(timer);
    searchNumber += 1;
    panel.hidden = true;
    if (refocus) {
      field.focus();
    }
  }

  // ---- results

  function when(iso) {
    const date = new Date(iso);
    const today = new Date();
    return date.toDateString() === today.toDateString()
      ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
      : date.toLocaleDateString([], {
        day: 'numeric', month: 'short',
        year: date.getFullYear() === today.getFullYear() ? undefined : 'numeric',
      });
  }

  function span(className, text) {
    const element = document.createElement('span');
    element.className = className;
    element.textContent = text;
    return element;
  }

  function snippetElement(pieces) {
    const snippet = document.createElement('span');
    snippet.className = 'result-snippet';
    for (const piece of pieces) {
      if (piece.mark) {
        const mark = document.createElement('mark');
        mark.textContent = piece.text;
        snippet.append(mark);
      } else {
        snippet.append(piece.text);
      }
    }
    return snippet;
  }

  function messageItem(found) {
    const item = document.createElement('li');
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'search-result';
    open.dataset.room = String(found.room);
    open.dataset.id = String(found.id);
    const head = document.createElement('span');
    head.className = 'result-head';
    const where = span('result-where', (found.direct ? '@ ' : '# ') + found.room_name);
    const who = span('result-who', found.sender_name);
    const time = document.createElement('time');
    time.setAttribute('datetime', found.time);
    time.textContent = when(found.time);
    time.title = new Date(found.time).toLocaleString();
    head.append(where, who, time);
    if (found.parent !== null && found.parent !== undefined) {
      head.append(span('result-thread', 'in a thread'));
    }
    open.append(head, snippetElement(found.snippet || []));
    open.addEventListener('click', () => openMessage(found));
    item.append(open);
    return item;
  }

  async function openMessage(found) {
    const parent = found.parent !== null && found.parent !== undefined ? found.parent : null;
    if (PHONE.matches) {
      closePanel(false);
    }
    const opened = await screen.openAt(found.room, found.at, parent !== null ? parent : found.id,
      parent !== null ? found.id : null);
    if (!opened && !panel.hidden) {
      status.textContent = 'That message could not be opened. Try again.';
    }
  }

  function roomItem(room) {
    const item = document.createElement('li');
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'search-result search-room';
    open.append(span('result-where', (room.visibility === 'private' ? '🔒 ' : '# ') + room.name));
    if (room.topic) {
      open.append(span('result-topic', room.topic));
    }
    if (!room.member) {
      open.append(span('result-join', 'Join'));
    }
    open.addEventListener('click', async () => {
      try {
        if (!room.member) {
          arrive(await ask('directory/rooms/' + room.id + '/join', {}));
        } else {
          screen.openRoom(room.id);
        }
        if (PHONE.matches) {
          closePanel(false);
        }
      } catch (refused) {
        status.textContent = refused.message;
      }
    });
    item.append(open);
    return item;
  }

  function personItem(person) {
    const item = document.createElement('li');
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'search-result search-person';
    open.append(window.teamchatAvatars.avatar(person.username, person.display_name),
      span('result-who', person.display_name), span('result-handle', '@' + person.username));
    open.title = 'Message ' + person.display_name;
    open.addEventListener('click', async () => {
      try {
        arrive(await ask('directory/conversations', { usernames: [person.username] }));
        if (PHONE.matches) {
          closePanel(false);
        }
      } catch (refused) {
        status.textContent = refused.message;
      }
    });
    item.append(open);
    return item;
  }

  /** A room joined or a conversation started here: into the sidebar, then open in place. */
  const arrive = screen.arrive;

  function statusWords(count, hasMore) {
    if (count === 0) {
      return 'No messages match.';
    }
    return (hasMore ? 'More than ' + count : String(count)) + (count === 1 ? ' message' : ' messages');
  }

  async function search(query) {
    const number = ++searchNumber;
    openPanel();
    status.textContent = 'Searching…';
    more.hidden = true;
    const plain = plainText(query) && query.length <= 64;
    const asked = [
      ask('search/messages?q=' + encodeURIComponent(query) + '&order=' + order.value + '&limit=' + PAGE
        + '&tz=' + encodeURIComponent(timeZone())),
      plain ? ask('search/rooms?q=' + encodeURIComponent(query)) : Promise.resolve([]),
      plain ? ask('directory/people?q=' + encodeURIComponent(query)) : Promise.resolve([]),
    ];
    let answers;
    try {
      answers = await Promise.all(asked);
    } catch (failed) {
      if (number === searchNumber) {
        status.textContent = failed.message;
        messagesList.replaceChildren();
        roomsSection.hidden = true;
        peopleSection.hidden = true;
        messagesSection.hidden = true;
      }
      return;
    }
    if (number !== searchNumber) {
      return;
    }
    const [page, rooms, people] = answers;
    roomsList.replaceChildren(...rooms.map(roomItem));
    roomsSection.hidden = rooms.length === 0;
    peopleList.replaceChildren(...people.map(personItem));
    peopleSection.hidden = people.length === 0;
    messagesList.replaceChildren(...page.results.map(messageItem));
    messagesSection.hidden = page.results.length === 0;
    shownQuery = query;
    shownCount = page.results.length;
    more.hidden = !page.more;
    status.textContent = statusWords(shownCount, page.more);
  }

  async function showMore() {
    const number = searchNumber;
    more.disabled = true;
    try {
      const page = await ask('search/messages?q=' + encodeURIComponent(shownQuery) + '&order=' + order.value
        + '&limit=' + PAGE + '&offset=' + shownCount + '&tz=' + encodeURIComponent(timeZone()));
      if (number !== searchNumber) {
        return;
      }
      messagesList.append(...page.results.map(messageItem));
      shownCount += page.results.length;
      more.hidden = !page.more;
      status.textContent = statusWords(shownCount, page.more);
    } catch (failed) {
      status.textContent = failed.message;
    } finally {
      more.disabled = false;
    }
  }

  function searchSoon(delay) {
    clearTimeout(timer);
    const query = field.value.trim();
    if (query === '') {
      searchNumber += 1;
      return;
    }
    timer = setTimeout(() => search(query), delay);
  }

  field.addEventListener('input', () => searchSoon(SEARCH_DELAY_MS));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    searchSoon(0);
  });
  field.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !panel.hidden) {
      event.preventDefault();
      closePanel(true);
    } else if (event.key === 'ArrowDown' && !panel.hidden) {
      const first = panel.querySelector('button.search-result');
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  });
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      closePanel(true);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const results = [...panel.querySelectorAll('button.search-result')];
      const at = results.indexOf(document.activeElement);
      if (at >= 0) {
        event.preventDefault();
        const next = results[at + (event.key === 'ArrowDown' ? 1 : -1)];
        (next || (event.key === 'ArrowUp' ? field : results[at])).focus();
      }
    }
  });
  close.addEventListener('click', () => closePanel(true));
  order.addEventListener('change', () => searchSoon(0));
  more.addEventListener('click', showMore);

  // ---- the invite field: people by name or username

  const invite = document.getElementById('invite:username');
  const inviteResults = document.getElementById('invite-results');
  if (!invite || !inviteResults) {
    return;
  }
  invite.setAttribute('role', 'combobox');
  invite.setAttribute('aria-autocomplete', 'list');
  invite.setAttribute('aria-expanded', 'false');
  invite.setAttribute('aria-controls', 'invite-results');
  let inviteTimer = null;
  let inviteNumber = 0;
  let offered = [];
  let active = -1;

  function showOffered(people) {
    offered = people;
    active = people.length > 0 ? 0 : -1;
    inviteResults.replaceChildren(...people.map((person, index) => {
      const item = document.createElement('li');
      item.id = 'invite-result-' + index;
      item.setAttribute('role', 'option');
      item.append(span('name', person.display_name), span('handle', '@' + person.username));
      if (person.bot === true) {
        item.append(span('bot-badge', 'BOT'));
      }
      // mousedown, not click: the field keeps the focus.
      item.addEventListener('mousedown', (event) => {
        event.preventDefault();
        pickInvitee(person);
      });
      return item;
    }));
    inviteResults.hidden = people.length === 0;
    invite.setAttribute('aria-expanded', String(people.length > 0));
    showActive();
  }

  function showActive() {
    [...inviteResults.children].forEach((item, index) => {
      item.setAttribute('aria-selected', String(index === active));
    });
    if (active >= 0) {
      invite.setAttribute('aria-activedescendant', 'invite-result-' + active);
    } else {
      invite.removeAttribute('aria-activedescendant');
    }
  }

  function pickInvitee(person) {
    invite.value = person.username;
    showOffered([]);
    invite.focus();
  }

  invite.addEventListener('input', () => {
    clearTimeout(inviteTimer);
    const text = invite.value.trim();
    if (text === '') {
      showOffered([]);
      return;
    }
    inviteTimer = setTimeout(async () => {
      const number = ++inviteNumber;
      try {
        const people = await ask('directory/people?q=' + encodeURIComponent(text));
        if (number === inviteNumber && invite.value.trim() === text) {
          showOffered(people);
        }
      } catch (failed) {
        showOffered([]);
      }
    }, SEARCH_DELAY_MS);
  });
  invite.addEventListener('keydown', (event) => {
    if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && offered.length > 0) {
      event.preventDefault();
      active = (active + (event.key === 'ArrowDown' ? 1 : -1) + offered.length) % offered.length;
      showActive();
    } else if (event.key === 'Enter' && active >= 0 && !inviteResults.hidden) {
      event.preventDefault(); // picks; the next Enter invites
      pickInvitee(offered[active]);
    } else if (event.key === 'Escape' && !inviteResults.hidden) {
      event.preventDefault();
      showOffered([]);
    }
  });
  invite.addEventListener('blur', () => setTimeout(() => showOffered([]), 150));
})();
