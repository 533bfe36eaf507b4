// The room's slash commands in the members panel (docs/api.md, "Slash commands"), for the room's
// owners: asked for rooms the sidebar marks as owned, and shown when chatfront answers the list
// (to owners only); hidden otherwise. Register (the secret is shown once), list with each command's last
// error, revoke. Every name, URL and error reaches the page through textContent.
(function () {
  'use strict';

  const screen = window.chatScreen;
  const chat = document.getElementById('chat');
  const section = document.getElementById('room-commands');
  if (!screen || !chat || !section) {
    return;
  }
  const list = document.getElementById('room-commands-list');
  const form = document.getElementById('room-command-form');
  const error = document.getElementById('room-command-error');
  const secret = document.getElementById('room-command-secret');
  const fields = {
    name: document.getElementById('command-name'),
    url: document.getElementById('command-url'),
    bot: document.getElementById('command-bot'),
  };
  /** The room the section shows, so that a late answer for another room is dropped. */
  let shown = null;

  function path(room) {
    return 'rooms/' + encodeURIComponent(room) + '/commands';
  }

  async function load() {
    const room = chat.dataset.room;
    shown = room;
    secret.hidden = true;
    error.hidden = true;
    // The sidebar knows the user's role in each room: only owners ask (the server decides all the
    // same), so members' room switches cost no request.
    const link = document.querySelector('a.sidebar-room[data-room="' + room + '"]');
    if (!room || !link || link.dataset.role !== 'owner') {
      section.hidden = true;
      return;
    }
    let answer;
    try {
      answer = await screen.ask('GET', path(room), undefined, 'Commands could not be loaded.');
    } catch (notOwner) {
      if (shown === room) {
        section.hidden = true;
      }
      return;
    }
    if (shown !== room) {
      return;
    }
    render(room, answer.commands);
    section.hidden = false;
  }

  function render(room, commands) {
    list.replaceChildren();
    for (const command of commands) {
      const item = document.createElement('li');
      const name = document.createElement('strong');
      name.textContent = '/' + command.name;
      const target = document.createElement('span');
      target.className = 'command-target';
      target.textContent = command.url + ' · ' + command.bot;
      item.append(name, ' ', target);
      if (command.last_error) {
        const failed = document.createElement('span');
        failed.className = 'command-error';
        failed.textContent = 'Last failure: ' + command.last_error;
        item.append(failed);
      }
      const revoke = document.createElement('button');
      revoke.type = 'button';
      revoke.className = 'link';
      revoke.textContent = 'Revoke';
      revoke.setAttribute('aria-label', 'Revoke /' + command.name);
      revoke.addEventListener('click', async () => {
        if (!window.confirm('Revoke /' + command.name + '? Messages will no longer call it.')) {
          return;
        }
        try {
          await screen.ask('DELETE', path(room) + '/' + command.id, undefined,
            'The command could not be revoked.');
        } catch (failed) {
          showError(failed.message);
          return;
        }
        load();
      });
      item.append(revoke);
      list.append(item);
    }
  }

  function showError(text) {
    error.textContent = text;
    error.hidden = false;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const room = chat.dataset.room;
    let made;
    try {
      made = await screen.ask('POST', path(room), {
        name: fields.name.value.trim(),
        url: fields.url.value.trim(),
        bot: fields.bot.value.trim(),
      }, 'The command could not be added.');
    } catch (refused) {
      showError(refused.message);
      return;
    }
    form.reset();
    await load();
    document.getElementById('room-command-secret-name').textContent = '/' + made.command.name;
    document.getElementById('room-command-secret-value').textContent = made.secret;
    secret.hidden = false;
  });

  new MutationObserver(load).observe(chat, { attributes: true, attributeFilter: ['data-room'] });
  load();
})();
