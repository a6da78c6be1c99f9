// Reader signals for the article page: a view beacon, the helpful poll, and
// "Có thể bạn quan tâm" from the reader's own history (kept in this browser only).
// The page HTML is the same for everyone; only these requests know the reader.
(function () {
  "use strict";
  var marker = document.querySelector("[data-engage]");
  if (!marker || !window.fetch) return;
  var id = marker.getAttribute("data-engage");
  var api = "/api/v1/articles/" + id;
  var HISTORY = "diemtin.seen";
  var KEEP = 50;

  function post(url, body, token) {
    var headers = { "Content-Type": "application/json" };
    if (token) headers["X-CSRF-Token"] = token;
    return fetch(url, {
      method: "POST", credentials: "same-origin", keepalive: true,
      headers: headers, body: JSON.stringify(body || {})
    });
  }

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) el.className = cls;
    return el;
  }

  // -- the helpful poll --------------------------------------------------------
  var poll = document.querySelector("[data-poll='" + id + "']");
  var result = poll && poll.querySelector("[data-poll-result]");
  var token = null;

  function show(state) {
    if (!result || state.mine === null || state.mine === undefined) return;
    var share = state.share === null ? 0 : Math.round(state.share * 100);
    result.textContent = "Cảm ơn bạn! " + share + "% bạn đọc thấy bài viết này hữu ích (" +
      (state.helpful + state.unhelpful) + " lượt bình chọn).";
    poll.querySelectorAll("[data-vote]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-vote") === (state.mine ? "1" : "0")));
    });
  }

  function vote(event) {
    var helpful = event.currentTarget.getAttribute("data-vote") === "1";
    post(api + "/vote", { helpful: helpful }, token).then(function (r) {
      if (r.status === 403 && result) result.textContent = "Phiên bình chọn đã hết hạn, hãy tải lại trang.";
      else if (r.status === 429 && result) result.textContent = "Bạn bình chọn quá nhanh, hãy thử lại sau.";
      return r.ok ? r.json() : null;
    }).then(function (state) { if (state) show(state); });
  }

  function loadPoll() {
    return fetch(api + "/poll", { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (state) {
      if (!state || !poll) return;
      token = state.token;
      poll.querySelectorAll("[data-vote]").forEach(function (b) {
        b.disabled = false;
        b.addEventListener("click", vote);
      });
      show(state);
    });
  }

  // -- reading history and "Có thể bạn quan tâm" ----------------------------------
  function history() {
    try {
      var seen = JSON.parse(localStorage.getItem(HISTORY) || "[]");
      return Array.isArray(seen) ? seen.filter(function (x) { return /^\d+$/.test(String(x)); }) : [];
    } catch (e) { return []; }
  }

  function remember() {
    var seen = history().filter(function (x) { return String(x) !== id; });
    seen.unshift(id);
    try { localStorage.setItem(HISTORY, JSON.stringify(seen.slice(0, KEEP))); } catch (e) { /* private mode */ }
  }

  function render(box, items) {
    var list = document.createElement("ol");
    list.className = "items";
    items.forEach(function (it) {
      var li = document.createElement("li");
      var a = text("a", it.title, "title");
      a.href = it.url;
      li.appendChild(a);
      var info = text("span", "", "info");
      if (it.category) {
        var label = text("a", it.category, "label");
        if (it.category_url) label.href = it.category_url;
        info.appendChild(label);
        info.appendChild(document.createTextNode(" "));
      }
      info.appendChild(text("time", it.time));
      li.appendChild(info);
      if (it.summary) li.appendChild(text("p", it.summary, "summary"));
      list.appendChild(li);
    });
    var old = box.querySelector("ol.items, p.none");
    if (old) box.replaceChild(list, old); else box.appendChild(list);
  }

  function clearControl(box) {
    var button = text("button", "Xoá lịch sử đọc", "clear-history");
    button.type = "button";
    button.addEventListener("click", function () {
      try { localStorage.removeItem(HISTORY); } catch (e) { /* nothing kept */ }
      button.replaceWith(text("p", "Đã xoá lịch sử đọc trên trình duyệt này.", "note"));
    });
    box.appendChild(button);
  }

  function personalise() {
    var box = document.querySelector(".box-quan-tam");
    var seen = history().filter(function (x) { return String(x) !== id; }).slice(0, KEEP);
    remember();
    if (!box || !seen.length) return;
    clearControl(box);
    fetch("/api/v1/for-you?article=" + id + "&seen=" + seen.join(","), { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) { if (body && body.items.length) render(box, body.items); });
  }

  // the cookie comes first (from the poll answer), so the beacon counts this reader
  loadPoll().then(function () { return post(api + "/view"); }, function () { return post(api + "/view"); });
  personalise();
})();
