// Small form behaviours for every page, without inline script (CSP script-src 'self'):
// - a select marked data-autosubmit sends its form as soon as it changes (the language menu:
//   no separate button);
// - a textarea with data-max-chars="<n>" says, in the page's language (its data-too-long text,
//   "{count}" filled in), when it holds more than n characters: a pasted message is kept whole and
//   not sent until shortened, where maxlength would cut it silently. Characters are code points,
//   as the server counts them.
(function () {
  'use strict';

  function autosubmit(e) {
    var el = e.target;
    if (!el || !el.matches || !el.matches('select[data-autosubmit]') || !el.form) return;
    if (el.form.requestSubmit) el.form.requestSubmit();
    else el.form.submit();
  }

  function checkLength(el) {
    var max = Number(el.getAttribute('data-max-chars'));
    var count = Array.from(el.value).length;
    var message = count > max ? (el.getAttribute('data-too-long') || '').split('{count}').join(String(count)) : '';
    el.setCustomValidity(message);
    el.setAttribute('aria-invalid', message ? 'true' : 'false');
    var note = el.parentNode && el.parentNode.querySelector('.length-note');
    if (note) {
      note.textContent = message;
      note.hidden = !message;
    }
  }

  function onInput(e) {
    var el = e.target;
    if (el && el.matches && el.matches('textarea[data-max-chars]')) checkLength(el);
  }

  document.addEventListener('change', autosubmit);
  document.addEventListener('input', onInput);
})();
