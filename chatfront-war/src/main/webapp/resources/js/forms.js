// A form that came back with errors: focus goes to the first field in error (the pages mark it
// aria-invalid), so that a keyboard or screen-reader user starts where the problem is.
(function () {
  "use strict";
  var first = document.querySelector('[aria-invalid="true"]');
  if (first) {
    first.focus();
  }
})();
