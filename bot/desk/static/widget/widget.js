/*
 * Website chat widget for the servicekontor bot. Served by the desk as /widget.js, with
 * `window.SKWidget.config` put in front (bot/desk/widget.py). A page embeds it with one tag:
 *
 *   <script src="https://<desk>/widget.js" async></script>
 *
 * Optional attributes: data-bot-url (the Rasa server), data-lang (nb, nn or en; otherwise the
 * page's <html lang>, otherwise kommune.yml's malform).
 *
 * It talks to Rasa's Socket.IO channel (credentials.yml): `session_request` on connect,
 * `session_confirm` back, `user_uttered` out, `bot_uttered` in. The session id and the messages
 * shown are kept in sessionStorage (not localStorage: public computers), so the conversation
 * survives reloads and moving between pages, and is gone when the tab is closed.
 *
 * Message text is only ever put in the page with textContent; links are built as elements.
 * No global styles: every class starts with skw-. No build step: plain ES2017.
 */
(function () {
  "use strict";

  var api = (window.SKWidget = window.SKWidget || {});
  if (api.started) {
    return; // embedded twice
  }
  api.started = true;

  var config = api.config || {};
  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  var data = (script && script.dataset) || {};
  var scriptUrl = (script && script.src) || location.href;
  var botUrl = httpUrl(data.botUrl) || httpUrl(config.botUrl) || "";
  var lang = language(data.lang) || language(document.documentElement.lang) || config.defaultLanguage || "nb";
  var texts = (config.texts && (config.texts[lang] || config.texts.nb)) || {};
  var replyTimeout = (Number(config.replyTimeoutSeconds) || 20) * 1000;
  var maxChars = Number(config.maxChars) || 2000;
  var STORAGE_KEY = "skw:" + botUrl;
  var HISTORY_LIMIT = 200;
  var SAFE_SCHEMES = ["http:", "https:", "mailto:", "tel:"];

  var state = loadState();
  // Once the bot knows the conversation's language, the widget's own texts follow it (also after a reload).
  if (state.lang && config.texts && config.texts[state.lang]) {
    lang = state.lang;
    texts = config.texts[lang];
  }
  var socket = null;
  var confirmed = false; // the server has confirmed our session id on this connection
  var failing = false; // the last attempt to connect failed
  var pending = 0; // messages sent and not yet acknowledged
  var queue = []; // messages waiting for the connection
  var queueTimer = null;
  var ioPromise = null;
  var ui = null;
  var mounted = false;

  // --- settings -------------------------------------------------------------------------------

  function httpUrl(value) {
    if (!value) {
      return null;
    }
    try {
      var url = new URL(String(value), scriptUrl);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href.replace(/\/+$/, "") : null;
    } catch (error) {
      return null;
    }
  }

  function language(value) {
    var code = String(value || "").trim().toLowerCase();
    if (/^(nn|no-nyn)\b/.test(code)) {
      return "nn";
    }
    if (/^(nb|no)\b/.test(code)) {
      return "nb";
    }
    if (/^en\b/.test(code)) {
      return "en";
    }
    return null;
  }

  function text(key, values) {
    var result = texts[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      result = result.split("{" + name + "}").join(values[name]);
    });
    return result;
  }

  // --- storage (sessionStorage; a blocked storage just means no history) ---------------------

  function loadState() {
    var empty = { sessionId: null, messages: [], open: false, greeted: false, draft: "", lang: null };
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || "null");
      if (saved && typeof saved === "object" && Array.isArray(saved.messages)) {
        return {
          sessionId: typeof saved.sessionId === "string" ? saved.sessionId : null,
          messages: saved.messages.filter(function (m) {
            return m && typeof m === "object" && typeof m.text === "string";
          }),
          open: saved.open === true,
          greeted: saved.greeted === true,
          draft: typeof saved.draft === "string" ? saved.draft : "",
          lang: language(saved.lang),
        };
      }
    } catch (error) {
      /* no storage or bad JSON: start afresh */
    }
    return empty;
  }

  function saveState() {
    if (state.messages.length > HISTORY_LIMIT) {
      state.messages = state.messages.slice(-HISTORY_LIMIT);
    }
    try {
      window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (error) {
      /* full or blocked: the conversation still works, it just will not survive a reload */
    }
  }

  // --- DOM helpers ----------------------------------------------------------------------------

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (content !== undefined && content !== null) {
      node.textContent = content;
    }
    return node;
  }

  function srOnly(content) {
    return el("span", "skw-sr", content);
  }

  function icon(paths, className) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", className || "skw-icon");
    paths.forEach(function (d) {
      var path = document.createElementNS(ns, "path");
      path.setAttribute("d", d);
      svg.appendChild(path);
    });
    return svg;
  }

  function safeHref(value) {
    try {
      var url = new URL(value);
      return SAFE_SCHEMES.indexOf(url.protocol) >= 0 ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function link(href, label) {
    var a = el("a", "skw-link", label);
    a.href = href;
    a.rel = "noopener noreferrer";
    if (/^https?:/.test(href)) {
      a.target = "_blank";
      a.appendChild(srOnly(" " + text("newTab")));
    }
    return a;
  }

  // Norwegian national ID numbers (fødselsnummer, D-nummer): both check digits, as bot/pii.py
  // does with python-stdnum. The server masks what it receives; this keeps the number out of the
  // history the tab stores and shows.
  var DIGIT_RUN = /\d(?:[ .-]?\d)*/g;

  function isIdNumber(digits) {
    function check(weights) {
      var sum = 0;
      for (var i = 0; i < weights.length; i += 1) {
        sum += weights[i] * Number(digits[i]);
      }
      return (11 - (sum % 11)) % 11;
    }
    return (
      check([3, 7, 6, 1, 8, 9, 4, 5, 2]) === Number(digits[9]) &&
      check([5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) === Number(digits[10])
    );
  }

  function maskIdNumbers(value) {
    return value.replace(DIGIT_RUN, function (run) {
      var digits = run.replace(/\D/g, "");
      for (var start = 0; start + 11 <= digits.length; start += 1) {
        if (isIdNumber(digits.slice(start, start + 11))) {
          return text("idMasked");
        }
      }
      return run;
    });
  }

  function escapeRegExp(value) {
    return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // Web addresses, e-mail addresses, the office's phone number and the emergency numbers.
  var LINKS = new RegExp(
    [
      "(https?:\\/\\/[^\\s<>\"«»]+)",
      "((?:mailto:)?[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,})",
      "(" + (config.phone ? escapeRegExp(String(config.phone)) + "|" : "") + "\\b(?:11[023]|116 ?117)\\b)",
    ].join("|"),
    "g"
  );

  // Text with its addresses as links; everything else as plain text nodes.
  function linkified(content, withPhones) {
    var fragment = document.createDocumentFragment();
    var last = 0;
    var match;
    LINKS.lastIndex = 0;
    while ((match = LINKS.exec(content)) !== null) {
      var found = match[0];
      var href = null;
      if (match[1]) {
        found = found.replace(/[.,;:!?)'"]+$/, "");
        href = safeHref(found);
      } else if (match[2]) {
        found = found.replace(/\.+$/, "");
        href = safeHref(/^mailto:/i.test(found) ? found : "mailto:" + found);
      } else if (match[3] && withPhones) {
        href = found === config.phone && config.phoneHref ? config.phoneHref : "tel:" + found.replace(/\D/g, "");
      }
      if (!href) {
        continue;
      }
      fragment.appendChild(document.createTextNode(content.slice(last, match.index)));
      fragment.appendChild(link(href, found.replace(/^mailto:/i, "")));
      last = match.index + found.length;
      LINKS.lastIndex = last;
    }
    fragment.appendChild(document.createTextNode(content.slice(last)));
    return fragment;
  }

  // --- the interface --------------------------------------------------------------------------

  function fillPrivacy(privacy) {
    privacy.textContent = text("privacy") + " ";
    var privacyHref = config.privacyUrl && safeHref(config.privacyUrl);
    if (privacyHref) {
      privacy.appendChild(link(privacyHref, text("privacyLink")));
    }
  }

  // The bot says which language it answers in (`lang` on each message): bokmål, nynorsk or English.
  function followLanguage(code) {
    var wanted = language(code);
    if (!wanted || wanted === lang || !(config.texts && config.texts[wanted])) {
      return;
    }
    lang = wanted;
    texts = config.texts[wanted];
    state.lang = wanted;
    api.lang = wanted;
    saveState();
    if (!ui) {
      return;
    }
    ui.root.lang = wanted;
    ui.panel.lang = wanted;
    ui.launcherText.textContent = text("launcher");
    ui.title.textContent = text("title");
    ui.close.setAttribute("aria-label", text("close"));
    fillPrivacy(ui.privacy);
    ui.log.setAttribute("aria-label", text("log"));
    ui.human.textContent = text("human");
    ui.label.textContent = text("label");
    ui.send.textContent = text("send");
    if (!ui.notice.hidden) {
      showNotice();
    }
  }

  function build() {
    var root = el("div", "skw-root");
    root.lang = lang;
    root.dir = "ltr";

    var launcher = el("button", "skw-launcher");
    launcher.type = "button";
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", "skw-panel");
    launcher.appendChild(
      icon(["M4 4h16a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H9l-4.3 3.4A.5.5 0 0 1 4 20V17a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1z"])
    );
    var launcherText = el("span", "skw-launcher-text", text("launcher"));
    launcher.appendChild(launcherText);
    var unread = el("span", "skw-unread");
    unread.hidden = true;
    launcher.appendChild(unread);

    var panel = el("div", "skw-panel");
    panel.id = "skw-panel";
    panel.lang = lang;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "false");
    panel.setAttribute("aria-labelledby", "skw-title");
    panel.hidden = true;

    var head = el("div", "skw-head");
    var title = el("h2", "skw-title", text("title"));
    title.id = "skw-title";
    var close = el("button", "skw-close");
    close.type = "button";
    close.setAttribute("aria-label", text("close"));
    close.appendChild(icon(["M6 6l12 12M18 6L6 18"], "skw-icon skw-icon-stroke"));
    head.appendChild(title);
    head.appendChild(close);

    var privacy = el("p", "skw-privacy");
    fillPrivacy(privacy);

    var notice = el("p", "skw-notice");
    notice.setAttribute("role", "alert");
    notice.hidden = true;

    var log = el("div", "skw-log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-relevant", "additions");
    log.setAttribute("aria-label", text("log"));
    log.tabIndex = 0; // scrollable: reachable by keyboard
    var list = el("ol", "skw-list");
    var typing = el("div", "skw-typing");
    typing.setAttribute("aria-hidden", "true");
    typing.hidden = true;
    typing.appendChild(el("span", "skw-dot"));
    typing.appendChild(el("span", "skw-dot"));
    typing.appendChild(el("span", "skw-dot"));
    log.appendChild(list);
    log.appendChild(typing);

    var bar = el("div", "skw-bar");
    var human = el("button", "skw-human", text("human"));
    human.type = "button";
    bar.appendChild(human);

    var form = el("form", "skw-form");
    form.noValidate = true;
    var label = el("label", "skw-label", text("label"));
    label.htmlFor = "skw-input";
    var row = el("div", "skw-row");
    var input = el("textarea", "skw-input");
    input.id = "skw-input";
    input.dir = "auto";
    input.rows = 2;
    input.maxLength = maxChars;
    input.autocomplete = "off";
    input.value = state.draft;
    var send = el("button", "skw-send", text("send"));
    send.type = "submit";
    row.appendChild(input);
    row.appendChild(send);
    form.appendChild(label);
    form.appendChild(row);

    [head, privacy, notice, log, bar, form].forEach(function (part) {
      panel.appendChild(part);
    });
    root.appendChild(launcher);
    root.appendChild(panel);

    launcher.addEventListener("click", function () {
      open(true);
    });
    close.addEventListener("click", function () {
      closePanel(true);
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Esc") {
        event.preventDefault();
        closePanel(true);
      }
    });
    human.addEventListener("click", function () {
      sendMessage(text("human"), "/human_handoff");
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit();
      }
    });
    input.addEventListener("input", function () {
      state.draft = input.value;
      saveState();
    });

    return {
      root: root,
      launcher: launcher,
      launcherText: launcherText,
      title: title,
      close: close,
      privacy: privacy,
      human: human,
      label: label,
      send: send,
      unread: unread,
      panel: panel,
      notice: notice,
      log: log,
      list: list,
      typing: typing,
      input: input,
    };
  }

  function renderMessage(message, isLast) {
    var item = el("li", "skw-msg skw-msg-" + message.who);
    if (message.who === "staff") {
      item.appendChild(
        el("span", "skw-who", text("staff", { name: message.name || "", office: config.office || "" }).replace(/^, /, ""))
      );
    } else {
      item.appendChild(srOnly((message.who === "user" ? text("you") : text("bot")) + ": "));
    }
    var bubble = el("p", "skw-bubble");
    bubble.dir = "auto"; // Arabic and other right-to-left text reads the right way round
    bubble.appendChild(linkified(message.text, message.who === "bot"));
    item.appendChild(bubble);
    if (message.attachment) {
      var attached = el("p", "skw-bubble skw-attachment");
      attached.appendChild(link(message.attachment, message.attachmentTitle || message.attachment));
      item.appendChild(attached);
    }
    if (message.failed) {
      item.appendChild(el("span", "skw-failed", text("notSent")));
    }
    if (isLast && message.buttons && message.buttons.length) {
      var choices = el("div", "skw-choices");
      message.buttons.forEach(function (choice) {
        var href = choice.url && safeHref(choice.url);
        if (href) {
          var a = link(href, choice.title);
          a.className = "skw-choice";
          choices.appendChild(a);
          return;
        }
        var button = el("button", "skw-choice", choice.title);
        button.type = "button";
        button.addEventListener("click", function () {
          if (sendMessage(choice.title, choice.payload)) {
            ui.input.focus();
          }
        });
        choices.appendChild(button);
      });
      item.appendChild(choices);
    }
    return item;
  }

  function redraw() {
    ui.list.textContent = "";
    state.messages.forEach(function (message, index) {
      ui.list.appendChild(renderMessage(message, index === state.messages.length - 1));
    });
    scrollDown();
  }

  function addMessage(message) {
    var previous = ui.list.lastElementChild;
    var choices = previous && previous.querySelector(".skw-choices");
    if (choices) {
      choices.parentNode.removeChild(choices); // answered or passed by
    }
    state.messages.push(message);
    saveState();
    var item = renderMessage(message, true);
    ui.list.appendChild(item);
    scrollDown();
    if (ui.panel.hidden && message.who !== "user") {
      ui.unread.hidden = false;
      ui.unread.textContent = "";
      ui.unread.appendChild(srOnly(" (" + text("newMessage") + ")"));
    }
    return item;
  }

  function scrollDown() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function setTyping(on) {
    ui.typing.hidden = !on;
    if (on) {
      scrollDown();
    }
  }

  function showNotice() {
    var parts = text("unreachable", { office: config.office || "" }).split("{phone}");
    if (!ui.notice.hidden) {
      return;
    }
    ui.notice.textContent = "";
    ui.notice.appendChild(document.createTextNode(parts[0]));
    if (parts.length > 1) {
      var phone = el("a", "skw-link skw-phone", config.phone || "");
      phone.href = safeHref(config.phoneHref || "") || "tel:" + String(config.phone || "").replace(/\D/g, "");
      ui.notice.appendChild(phone);
      ui.notice.appendChild(document.createTextNode(parts.slice(1).join("")));
    }
    ui.notice.hidden = false;
    scrollDown(); // the notice takes room from the conversation: keep the newest in view
  }

  function hideNotice() {
    ui.notice.hidden = true;
  }

  function open(moveFocus) {
    ui.panel.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "true");
    ui.root.classList.add("skw-is-open");
    ui.unread.hidden = true;
    state.open = true;
    saveState();
    scrollDown();
    if (moveFocus) {
      ui.input.focus();
    }
    connect();
    if (confirmed) {
      greet();
    }
  }

  function closePanel(moveFocus) {
    ui.panel.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.root.classList.remove("skw-is-open");
    state.open = false;
    saveState();
    if (moveFocus) {
      ui.launcher.focus();
    }
  }

  // --- talking to Rasa ------------------------------------------------------------------------

  function loadSocketIo() {
    if (window.io && window.io.protocol === 5 && typeof window.io.connect === "function") {
      return Promise.resolve(window.io); // the page already has socket.io-client 3 or 4
    }
    if (ioPromise) {
      return ioPromise;
    }
    ioPromise = new Promise(function (resolve, reject) {
      var previous = window.io;
      var tag = document.createElement("script");
      tag.src = new URL(config.assets.socketio, scriptUrl).href;
      tag.async = true;
      tag.onload = function () {
        var io = window.io;
        if (previous !== undefined) {
          window.io = previous; // leave the page's own `io` alone
        } else {
          try {
            delete window.io; // and add no global of our own
          } catch (error) {
            /* not deletable: harmless */
          }
        }
        if (io && typeof io === "function") {
          resolve(io);
        } else {
          reject(new Error("socket.io-client did not load"));
        }
      };
      tag.onerror = function () {
        reject(new Error("socket.io-client did not load"));
      };
      document.head.appendChild(tag);
    });
    ioPromise.catch(function () {
      ioPromise = null;
    });
    return ioPromise;
  }

  function connect() {
    if (socket || !botUrl) {
      if (!botUrl) {
        showNotice();
      }
      return;
    }
    socket = { connecting: true };
    loadSocketIo().then(
      function (io) {
        socket = io(botUrl, {
          transports: ["websocket"],
          reconnection: true,
          reconnectionDelay: 1000,
          reconnectionDelayMax: 10000,
          timeout: 10000,
        });
        socket.on("connect", function () {
          socket.emit("session_request", { session_id: state.sessionId || null });
        });
        socket.on("session_confirm", function (payload) {
          var id = typeof payload === "string" ? payload : payload && payload.session_id;
          if (typeof id !== "string" || !id) {
            return;
          }
          state.sessionId = id;
          confirmed = true;
          failing = false;
          saveState();
          hideNotice();
          flush();
          greet();
        });
        socket.on("bot_uttered", receive);
        socket.on("connect_error", function () {
          confirmed = false;
          failing = true;
          showNotice(); // socket.io keeps trying in the background
        });
        socket.on("disconnect", function (reason) {
          confirmed = false;
          if (reason === "io server disconnect") {
            socket.connect();
          }
        });
      },
      function () {
        socket = null;
        failing = true;
        showNotice();
        window.setTimeout(connect, 15000);
      }
    );
  }

  function greet() {
    if (state.greeted || state.messages.length || !state.open) {
      return;
    }
    state.greeted = true;
    saveState();
    emit("/greet", function (ok) {
      if (!ok) {
        state.greeted = false;
        saveState();
      }
    });
  }

  // Sends to Rasa; `done(ok)` once the server has handled it (its answers come before that), or
  // with false when it did not within replyTimeout. Waits for the session while connecting.
  function emit(payload, done) {
    pending += 1;
    setTyping(true);
    if (!confirmed) {
      queue.push({ payload: payload, done: done });
      if (!queueTimer) {
        queueTimer = window.setTimeout(giveUpQueue, replyTimeout);
      }
      return;
    }
    socket
      .timeout(replyTimeout)
      .emit("user_uttered", { message: payload, session_id: state.sessionId }, function (error) {
        pending = Math.max(0, pending - 1);
        if (!pending) {
          setTyping(false);
        }
        if (error) {
          showNotice();
        } else {
          hideNotice(); // it answers again
        }
        done(!error);
      });
  }

  function flush() {
    window.clearTimeout(queueTimer);
    queueTimer = null;
    var waiting = queue;
    queue = [];
    waiting.forEach(function (entry) {
      pending -= 1;
      emit(entry.payload, entry.done);
    });
  }

  function giveUpQueue() {
    queueTimer = null;
    var waiting = queue;
    queue = [];
    pending = Math.max(0, pending - waiting.length);
    if (!pending) {
      setTyping(false);
    }
    if (waiting.length) {
      showNotice();
    }
    waiting.forEach(function (entry) {
      entry.done(false);
    });
  }

  // Sends `payload` to the bot and shows `shown` as the citizen's message. False when the chat
  // cannot be reached: the notice is shown and the caller keeps what was typed.
  function sendMessage(shown, payload) {
    if (!socket) {
      connect();
    }
    if (!confirmed && failing) {
      showNotice();
      return false;
    }
    var message = { who: "user", text: maskIdNumbers(shown) };
    var item = addMessage(message);
    emit(payload, function (ok) {
      if (!ok) {
        message.failed = true;
        saveState();
        item.appendChild(el("span", "skw-failed", text("notSent")));
        scrollDown();
        if (!ui.input.value && payload === shown && message.text === shown) {
          ui.input.value = shown;
        }
      }
    });
    return true;
  }

  function submit() {
    var value = ui.input.value.trim();
    if (!value) {
      ui.input.focus();
      return;
    }
    if (sendMessage(value, value)) {
      ui.input.value = "";
      state.draft = "";
      saveState();
    }
  }

  function receive(payload) {
    if (!payload || typeof payload !== "object") {
      return;
    }
    if (typeof payload.lang === "string") {
      followLanguage(payload.lang);
    }
    var body = typeof payload.text === "string" ? payload.text : "";
    var choices = Array.isArray(payload.quick_replies) ? payload.quick_replies : payload.buttons;
    var buttons = (Array.isArray(choices) ? choices : [])
      .filter(function (choice) {
        return choice && typeof choice.title === "string" && choice.title;
      })
      .map(function (choice) {
        var url = choice.url || (choice.type === "web_url" ? choice.payload : null);
        return {
          title: choice.title,
          payload: typeof choice.payload === "string" ? choice.payload : choice.title,
          url: typeof url === "string" ? url : null,
        };
      });
    var attachment = null;
    var attachmentTitle = null;
    if (payload.attachment && typeof payload.attachment === "object") {
      var inner = payload.attachment.payload || {};
      attachment = safeHref(String(inner.src || inner.url || payload.attachment.url || ""));
      attachmentTitle = typeof inner.title === "string" ? inner.title : null;
      if (attachment && !/^https?:/.test(attachment)) {
        attachment = null;
      }
    }
    if (!body && !buttons.length && !attachment) {
      return;
    }
    var message = { who: payload.sender === "staff" ? "staff" : "bot", text: body };
    if (message.who === "staff") {
      message.name = String(payload.sender_name || "").slice(0, 80);
    }
    if (buttons.length) {
      message.buttons = buttons;
    }
    if (attachment) {
      message.attachment = attachment;
      message.attachmentTitle = attachmentTitle;
    }
    addMessage(message);
  }

  // --- start ----------------------------------------------------------------------------------

  function start() {
    ui = build();
    redraw(); // history first, before the live region is in the page: nothing is re-announced
    function mount() {
      if (mounted) {
        return;
      }
      mounted = true;
      document.body.appendChild(ui.root);
      if (state.open) {
        open(false);
      } else if (state.sessionId) {
        connect(); // a conversation is going on: a staff member's answer may come
      }
    }
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = new URL(config.assets.css, scriptUrl).href;
    css.onload = mount;
    css.onerror = mount;
    document.head.appendChild(css);
    window.setTimeout(mount, 3000);
  }

  // For the page and for tests: open or close the chat (before it is ready: open when it is).
  api.open = function () {
    if (mounted) {
      open(true);
    } else {
      state.open = true;
    }
  };
  api.close = function () {
    if (mounted) {
      closePanel(true);
    } else {
      state.open = false;
    }
  };
  api.lang = lang;
  api.botUrl = botUrl;

  if (document.body) {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
