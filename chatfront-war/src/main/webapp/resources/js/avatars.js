/*
 * Avatars: a person's initials on a colour derived from their username, the same colour on every
 * page and device (uploaded pictures come with files later). The colours are the CSS custom
 * properties --avatar-0 … --avatar-11 (chat.css), each dark enough for white initials to meet
 * WCAG AA (4.5:1); a theme may override them. Elements the server rendered with
 * data-avatar-username (the profile page, the members panel) are filled in here; the chat page's
 * script makes its own through window.teamchatAvatars.
 */
(() => {
  'use strict';

  const COLOURS = 12;

  /** FNV-1a over the username's UTF-16 code units, lower-cased: usernames compare ignoring case. */
  function colourIndex(username) {
    let hash = 0x811c9dc5;
    const text = String(username || '').toLowerCase();
    for (let i = 0; i < text.length; i += 1) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash % COLOURS;
  }

  /** Up to two initials: of the first two words of the name, else the username's first letter. */
  function initials(name, username) {
    const words = String(name || '').trim().split(/\s+/).filter((word) => word !== '');
    const letters = words.slice(0, 2).map((word) => Array.from(word)[0]);
    if (letters.length === 0) {
      letters.push(Array.from(String(username || '?'))[0] || '?');
    }
    return letters.join('').toLocaleUpperCase();
  }

  /** Makes `element` the avatar of this person (text only: never markup). */
  function paint(element, username, name) {
    element.classList.add('avatar');
    element.dataset.colour = String(colourIndex(username));
    element.textContent = initials(name, username);
    element.setAttribute('aria-hidden', 'true');
    return element;
  }

  function avatar(username, name) {
    return paint(document.createElement('span'), username, name);
  }

  for (const element of document.querySelectorAll('[data-avatar-username]')) {
    paint(element, element.dataset.avatarUsername, element.dataset.avatarName);
  }

  window.teamchatAvatars = Object.freeze({ avatar: avatar, paint: paint, colourIndex: colourIndex });
})();
