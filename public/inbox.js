// Live updates for signed-in pages, without inline script (CSP script-src 'self').
//
// An element with data-live-src="<SSE URL>" holds one EventSource. Each server event
// ("message", "conversation", "channel") triggers the htmx event "live" on the elements inside
// it whose data-live-on lists that event name (and, with data-live-conversation, only for that
// conversation); those elements carry hx-get / hx-trigger="live …" and refresh themselves. A
// handoff (the AI hands a conversation to a person) also marks the tab's title while it is hidden.
//
// Also: a form with data-max-bytes refuses a file above the cap before uploading it, and the
// message list of a thread stays scrolled to the newest message.
(function () {
  'use strict';

  function connect(root) {
    var holders = root.querySelectorAll ? Array.prototype.slice.call(root.querySelectorAll('[data-live-src]')) : [];
    if (root.hasAttribute && root.hasAttribute('data-live-src')) holders.push(root);
    holders.forEach(function (holder) {
      if (holder._liveSource) return;
      var source = new EventSource(holder.getAttribute('data-live-src'));
      holder._liveSource = source;
      holder.setAttribute('data-live-state', 'connecting');
      source.addEventListener('open', function () { holder.setAttribute('data-live-state', 'live'); });
      source.addEventListener('error', function () {
        if (!holder.isConnected) source.close();
        else holder.setAttribute('data-live-state', 'reconnecting');
      });
      ['message', 'conversation', 'channel'].forEach(function (name) {
        source.addEventListener(name, function (e) {
          if (!holder.isConnected) { source.close(); return; }
          var data = {};
          try { data = JSON.parse(e.data); } catch (err) { data = {}; }
          if (data.handoff) markHandoff();
          holder.querySelectorAll('[data-live-on]').forEach(function (el) {
            if ((' ' + el.getAttribute('data-live-on') + ' ').indexOf(' ' + name + ' ') < 0) return;
            var only = el.getAttribute('data-live-conversation');
            if (only && data.conversation_id && only !== data.conversation_id) return;
            window.htmx.trigger(el, 'live', data);
          });
        });
      });
    });
  }

  // A conversation needs a person (the AI handed off): the list shows its badge; an agent on
  // another tab sees a mark in this tab's title until they come back to it.
  var MARK = '(!) ';
  function markHandoff() {
    if (!document.hidden || document.title.indexOf(MARK) === 0) return;
    document.title = MARK + document.title;
    document.addEventListener('visibilitychange', function clear() {
      if (document.hidden) return;
      if (document.title.indexOf(MARK) === 0) document.title = document.title.slice(MARK.length);
      document.removeEventListener('visibilitychange', clear);
    });
  }

  function closeWithin(el) {
    if (el._liveSource) { el._liveSource.close(); el._liveSource = null; }
  }

  // Follow new messages only when the reader was already at the newest one (not reading older ones).
  var followThread = true;
  function scrollThread(root) {
    var list = root.id === 'messages' ? root : root.querySelector && root.querySelector('#messages');
    if (list && followThread) list.scrollTop = list.scrollHeight;
    followThread = true;
  }
  function rememberScroll(e) {
    var list = e.detail && e.detail.target;
    if (!list || list.id !== 'messages') return;
    var older = e.detail.requestConfig && /[?&]older=/.test(e.detail.requestConfig.path || '');
    followThread = !older && list.scrollHeight - list.scrollTop - list.clientHeight < 60;
  }

  function checkFileSize(e) {
    var input = e.target;
    if (!input || input.type !== 'file' || !input.form || !input.form.hasAttribute('data-max-bytes')) return;
    var max = Number(input.form.getAttribute('data-max-bytes'));
    var file = input.files && input.files[0];
    input.setCustomValidity(file && file.size > max ? input.form.getAttribute('data-too-large') || 'Too large' : '');
    input.reportValidity();
  }

  function start() {
    if (!window.htmx) return;
    window.htmx.onLoad(function (el) { connect(el); scrollThread(el); });
    connect(document.body);
    document.body.addEventListener('htmx:beforeSwap', rememberScroll);
    document.body.addEventListener('htmx:beforeCleanupElement', function (e) { closeWithin(e.target); });
    document.addEventListener('change', checkFileSize);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
