// The desk's only script; every page works without it.
//
// 1. Keeps the queue up to date without reloading the page: every 20 seconds it asks the desk
// for the queue's rows and replaces them when they changed (server-rendered, escaped HTML) with the same filters. When new
// tickets have come, a polite live region says so. While the keyboard focus is inside the
// table, the rows are left alone and a button offers to show the new list instead.
(function () {
  "use strict";
  var table = document.getElementById("queue");
  if (!table || !window.fetch) { return; }
  var rows = document.getElementById("queue-rows");
  var status = document.getElementById("queue-status");
  var url = table.getAttribute("data-poll") + window.location.search;
  var newest = parseInt(table.getAttribute("data-newest") || "0", 10);
  var signature = table.getAttribute("data-signature");
  var pending = null;

  function count(n) { return n + (n === 1 ? " sak" : " saker"); }

  function show(data) {
    rows.innerHTML = data.html;
    signature = data.signature;
    var fresh = data.newest > newest;
    newest = Math.max(newest, data.newest);
    pending = null;
    var message = (fresh ? "Nye saker har kommet. " : "") + count(data.count) + ". Eldste først. Listen oppdateres av seg selv.";
    if (status.textContent !== message) { status.textContent = message; }
  }

  function offer(data) {
    pending = data;
    status.textContent = "Nye saker har kommet. ";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = "Vis oppdatert liste";
    button.addEventListener("click", function () { if (pending) { show(pending); } });
    status.appendChild(button);
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || data.signature === signature) { return; }
        if (rows.contains(document.activeElement)) {
          if (data.newest > newest) { offer(data); }
          return;
        }
        show(data);
      })
      .catch(function () { /* the next poll tries again */ });
  }

  window.setInterval(poll, 20000);
})();

// 2. Live chat: every page tells the desk it is still open (so citizens are offered a chat only
// while someone is here) and shows how many citizens wait for a chat. The chat list and an open
// chat's transcript refresh themselves, with server-rendered, escaped HTML.
(function () {
  "use strict";
  if (!window.fetch) { return; }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; });
  }

  var badge = document.getElementById("chat-waiting");
  var announce = document.getElementById("chat-announce");
  var waiting = 0;
  function status() {
    getJson(badge.getAttribute("data-poll")).then(function (data) {
      if (!data) { return; }
      badge.textContent = data.waiting > 0 ? "(" + data.waiting + " venter)" : "";
      if (data.waiting > waiting && announce) {
        announce.textContent = data.waiting === 1 ? "En innbygger venter på chat." : data.waiting + " innbyggere venter på chat.";
      }
      waiting = data.waiting;
    }).catch(function () { /* the next poll tries again */ });
  }
  if (badge) { status(); window.setInterval(status, 10000); }

  function refresher(element, every) {
    if (!element) { return; }
    var url = element.getAttribute("data-poll");
    var signature = element.getAttribute("data-signature");
    var timer = window.setInterval(function () {
      getJson(url).then(function (data) {
        if (!data) { return; }
        if (data.signature !== signature && !element.contains(document.activeElement)) {
          element.innerHTML = data.html;
          signature = data.signature;
        }
        if (data.open === false) { window.clearInterval(timer); }
      }).catch(function () { /* the next poll tries again */ });
    }, every);
  }
  refresher(document.getElementById("chat-list"), 3000);
  var transcript = document.getElementById("transcript");
  if (transcript && transcript.getAttribute("data-poll")) { refresher(transcript, 2000); }
})();

// 3. The answer editor: while the editor types, the desk measures each language's LIX, shows the
// answer as the bot would give it (filled from kommune.yml) and lists what blocks publishing. The
// desk computes all of it (bot/answers/editing.py); this only sends the form and shows the reply
// as text. Without the script the same shows after saving.
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var timer = null, sent = 0;

  function lixText(info) {
    if (info.lix === null) { return "Ingen tekst ennå."; }
    return "LIX " + info.lix + (info.lix_ok ? " – lett å lese." : " – for tungt. Skriv kortere setninger og ord (under 40).");
  }

  function show(data) {
    Object.keys(data.languages).forEach(function (lang) {
      var info = data.languages[lang];
      var lix = form.querySelector('[data-lix="' + lang + '"]');
      if (lix && lix.textContent !== lixText(info)) {
        lix.textContent = lixText(info);
        lix.classList.toggle("bad", !info.lix_ok);
      }
      var text = form.querySelector('[data-preview-text="' + lang + '"]');
      if (text) { text.textContent = info.text; }
      var fallback = form.querySelector('[data-fallback="' + lang + '"]');
      if (fallback) { fallback.hidden = info.written || !info.text; }
    });
    var list = document.getElementById("publish-problems");
    list.textContent = "";
    var problems = data.problems.length ? data.problems : ["Ingenting hindrer publisering."];
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.textContent = problem;
      if (!data.problems.length) { item.className = "ok"; }
      list.appendChild(item);
    });
  }

  function update() {
    var mine = ++sent;
    fetch(form.getAttribute("data-preview"), {
      method: "POST", credentials: "same-origin", body: new FormData(form), headers: { "Accept": "application/json" }
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && mine === sent) { show(data); } })
      .catch(function () { /* the next keystroke tries again */ });
  }

  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 300);
  });
})();
