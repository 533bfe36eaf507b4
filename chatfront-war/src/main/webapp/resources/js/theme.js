// The person's theme: "light", "dark", or (nothing stored) the system's. Loaded in the head,
// before the stylesheets are used, and not deferred: it runs before the first paint, so a chosen
// theme never flashes the other one. (An external file, not an inline script: the
// Content-Security-Policy forbids inline scripts.) chat.css does the rest through color-scheme.
(function () {
  'use strict';
  var KEY = 'teamchat.theme';
  var root = document.documentElement;

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return value === 'light' || value === 'dark' ? value : 'system';
    } catch (e) {
      return 'system'; // storage refused (private mode, policy): follow the system
    }
  }

  function apply(choice) {
    if (choice === 'system') {
      root.removeAttribute('data-theme');
    } else {
      root.setAttribute('data-theme', choice);
    }
  }

  apply(stored());

  // Another tab changed the choice: follow it.
  window.addEventListener('storage', function (event) {
    if (event.key === KEY || event.key === null) {
      apply(stored());
      var select = document.getElementById('theme-choice');
      if (select) select.value = stored();
    }
  });

  // The header's Theme menu (page.xhtml), once the page is there.
  document.addEventListener('DOMContentLoaded', function () {
    var select = document.getElementById('theme-choice');
    if (!select) return;
    select.value = stored();
    select.addEventListener('change', function () {
      var choice = select.value === 'light' || select.value === 'dark' ? select.value : 'system';
      try {
        if (choice === 'system') {
          window.localStorage.removeItem(KEY);
        } else {
          window.localStorage.setItem(KEY, choice);
        }
      } catch (e) {
        // not kept, but still applied to this page
      }
      apply(choice);
    });
  });
})();
