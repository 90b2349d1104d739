/*
 * Advieslijn chat widget: a small chat window for the advice line's Rasa bot, in plain
 * JavaScript, over Rasa's socket.io channel.
 *
 * This file is not loaded on its own: scripts/build.mjs wraps it, together with the socket.io
 * client and widget.css, in one function in dist/widget.js. The build provides three names:
 *   io           the socket.io client (kept private, not put on window)
 *   WIDGET_CSS   the contents of widget.css
 *   FACTS        facts from content/advieslijn.yml (phone, contact form, opening hours, ...) and,
 *                from the store's settings, how many days not-understood messages are kept
 *
 * Embed (all data- attributes are optional except data-server-url):
 *   <script src="/widget.js" data-server-url="https://bot.example.nl" defer></script>
 *
 * Safety rules kept throughout: every text from the bot or the visitor goes into the page with
 * textContent (never innerHTML); links are only made for http(s) URLs and open with
 * rel="noopener noreferrer"; the conversation is kept in sessionStorage only.
 */

/* global io, WIDGET_CSS, FACTS */

var STORAGE_VERSION = 2; // 2: the server issues the conversation id
var MAX_STORED_MESSAGES = 200;
var MAX_MESSAGE_LENGTH = 1000;
var TYPING_TIMEOUT_MS = 25000;

var script = document.currentScript;
if (window.__advieslijnChatWidget) {
  return; // loaded twice on one page: keep the first
}
window.__advieslijnChatWidget = true;

var data = (script && script.dataset) || {};

function safeHttpUrl(value) {
  if (typeof value !== "string" || !value.trim()) return null;
  try {
    var url = new URL(value.trim(), window.location.href);
    if (url.protocol === "http:" || url.protocol === "https:") return url.href;
  } catch (e) {
    /* not a URL */
  }
  return null;
}

function parseHexColor(value) {
  var m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec((value || "").trim());
  if (!m) return null;
  var hex = m[1];
  if (hex.length === 3) hex = hex.replace(/(.)/g, "$1$1");
  return "#" + hex.toLowerCase();
}

function luminance(hex) {
  var channels = [1, 3, 5].map(function (i) {
    var c = parseInt(hex.substr(i, 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
}

function contrast(a, b) {
  var la = luminance(a);
  var lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

var primary = parseHexColor(data.primaryColor) || "#005a8c";
var onPrimary = contrast(primary, "#ffffff") >= 4.5 ? "#ffffff" : "#000000";
// Links and reply buttons sit on white and on the light bubble colour (#eef1f4).
var linkColor = contrast(primary, "#eef1f4") >= 4.5 ? primary : "#1a1a1a";

var config = {
  serverUrl: safeHttpUrl(data.serverUrl) || window.location.origin,
  socketPath: data.socketPath || "/socket.io/",
  title: data.title || "Advieslijn-assistent",
  launcherLabel: data.launcherLabel || "Stel je vraag",
  startOpen: data.startOpen === "true",
  phone: data.phone || FACTS.phone || "",
  contactFormUrl: safeHttpUrl(data.contactFormUrl || FACTS.contactFormUrl),
  openingHours: FACTS.openingHoursText || "",
  voicemail: !!FACTS.voicemail,
  organisation: FACTS.organisation || "",
  emergency: FACTS.emergency || "",
};

var STORAGE_KEY = "advieslijn-chat:" + config.serverUrl;

/* ---------- storage (sessionStorage only; falls back to memory when it is blocked) ---------- */

var memoryStore = null;

function loadState() {
  var raw = null;
  try {
    raw = window.sessionStorage.getItem(STORAGE_KEY);
  } catch (e) {
    raw = memoryStore;
  }
  var parsed = null;
  try {
    parsed = raw ? JSON.parse(raw) : null;
  } catch (e) {
    parsed = null;
  }
  if (!parsed || parsed.v !== STORAGE_VERSION) {
    parsed = { v: STORAGE_VERSION, sessionId: null, token: null, open: null, nextId: 1, messages: [] };
  }
  if (typeof parsed.sessionId !== "string" || !SESSION_ID.test(parsed.sessionId)) parsed.sessionId = null;
  if (typeof parsed.token !== "string") parsed.token = null;
  if (!Array.isArray(parsed.messages)) parsed.messages = [];
  return parsed;
}

function saveState() {
  if (state.messages.length > MAX_STORED_MESSAGES) {
    state.messages = state.messages.slice(-MAX_STORED_MESSAGES);
  }
  var raw = JSON.stringify(state);
  try {
    window.sessionStorage.setItem(STORAGE_KEY, raw);
  } catch (e) {
    memoryStore = raw;
  }
}

// The server issues the conversation id (sio_ + 32 hex digits) and a signed token to resume it after
// a reload; the widget keeps both in sessionStorage and never makes up an id of its own.
var SESSION_ID = /^sio_[0-9a-f]{32}$/;
var MAX_TOKEN_LENGTH = 200;

var state = loadState();
saveState();

/* ---------- DOM helpers (text only, never HTML) ---------- */

function el(tag, attrs, children) {
  var node = document.createElement(tag);
  if (attrs) {
    Object.keys(attrs).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    });
  }
  (children || []).forEach(function (child) {
    if (child === null || child === undefined) return;
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  });
  return node;
}

function svgIcon(pathData) {
  var ns = "http://www.w3.org/2000/svg";
  var svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  var path = document.createElementNS(ns, "path");
  path.setAttribute("d", pathData);
  svg.appendChild(path);
  return svg;
}

function externalLink(href, label) {
  return el("a", { href: href, target: "_blank", rel: "noopener noreferrer" }, [
    label,
    el("span", { className: "alw-sr", text: " (opent in een nieuw venster)" }),
  ]);
}

function telHref(phone) {
  return "tel:" + phone.replace(/[^0-9+]/g, "");
}

// Bot text -> DocumentFragment. Knows [label](url), bare http(s) URLs and **bold**; everything
// else, including anything that looks like HTML, stays literal text.
var TOKEN_RE = /\[([^\]\n]{1,300})\]\(([^()\s]{1,2000})\)|(https?:\/\/[^\s<>"'`]+)|\*\*([^*\n]{1,300})\*\*/gi;

function richText(text) {
  var fragment = document.createDocumentFragment();
  var last = 0;
  var match;
  TOKEN_RE.lastIndex = 0;
  while ((match = TOKEN_RE.exec(text)) !== null) {
    var start = match.index;
    var whole = match[0];
    var trailing = "";
    if (match[3]) {
      // A sentence often ends right after a URL: keep that punctuation out of the link.
      var trimmed = match[3].replace(/[.,;:!?)\]]+$/, "");
      trailing = match[3].slice(trimmed.length);
      whole = trimmed;
    }
    fragment.appendChild(document.createTextNode(text.slice(last, start)));
    if (match[1] !== undefined) {
      var href = safeHttpUrl(match[2]) && /^https?:\/\//i.test(match[2]) ? safeHttpUrl(match[2]) : null;
      fragment.appendChild(href ? externalLink(href, match[1]) : document.createTextNode(match[1]));
    } else if (match[3] !== undefined) {
      var bare = safeHttpUrl(whole);
      fragment.appendChild(bare ? externalLink(bare, whole) : document.createTextNode(whole));
      if (trailing) fragment.appendChild(document.createTextNode(trailing));
    } else {
      fragment.appendChild(el("strong", { text: match[4] }));
    }
    last = start + match[0].length;
  }
  fragment.appendChild(document.createTextNode(text.slice(last)));
  return fragment;
}

/* ---------- build the widget ---------- */

var host = el("div", { id: "advieslijn-chat-widget" });
var root = host.attachShadow({ mode: "open" });

var themeCss =
  ":host{--alw-primary:" + primary + ";--alw-on-primary:" + onPrimary + ";--alw-link:" + linkColor + ";}\n";
try {
  var sheet = new CSSStyleSheet();
  sheet.replaceSync(themeCss + WIDGET_CSS);
  root.adoptedStyleSheets = [sheet];
} catch (e) {
  root.appendChild(el("style", { text: themeCss + WIDGET_CSS }));
}

var launcher = el(
  "button",
  { type: "button", className: "alw-launcher", "aria-expanded": "false", "aria-controls": "alw-panel" },
  [
    svgIcon("M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm2 5v2h12V8H6zm0 4v2h8v-2H6z"),
    el("span", { text: config.launcherLabel }),
  ]
);

var closeButton = el("button", { type: "button", className: "alw-close", "aria-label": "Chat sluiten" }, [
  svgIcon("M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 1 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z"),
]);

var privacyNote = el("p", {
  className: "alw-privacy",
  text:
    "Let op: typ geen namen of andere persoonlijke gegevens, zoals een adres, telefoonnummer of de naam van de school." +
    (FACTS.fallbackDays
      ? " Berichten die de assistent niet begrijpt, bewaren we " + FACTS.fallbackDays +
        " dagen zonder namen en nummers, om de assistent te verbeteren."
      : ""),
});

var status = el("div", { className: "alw-status", role: "status" });

var log = el("div", {
  className: "alw-log",
  role: "log",
  "aria-live": "polite",
  "aria-label": "Gesprek",
  tabindex: "0",
});

var typing = el("div", { className: "alw-typing", hidden: true }, [
  el("span", { className: "alw-dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]),
  el("span", { text: "De assistent typt…" }),
]);

var input = el("input", {
  id: "alw-input",
  className: "alw-input",
  type: "text",
  autocomplete: "off",
  maxlength: String(MAX_MESSAGE_LENGTH),
  enterkeyhint: "send",
});
var sendButton = el("button", { type: "submit", className: "alw-send", text: "Verstuur" });
var form = el("form", { className: "alw-form", novalidate: true }, [
  el("label", { className: "alw-label", for: "alw-input", text: "Je bericht" }),
  el("div", { className: "alw-row" }, [input, sendButton]),
]);

var panel = el(
  "section",
  { id: "alw-panel", className: "alw-panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "alw-title", hidden: true },
  [
    el("div", { className: "alw-header" }, [el("h2", { id: "alw-title", className: "alw-title", text: config.title }), closeButton]),
    privacyNote,
    status,
    log,
    typing,
    form,
  ]
);

var wrapper = el("aside", { className: "alw", lang: "nl", "aria-label": "Chat met de advieslijn" }, [launcher, panel]);
root.appendChild(wrapper);

/* ---------- messages ---------- */

function contactFormNode() {
  return config.contactFormUrl
    ? externalLink(config.contactFormUrl, "het contactformulier")
    : document.createTextNode("het contactformulier op de website");
}

function contactParagraph() {
  // "Bel de advieslijn: 030-... (op werkdagen van 10:00 tot 13:00 uur; daarbuiten ...) of gebruik
  // het contactformulier op de website." The facts come from content/advieslijn.yml via the build.
  var p = el("p");
  if (config.phone) {
    var extra = [];
    if (config.openingHours) extra.push(config.openingHours);
    if (config.voicemail) extra.push("daarbuiten kun je een bericht inspreken");
    p.appendChild(document.createTextNode("Bel de advieslijn: "));
    p.appendChild(el("a", { href: telHref(config.phone), text: config.phone }));
    p.appendChild(document.createTextNode((extra.length ? " (" + extra.join("; ") + ")" : "") + " of gebruik "));
  } else {
    p.appendChild(document.createTextNode("Gebruik "));
  }
  p.appendChild(contactFormNode());
  p.appendChild(document.createTextNode("."));
  if (config.emergency) p.appendChild(document.createTextNode(" Acuut gevaar? Bel " + config.emergency + "."));
  return p;
}

function introMessage() {
  var bubble = el("p", { className: "alw-bubble" }, [
    "Welkom! Ik ben een digitale assistent, geen mens. Stel hier je vraag over passend onderwijs.",
  ]);
  if (config.phone) {
    bubble.appendChild(document.createTextNode("\nLiever iemand spreken? Bel de advieslijn: "));
    bubble.appendChild(el("a", { href: telHref(config.phone), text: config.phone }));
    bubble.appendChild(document.createTextNode("."));
  }
  return el("div", { className: "alw-msg alw-msg--intro" }, [el("span", { className: "alw-sr", text: "Assistent:" }), bubble]);
}

function normaliseButtons(list) {
  if (!Array.isArray(list)) return [];
  return list
    .filter(function (b) {
      return b && typeof b === "object" && (typeof b.title === "string" || typeof b.payload === "string");
    })
    .slice(0, 12)
    .map(function (b) {
      var title = typeof b.title === "string" && b.title ? b.title : String(b.payload);
      var payload = typeof b.payload === "string" && b.payload ? b.payload : title;
      return { title: title.slice(0, 200), payload: payload.slice(0, MAX_MESSAGE_LENGTH) };
    });
}

var PENDING_NOTE = "Nog niet verzonden. Dit bericht wordt verstuurd zodra de verbinding terug is.";

function renderMessage(msg) {
  var isUser = msg.from === "user";
  var node = el("div", { className: "alw-msg " + (isUser ? "alw-msg--user" : "alw-msg--bot"), "data-id": String(msg.id) });
  node.appendChild(el("span", { className: "alw-sr", text: isUser ? "Jij:" : "Assistent:" }));
  var bubble = el("p", { className: "alw-bubble" });
  if (isUser) bubble.textContent = msg.text;
  else bubble.appendChild(richText(msg.text || ""));
  node.appendChild(bubble);
  if (isUser && msg.pending) {
    node.appendChild(el("p", { className: "alw-msg-note", text: PENDING_NOTE }));
  }
  if (!isUser && msg.buttons && msg.buttons.length && !msg.used) {
    var group = el("div", { className: "alw-replies", role: "group", "aria-label": "Antwoordkeuzes" });
    msg.buttons.forEach(function (b) {
      var button = el("button", { type: "button", className: "alw-reply", text: b.title });
      button.addEventListener("click", function () {
        sendUserMessage(b.payload, b.title);
        input.focus();
      });
      group.appendChild(button);
    });
    node.appendChild(group);
  }
  return node;
}

function renderAll() {
  log.textContent = "";
  log.appendChild(introMessage());
  state.messages.forEach(function (msg) {
    log.appendChild(renderMessage(msg));
  });
  scrollToEnd();
}

function rerenderMessage(msg) {
  var old = log.querySelector('[data-id="' + msg.id + '"]');
  if (old) old.replaceWith(renderMessage(msg));
}

// Show the newest messages, but never scroll the parent's last question out of view: when the
// answer is taller than the window, its start stays visible (read it from the top).
function scrollToEnd() {
  log.scrollTop = log.scrollHeight;
  var users = log.querySelectorAll(".alw-msg--user");
  var anchor = users.length ? users[users.length - 1] : log.firstElementChild;
  if (anchor && anchor.offsetTop - 8 < log.scrollTop) log.scrollTop = Math.max(0, anchor.offsetTop - 8);
}

function addMessage(msg) {
  msg.id = state.nextId++;
  state.messages.push(msg);
  saveState();
  log.appendChild(renderMessage(msg));
  scrollToEnd();
  return msg;
}

function retireButtons() {
  state.messages.forEach(function (msg) {
    if (msg.from === "bot" && msg.buttons && msg.buttons.length && !msg.used) {
      msg.used = true;
      rerenderMessage(msg);
    }
  });
}

/* ---------- typing indicator ---------- */

var typingTimer = null;

function showTyping() {
  typing.hidden = false;
  clearTimeout(typingTimer);
  typingTimer = setTimeout(hideTyping, TYPING_TIMEOUT_MS);
  scrollToEnd();
}

function hideTyping() {
  clearTimeout(typingTimer);
  typing.hidden = true;
}

/* ---------- connection ---------- */

var socket = null;
var sessionReady = false;
var wasOffline = false;
var okTimer = null;

function showOffline() {
  sessionReady = false;
  hideTyping();
  if (wasOffline && status.firstChild && status.firstChild.dataset.kind === "offline") return;
  wasOffline = true;
  clearTimeout(okTimer);
  var notice = el("div", { className: "alw-notice", "data-kind": "offline" }, [
    el("p", { text: "De chat is nu niet bereikbaar. We proberen steeds opnieuw verbinding te maken. Wat je typt, gaat niet verloren: we versturen het zodra het weer kan." }),
    contactParagraph(),
  ]);
  status.textContent = "";
  status.appendChild(notice);
}

function showOnline() {
  if (!wasOffline) return;
  wasOffline = false;
  status.textContent = "";
  status.appendChild(
    el("div", { className: "alw-notice alw-notice--ok", "data-kind": "online" }, [
      el("p", { text: "De verbinding is hersteld." }),
    ])
  );
  clearTimeout(okTimer);
  okTimer = setTimeout(function () {
    if (!wasOffline) status.textContent = "";
  }, 5000);
}

function emitUserMessage(msg) {
  socket.emit("user_uttered", { message: msg.payload || msg.text, session_id: state.sessionId });
  showTyping();
}

function flushQueue() {
  var changed = false;
  state.messages.forEach(function (msg) {
    if (msg.from === "user" && msg.pending) {
      msg.pending = false;
      emitUserMessage(msg);
      rerenderMessage(msg);
      changed = true;
    }
  });
  if (changed) saveState();
}

function onBotMessage(payload) {
  hideTyping();
  if (!payload || typeof payload !== "object") return;
  var text = typeof payload.text === "string" ? payload.text : "";
  var buttons = normaliseButtons(payload.quick_replies || payload.buttons);
  var attachment = payload.attachment;
  if (attachment && attachment.payload && typeof attachment.payload.src === "string") {
    // Images are not loaded (that would be a request to another site); offer a link instead.
    var src = safeHttpUrl(attachment.payload.src);
    if (src) text = (text ? text + "\n" : "") + "Afbeelding: " + src;
  }
  if (!text && !buttons.length) return;
  retireButtons();
  addMessage({ from: "bot", text: text, buttons: buttons });
}

function connect() {
  if (socket) return;
  socket = io(config.serverUrl, {
    path: config.socketPath,
    reconnection: true,
    reconnectionAttempts: Infinity,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 8000,
    randomizationFactor: 0.5,
    timeout: 10000,
    withCredentials: false,
  });
  socket.on("connect", function () {
    // The token (not the bare id) is what lets the server give this browser its conversation back.
    socket.emit("session_request", state.token ? { session_token: state.token } : {});
  });
  socket.on("session_token", function (token) {
    if (typeof token === "string" && token.length <= MAX_TOKEN_LENGTH) {
      state.token = token;
      saveState();
    }
  });
  socket.on("session_confirm", function (sessionId) {
    if (typeof sessionId !== "string" || !SESSION_ID.test(sessionId)) return;
    state.sessionId = sessionId;
    saveState();
    sessionReady = true;
    showOnline();
    flushQueue();
  });
  socket.on("connect_error", showOffline);
  socket.on("disconnect", function (reason) {
    if (reason !== "io client disconnect") showOffline();
  });
  socket.on("bot_uttered", onBotMessage);
}

/* ---------- sending ---------- */

function sendUserMessage(payload, shownText) {
  payload = String(payload || "").trim().slice(0, MAX_MESSAGE_LENGTH);
  if (!payload) return;
  retireButtons();
  var online = !!(socket && socket.connected && sessionReady);
  var msg = addMessage({ from: "user", text: shownText || payload, payload: payload, pending: !online });
  if (online) emitUserMessage(msg);
  else connect();
}

form.addEventListener("submit", function (event) {
  event.preventDefault();
  var text = input.value.trim();
  if (!text) {
    input.focus();
    return;
  }
  input.value = "";
  sendUserMessage(text);
  input.focus();
});

/* ---------- open / close ---------- */

function openPanel(focusInput) {
  panel.hidden = false;
  launcher.hidden = true;
  launcher.setAttribute("aria-expanded", "true");
  state.open = true;
  saveState();
  scrollToEnd();
  connect();
  if (focusInput) input.focus();
}

function closePanel() {
  panel.hidden = true;
  launcher.hidden = false;
  launcher.setAttribute("aria-expanded", "false");
  state.open = false;
  saveState();
  launcher.focus();
}

launcher.addEventListener("click", function () {
  openPanel(true);
});
closeButton.addEventListener("click", closePanel);
panel.addEventListener("keydown", function (event) {
  if (event.key === "Escape" || event.key === "Esc") {
    event.preventDefault();
    event.stopPropagation();
    closePanel();
  }
});

renderAll();

function mount() {
  document.body.appendChild(host);
  var shouldOpen = state.open === null ? config.startOpen : state.open;
  if (shouldOpen) openPanel(false);
}

if (document.body) mount();
else document.addEventListener("DOMContentLoaded", mount);

// A small hook for tests and for the host page; it exposes nothing that is not on screen.
window.AdvieslijnChat = {
  open: function () {
    openPanel(true);
  },
  close: closePanel,
  sessionId: function () {
    return state.sessionId;
  },
};
