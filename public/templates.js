// Response templates in the inbox reply box, without inline script (CSP script-src 'self').
//
// A textarea with data-templates='[{"code": "...", "text": "..."}]' (rendered for the contact by
// the server) replaces "/code" before the caret with the template's text when the agent presses
// Space, Tab or Enter right after it. The text goes in as text (the textarea's value), never as HTML.
(function () {
  'use strict';

  function templatesOf(area) {
    if (area._templates) return area._templates;
    try {
      area._templates = JSON.parse(area.getAttribute('data-templates') || '[]');
    } catch (e) {
      area._templates = [];
    }
    return area._templates;
  }

  function insert(area) {
    var caret = area.selectionStart;
    if (caret !== area.selectionEnd) return false;
    var before = area.value.slice(0, caret);
    var m = /(^|\s)\/([a-z0-9][a-z0-9_-]{0,31})$/i.exec(before);
    if (!m) return false;
    var code = m[2].toLowerCase();
    var found = templatesOf(area).filter(function (t) { return t.code === code; })[0];
    if (!found) return false;
    var start = caret - code.length - 1;
    area.value = area.value.slice(0, start) + found.text + area.value.slice(caret);
    var at = start + found.text.length;
    area.setSelectionRange(at, at);
    area.dispatchEvent(new Event('input', { bubbles: true }));
    return true;
  }

  document.addEventListener('keydown', function (e) {
    var area = e.target;
    if (!area || area.tagName !== 'TEXTAREA' || !area.hasAttribute('data-templates')) return;
    if (e.key !== ' ' && e.key !== 'Tab' && e.key !== 'Enter') return;
    if (e.shiftKey || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    if (insert(area)) e.preventDefault();
  });
})();
