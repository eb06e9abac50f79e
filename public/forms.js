// Small form behaviours for every page, without inline script (CSP script-src 'self'):
// - a select marked data-autosubmit sends its form as soon as it changes (the language menu:
//   no separate button);
// - a textarea with data-max-chars="<n>" says, in the page's language (its data-too-long text,
//   "{count}" filled in), when it holds more than n characters: a pasted message is kept whole and
//   not sent until shortened, where maxlength would cut it silently. Characters are code points,
//   as the server counts them;
// - a link in a form's error summary puts the cursor in the field it names (the link alone would
//   only scroll there).
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

  function focusField(e) {
    var link = e.target && e.target.closest && e.target.closest('.error-summary a[href^="#"]');
    if (!link) return;
    var field = document.getElementById(decodeURIComponent(link.getAttribute('href').slice(1)));
    if (!field) return;
    e.preventDefault();
    var target = field.matches('input, select, textarea, button') ? field : field.querySelector('input, select, textarea') || field;
    target.focus();
    target.scrollIntoView({ block: 'center' });
  }

  document.addEventListener('change', autosubmit);
  document.addEventListener('click', focusField);
  document.addEventListener('input', onInput);
})();
