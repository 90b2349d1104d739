"""What the chat widget shows, read in the page from its open shadow root (see widget_page.py).

A function for `page.evaluate`: it returns plain data (messages with their buttons and links,
focus, panel and status, storage) that the tests assert on.
"""

STATE_JS = """() => {
  const host = document.getElementById("advieslijn-chat-widget");
  if (!host || !host.shadowRoot) return { mounted: false };
  const root = host.shadowRoot;
  const q = (sel) => root.querySelector(sel);
  const visible = (node) => !!node && !node.closest("[hidden]") && node.getClientRects().length > 0;
  const active = root.activeElement;
  // Text as a sighted reader sees it: without the screen-reader-only hints.
  const shownText = (node) => {
    const copy = node.cloneNode(true);
    copy.querySelectorAll(".alw-sr").forEach((n) => n.remove());
    return copy.textContent;
  };
  const sender = (node) => node.classList.contains("alw-msg--user") ? "user"
    : node.classList.contains("alw-msg--bot") ? "bot" : "intro";
  const messages = [...root.querySelectorAll(".alw-log .alw-msg")].map((node) => ({
    from: sender(node),
    text: shownText(node.querySelector(".alw-bubble")),
    buttons: [...node.querySelectorAll("button.alw-reply")].map((b) => b.textContent),
    pending: !!node.querySelector(".alw-msg-note"),
    links: [...node.querySelectorAll(".alw-bubble a")].map((a) => ({
      href: a.getAttribute("href"), target: a.getAttribute("target"), rel: a.getAttribute("rel"), text: shownText(a),
    })),
  }));
  const logEl = q(".alw-log");
  const input = q("#alw-input");
  const label = input && input.id ? root.querySelector(`label[for="${input.id}"]`) : null;
  let storage = null;
  try {
    const keys = Object.keys(sessionStorage).filter((k) => k.startsWith("advieslijn-chat:"));
    storage = keys.length ? JSON.parse(sessionStorage.getItem(keys[0])) : null;
  } catch (e) {
    storage = null;
  }
  const statusEl = q(".alw-status");
  return {
    mounted: true,
    lang: q(".alw") && q(".alw").getAttribute("lang"),
    panelOpen: visible(q(".alw-panel")),
    launcherVisible: visible(q(".alw-launcher")),
    launcherExpanded: q(".alw-launcher").getAttribute("aria-expanded"),
    activeElement: active ? { tag: active.tagName.toLowerCase(), id: active.id, className: active.className } : null,
    messages,
    typingVisible: visible(q(".alw-typing")),
    statusText: statusEl ? statusEl.textContent : "",
    statusRole: statusEl && statusEl.getAttribute("role"),
    statusLinks: statusEl ? [...statusEl.querySelectorAll("a")].map((a) => a.getAttribute("href")) : [],
    offlineNotice: !!q('.alw-status [data-kind="offline"]'),
    logRole: logEl && logEl.getAttribute("role"),
    logLive: logEl && logEl.getAttribute("aria-live"),
    inputLabel: label ? label.textContent : null,
    inputValue: input ? input.value : null,
    privacyNote: q(".alw-privacy") ? q(".alw-privacy").textContent : "",
    sessionId: window.AdvieslijnChat ? window.AdvieslijnChat.sessionId() : null,
    storage,
    localStorageKeys: Object.keys(localStorage),
    cookies: document.cookie,
    imgInWidget: root.querySelectorAll("img").length,
    imgInDocument: document.querySelectorAll("img").length,
    xssFlag: window.__xss === undefined ? null : window.__xss,
  };
}"""
