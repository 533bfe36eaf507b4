// The room's incoming webhooks, in the members panel, for the room's owners (docs/api.md,
// "Incoming webhooks"): the list (name, made by, made, last used), a form that makes one and shows
// its URL once to copy, and a Revoke button each. Asks chatfront's /session/rooms/{room}/webhooks;
// chatfront decides who may (IncomingWebhooks), the section is only hidden from the others.
// Names reach the page only through textContent.
(function () {
  'use strict';

  const chat = document.getElementById('chat');
  const section = document.getElementById('webhooks');
  if (!chat || !section) {
    return;
  }
  const list = document.getElementById('webhook-list');
  const form = document.getElementById('webhook-form');
  const nameInput = document.getElementById('webhook-name');
  const made = document.getElementById('webhook-made');
  const madeUrl = document.getElementById('webhook-url');
  const copyButton = document.getElementById('webhook-copy');
  const error = document.getElementById('webhook-error');
  const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

  function room() {
    return Number(chat.dataset.room);
  }

  /** Whether the signed-in person owns the open room, as the sidebar says (a room, not a DM). */
  function owning() {
    const link = document.querySelector('a.sidebar-room[data-room="' + room() + '"]');
    return link !== null && link.dataset.role === 'owner' && link.dataset.visibility !== 'direct';
  }

  function showError(text) {
    error.textContent = text;
    error.hidden = text === '';
  }

  function when(text) {
    return text ? dateFormat.format(new Date(text)) : 'never';
  }

  async function refused(response) {
    try {
      const problem = await response.json();
      return problem.message || 'That did not work (' + response.status + ').';
    } catch (notJson) {
      return 'That did not work (' + response.status + ').';
    }
  }

  function row(webhook) {
    const item = document.createElement('li');
    item.className = 'webhook' + (webhook.revoked ? ' revoked' : '');
    item.dataset.webhook = String(webhook.id);
    const name = document.createElement('span');
    name.className = 'webhook-name';
    name.textContent = webhook.name;
    const about = document.createElement('span');
    about.className = 'webhook-about hint';
    about.textContent = 'by ' + webhook.createdBy + ', ' + when(webhook.created)
      + ' · last used ' + when(webhook.lastUsed)
      + (webhook.revoked ? ' · revoked ' + when(webhook.revoked) : '');
    item.append(name, about);
    if (!webhook.revoked) {
      const revoke = document.createElement('button');
      revoke.type = 'button';
      revoke.className = 'small secondary webhook-revoke';
      revoke.textContent = 'Revoke';
      revoke.setAttribute('aria-label', 'Revoke ' + webhook.name);
      revoke.addEventListener('click', () => revokeOne(webhook));
      item.append(revoke);
    }
    return item;
  }

  async function load() {
    const shown = room();
    const response = await fetch('session/rooms/' + shown + '/webhooks', { credentials: 'same-origin' });
    if (shown !== room()) {
      return; // another room opened meanwhile
    }
    if (!response.ok) {
      showError(await refused(response));
      return;
    }
    const webhooks = await response.json();
    list.replaceChildren(...webhooks.map(row));
    if (webhooks.length === 0) {
      const none = document.createElement('li');
      none.className = 'hint';
      none.textContent = 'No webhooks yet.';
      list.append(none);
    }
  }

  async function revokeOne(webhook) {
    if (!window.confirm('Revoke "' + webhook.name + '"? Tools that use its URL can no longer post.')) {
      return;
    }
    const response = await fetch('session/rooms/' + room() + '/webhooks/' + webhook.id + '/revoke', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-Chat-Request': '1' },
    });
    showError(response.ok ? '' : await refused(response));
    await load();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError('');
    const response = await fetch('session/rooms/' + room() + '/webhooks', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-Chat-Request': '1', 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: nameInput.value }),
    });
    if (!response.ok) {
      showError(await refused(response));
      return;
    }
    const answer = await response.json();
    // Shown once: chatfront keeps only the secret's hash.
    madeUrl.value = window.location.origin + answer.url;
    made.hidden = false;
    nameInput.value = '';
    await load();
  });

  copyButton.addEventListener('click', async () => {
    madeUrl.select();
    try {
      await navigator.clipboard.writeText(madeUrl.value);
      copyButton.textContent = 'Copied';
    } catch (notAllowed) {
      copyButton.textContent = 'Press Ctrl+C';
    }
  });

  /** Shows the section for the open room (again when another room opens in place). */
  function follow() {
    made.hidden = true;
    madeUrl.value = '';
    copyButton.textContent = 'Copy';
    showError('');
    list.replaceChildren();
    section.hidden = !owning();
    if (!section.hidden && section.open) {
      load();
    }
  }

  section.addEventListener('toggle', () => {
    if (section.open) {
      load();
    }
  });
  new MutationObserver(follow).observe(chat, { attributes: true, attributeFilter: ['data-room'] });
  follow();
})();
