// minhbach serve: the live preview's script, added to every page it serves
// (never to a built site). It listens for rebuilds on a WebSocket: a page
// that changed reloads where it was scrolled to; a content error is shown
// over the page until it is fixed. Text from the server is set with
// textContent only, and styles through the CSSOM, which the pages' policy
// allows.
(function () {
  'use strict';
  var KEY = 'minhbach-serve-scroll';
  var here = location.pathname.replace(/^\/+/, '');
  if (here === '' || /\/$/.test(here)) here += 'index.html';
  try { here = decodeURIComponent(here); } catch (e) { /* keep it */ }

  // Back where the page was before it reloaded.
  try {
    var saved = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    if (saved && saved.path === location.pathname) {
      sessionStorage.removeItem(KEY);
      window.addEventListener('load', function () { window.scrollTo(saved.x, saved.y); });
    }
  } catch (e) { /* no storage */ }

  function reload() {
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ path: location.pathname, x: window.scrollX, y: window.scrollY }));
    } catch (e) { /* no storage */ }
    location.reload();
  }

  var overlay = null;
  function clear() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function show(problems) {
    clear();
    overlay = document.createElement('div');
    overlay.id = 'minhbach-errors';
    overlay.setAttribute('role', 'alert');
    var s = overlay.style;
    s.position = 'fixed'; s.left = '0'; s.right = '0'; s.bottom = '0'; s.maxHeight = '60vh';
    s.overflow = 'auto'; s.zIndex = '2147483647'; s.background = '#2b0b0b'; s.color = '#fff';
    s.font = '14px/1.5 ui-monospace, Menlo, Consolas, monospace'; s.padding = '12px 16px';
    s.borderTop = '4px solid #e5534b';
    var title = document.createElement('strong');
    title.textContent = problems.length + ' lỗi trong nội dung — trang đang hiển thị bản dựng tốt gần nhất / ' +
      problems.length + ' problem(s) in the content — showing the last good build';
    overlay.appendChild(title);
    problems.forEach(function (p) {
      var item = document.createElement('div');
      item.className = 'problem';
      item.style.marginTop = '10px';
      var at = document.createElement('div');
      at.className = 'at';
      at.style.color = '#ffb4ab';
      at.textContent = p.at;
      var message = document.createElement('div');
      message.className = 'message';
      message.textContent = p.message;
      item.appendChild(at);
      item.appendChild(message);
      if (p.source) {
        var src = document.createElement('pre');
        src.className = 'source';
        src.style.margin = '4px 0 0'; src.style.whiteSpace = 'pre-wrap'; src.style.color = '#d0d7de';
        src.textContent = p.source;
        item.appendChild(src);
      }
      overlay.appendChild(item);
    });
    document.body.appendChild(overlay);
  }

  var delay = 500;
  function connect() {
    var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/__minhbach/ws');
    ws.onopen = function () { delay = 500; };
    ws.onmessage = function (event) {
      var news;
      try { news = JSON.parse(event.data); } catch (e) { return; }
      if (news.kind === 'error') { show(news.problems || []); return; }
      if (news.kind === 'reload') {
        clear();
        if (news.everything || (news.paths || []).indexOf(here) >= 0) reload();
      }
    };
    // The server restarting: try again, more slowly each time.
    ws.onclose = function () {
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5000);
    };
  }
  connect();
})();
