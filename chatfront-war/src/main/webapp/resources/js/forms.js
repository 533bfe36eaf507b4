// A form that came back with errors: focus goes to the first field in error (the pages mark it
// aria-invalid), so that a keyboard or screen-reader user starts where the problem is.
(function () {
  "use strict";
  var first = document.querySelector('[aria-invalid="true"]');
  if (first) {
    first.focus();
  }
})();

// A button with data-confirm asks before its form is sent (deleting a bot on the profile page):
// the pages allow no inline script (Content-Security-Policy), so the question is attached here.
document.addEventListener("click", function (event) {
  "use strict";
  var button = event.target.closest ? event.target.closest("[data-confirm]") : null;
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
