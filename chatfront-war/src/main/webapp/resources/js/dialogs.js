// The chat screen's dialogs (docs/web-app.md, "Conversations"): create a room, start a direct
// conversation with one to seven people, browse public rooms and join one. Each asks chatfront's
// /session/directory, and the room it ends in joins the sidebar and opens in place (chat.js's
// window.chatScreen). Modal <dialog>s: the page behind is inert (focus stays in the dialog), Esc
// closes, and focus goes back to the button that opened it.
// Names of rooms and people reach the page only through textContent.
(function () {
  'use strict';

  const screen = window.chatScreen;
  const sidebarList = document.getElementById('sidebar-rooms');
  if (!screen || !sidebarList) {
    return;
  }
  /** Time between the last key and the search it starts. */
  const SEARCH_DELAY_MS = 150;
  /** The most people one may pick: with oneself, the 8 people a direct conversation may have. */
  const MAX_PICKED = 7;

  // ---- the frame every dialog shares

  /** The button that opened each dialog, which gets the focus back when it closes. */
  const openers = new Map();

  function openDialog(dialog, opener, prepare) {
    openers.set(dialog, opener);
    prepare();
    dialog.showModal();
  }

  for (const dialog of document.querySelectorAll('dialog.panel-dialog')) {
    for (const close of dialog.querySelectorAll('.dialog-close, .dialog-cancel')) {
      close.addEventListener('click', () => dialog.close());
    }
    // A click on the backdrop (the dialog element itself, outside its content) closes it too.
    dialog.addEventListener('click', (event) => {
      if (event.target === dialog) {
        dialog.close();
      }
    });
    dialog.addEventListener('close', () => {
      const opener = openers.get(dialog);
      if (opener && opener.getClientRects().length > 0) {
        opener.focus();
      } else {
        // On a phone the sidebar drawer with the opener closes on a click beside it (chat.js):
        // the button that opens the drawer stands in for it.
        const drawerOpener = document.getElementById('sidebar-open');
        if (drawerOpener && drawerOpener.getClientRects().length > 0) {
          drawerOpener.focus();
        }
      }
    });
  }

  /** chatfront's directory answers (chat.js's window.chatScreen.ask). */
  function ask(method, path, body) {
    return screen.ask(method, 'directory/' + path, body, 'That did not work. Try again.');
  }

  /** Shows a field's problem beside it (or clears it), as the pages' forms do. */
  function fieldProblem(field, message, text) {
    message.textContent = text || '';
    message.hidden = !text;
    if (field) {
      if (text) {
        field.setAttribute('aria-invalid', 'true');
      } else {
        field.removeAttribute('aria-invalid');
      }
    }
  }

  /** The room the dialog ended in: into the sidebar where it belongs, then open in place. */
  const arrive = screen.arrive;

  // ---- create a room

  const createDialog = document.getElementById('create-room-dialog');
  const createForm = document.getElementById('create-room-form');
  const createName = document.getElementById('create-room-name');
  const createNameError = document.getElementById('create-room-name-error');
  const createTopic = document.getElementById('create-room-topic');
  const createTopicError = document.getElementById('create-room-topic-error');
  const createSubmit = document.getElementById('create-room-submit');

  document.getElementById('sidebar-add').addEventListener('click', (event) => {
    openDialog(createDialog, event.currentTarget, () => {
      createForm.reset();
      fieldProblem(createName, createNameError, '');
      fieldProblem(createTopic, createTopicError, '');
    });
  });

  createForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    fieldProblem(createName, createNameError, '');
    fieldProblem(createTopic, createTopicError, '');
    if (createName.value.trim() === '') {
      // The rooms page's words for the same mistake.
      fieldProblem(createName, createNameError, 'Give the room a name.');
      createName.focus();
      return;
    }
    const visibility = createForm.querySelector('input[name="create-room-visibility"]:checked');
    createSubmit.disabled = true;
    try {
      const summary = await ask('POST', 'rooms', {
        name: createName.value,
        topic: createTopic.value,
        public: !visibility || visibility.value === 'public',
      });
      createDialog.close();
      arrive(summary);
    } catch (refused) {
      // chatfront's sentence says which field: the topic's start with "A topic".
      const topic = refused.message.startsWith('A topic');
      const field = topic ? createTopic : createName;
      fieldProblem(field, topic ? createTopicError : createNameError, refused.message);
      field.focus();
    } finally {
      createSubmit.disabled = false;
    }
  });

  // ---- start a direct conversation: pick one to seven people

  const directDialog = document.getElementById('direct-dialog');
  const directForm = document.getElementById('direct-form');
  const chosenList = document.getElementById('direct-chosen');
  const search = document.getElementById('direct-search');
  const results = document.getElementById('direct-results');
  const directError = document.getElementById('direct-error');
  const directSubmit = document.getElementById('direct-submit');
  /** The people picked, in the order picked: username -> display name. */
  const picked = new Map();
  /** The people the list shows, and which of them is active (arrow keys), -1 for none. */
  let found = [];
  let active = -1;
  let searchTimer = null;
  /** Answers to older searches are dropped (they may arrive after newer ones). */
  let searchNumber = 0;

  document.getElementById('direct-add').addEventListener('click', (event) => {
    openDialog(directDialog, event.currentTarget, () => {
      picked.clear();
      showPicked();
      search.value = '';
      showFound([]);
      fieldProblem(search, directError, '');
    });
  });

  function showPicked() {
    const items = [];
    for (const [username, name] of picked) {
      const item = document.createElement('li');
      const label = document.createElement('span');
      label.textContent = name;
      label.title = '@' + username;
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'chip-remove';
      remove.textContent = '✕';
      remove.setAttribute('aria-label', 'Remove ' + name);
      remove.addEventListener('click', () => {
        picked.delete(username);
        showPicked();
        search.focus();
      });
      item.append(label, remove);
      items.push(item);
    }
    chosenList.replaceChildren(...items);
    chosenList.hidden = items.length === 0;
  }

  function showFound(people) {
    found = people.filter((person) => !picked.has(person.username));
    active = found.length > 0 ? 0 : -1;
    const items = found.map((person, index) => {
      const item = document.createElement('li');
      item.id = 'direct-result-' + index;
      item.setAttribute('role', 'option');
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = person.display_name;
      const handle = document.createElement('span');
      handle.className = 'handle';
      handle.textContent = '@' + person.username;
      item.append(name, handle);
      if (person.bot === true) {
        // A bot account's tag, as in the member list: text, never HTML.
        const badge = document.createElement('span');
        badge.className = 'bot-badge';
        badge.textContent = 'BOT';
        item.append(badge);
      }
      // mousedown, not click: the field keeps the focus.
      item.addEventListener('mousedown', (event) => {
        event.preventDefault();
        pick(person);
      });
      return item;
    });
    results.replaceChildren(...items);
    results.hidden = items.length === 0;
    search.setAttribute('aria-expanded', String(items.length > 0));
    showActive();
  }

  function showActive() {
    [...results.children].forEach((item, index) => {
      item.setAttribute('aria-selected', String(index === active));
    });
    if (active >= 0) {
      search.setAttribute('aria-activedescendant', 'direct-result-' + active);
      results.children[active].scrollIntoView({ block: 'nearest' });
    } else {
      search.removeAttribute('aria-activedescendant');
    }
  }

  function pick(person) {
    if (picked.size >= MAX_PICKED) {
      fieldProblem(search, directError,
        'A direct conversation is for at most 8 people: you and ' + MAX_PICKED + ' others.');
      return;
    }
    picked.set(person.username, person.display_name);
    fieldProblem(search, directError, '');
    search.value = '';
    showPicked();
    showFound([]);
    search.focus();
  }

  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    const text = search.value.trim();
    if (text === '') {
      showFound([]);
      return;
    }
    searchTimer = setTimeout(async () => {
      const number = ++searchNumber;
      try {
        const people = await ask('GET', 'people?q=' + encodeURIComponent(text));
        if (number === searchNumber && search.value.trim() === text) {
          showFound(people);
        }
      } catch (failed) {
        fieldProblem(search, directError, failed.message);
      }
    }, SEARCH_DELAY_MS);
  });

  search.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (found.length > 0) {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        active = (active + step + found.length) % found.length;
        showActive();
      }
    } else if (event.key === 'Enter') {
      if (active >= 0 && !results.hidden) {
        event.preventDefault(); // picks; an empty field's Enter starts the conversation
        pick(found[active]);
      }
    } else if (event.key === 'Escape' && !results.hidden) {
      event.preventDefault(); // the first Esc closes the list, the next the dialog
      showFound([]);
    } else if (event.key === 'Backspace' && search.value === '' && picked.size > 0) {
      picked.delete([...picked.keys()].pop());
      showPicked();
    }
  });

  directForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (picked.size === 0) {
      fieldProblem(search, directError, 'Choose at least one person.');
      search.focus();
      return;
    }
    directSubmit.disabled = true;
    try {
      const summary = await ask('POST', 'conversations', { usernames: [...picked.keys()] });
      directDialog.close();
      arrive(summary);
    } catch (refused) {
      fieldProblem(search, directError, refused.message);
      search.focus();
    } finally {
      directSubmit.disabled = false;
    }
  });

  // ---- browse public rooms and join one

  const browseDialog = document.getElementById('browse-dialog');
  const browseFilter = document.getElementById('browse-filter');
  const browseStatus = document.getElementById('browse-status');
  const browseList = document.getElementById('browse-list');
  /** The public rooms of the last answer. */
  let publicRooms = [];

  document.getElementById('browse-rooms').addEventListener('click', (event) => {
    openDialog(browseDialog, event.currentTarget, () => {
      browseFilter.value = '';
      publicRooms = [];
      browseList.replaceChildren();
      browseStatus.textContent = 'Loading rooms…';
      loadPublicRooms();
    });
  });

  async function loadPublicRooms() {
    try {
      publicRooms = await ask('GET', 'rooms');
      showPublicRooms();
    } catch (failed) {
      browseStatus.textContent = failed.message;
    }
  }

  function showPublicRooms() {
    const wanted = browseFilter.value.trim().toLocaleLowerCase();
    const shown = publicRooms.filter((candidate) =>
      candidate.name.toLocaleLowerCase().includes(wanted)
      || candidate.topic.toLocaleLowerCase().includes(wanted));
    browseList.replaceChildren(...shown.map(publicRoomItem));
    if (publicRooms.length === 0) {
      browseStatus.textContent = 'There are no public rooms you are not in. Create one with the + beside Rooms.';
    } else if (shown.length === 0) {
      browseStatus.textContent = 'No public room matches.';
    } else {
      browseStatus.textContent = shown.length === 1 ? '1 room' : shown.length + ' rooms';
    }
  }

  function publicRoomItem(candidate) {
    const item = document.createElement('li');
    const text = document.createElement('div');
    text.className = 'browse-text';
    const name = document.createElement('span');
    name.className = 'room-name';
    name.textContent = candidate.name;
    text.append(name);
    if (candidate.topic) {
      const topic = document.createElement('span');
      topic.className = 'topic';
      topic.textContent = candidate.topic;
      text.append(topic);
    }
    const join = document.createElement('button');
    join.type = 'button';
    join.className = 'small';
    join.textContent = 'Join';
    join.setAttribute('aria-label', 'Join ' + candidate.name);
    const problem = document.createElement('p');
    problem.className = 'field-error';
    problem.hidden = true;
    join.addEventListener('click', async () => {
      join.disabled = true;
      try {
        const summary = await ask('POST', 'rooms/' + candidate.id + '/join');
        browseDialog.close();
        arrive(summary);
      } catch (refused) {
        fieldProblem(null, problem, refused.message);
        join.disabled = false;
      }
    });
    item.append(text, join, problem);
    return item;
  }

  browseFilter.addEventListener('input', showPublicRooms);
})();
