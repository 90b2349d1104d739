#!/usr/bin/env node
// End-to-end scenarios for the chat widget in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core from web/node_modules; no browser download).
//
// Run by tests/browser/test_widget.py, one scenario per process:
//   node tests/browser/e2e.mjs '<json config>'
// config: { scenario, pageUrl, rasaUrl, phone, screenshotsDir, artifactsDir }
//
// Protocol on stdout, one JSON object per line:
//   {"type":"request","action":"stop_rasa"|"start_rasa"}  -> the driver does it and writes one
//                                                           line ("done" or "error ...") to stdin
//   {"type":"result","scenario":...,"observations":{...},"errors":[...]}   (always last)
// The scenarios wait for things and record what they saw; the pytest side asserts on it.
// Logs go to stderr.

import { createRequire } from "node:module";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const require = createRequire(join(repo, "web", "package.json"));
const { chromium } = require("playwright-core");
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const config = JSON.parse(process.argv[2] || process.env.E2E_CONFIG || "{}");
const observations = {};
const errors = [];
const log = (...parts) => console.error("[e2e]", ...parts);

/* ---------- driver protocol ---------- */

const stdinLines = createInterface({ input: process.stdin });
const pendingAnswers = [];
stdinLines.on("line", (line) => {
  const waiter = pendingAnswers.shift();
  if (waiter) waiter(line.trim());
});

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + "\n");
}

function askDriver(action) {
  return new Promise((resolveAnswer, reject) => {
    pendingAnswers.push((answer) => (answer === "done" ? resolveAnswer() : reject(new Error(`${action}: ${answer}`))));
    emit({ type: "request", action });
  });
}

/* ---------- browser ---------- */

async function launch(viewport = { width: 1280, height: 800 }) {
  const userDataDir = mkdtempSync(join(tmpdir(), "widget-e2e-profile-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    // Playwright passes --user-data-dir=<userDataDir> (a fresh temp folder) itself; it refuses
    // the flag in args.
    args: CHROMIUM_ARGS,
    viewport,
    locale: "nl-NL",
    timeout: 60000,
  });
  const page = context.pages()[0] || (await context.newPage());
  const requests = [];
  const consoleErrors = [];
  const wire = []; // socket.io events the page sent: {event, session_id, message}
  context.on("request", (req) => {
    requests.push(req.url());
    if (req.method() === "POST" && req.url().includes("/socket.io/")) recordPackets(wire, req.postData() || "");
  });
  page.on("websocket", (ws) => ws.on("framesent", (frame) => recordPackets(wire, String(frame.payload))));
  page.on("console", (msg) => {
    if (msg.type() === "error") consoleErrors.push(msg.text());
  });
  page.on("pageerror", (err) => consoleErrors.push(String(err)));
  page.on("dialog", (dialog) => {
    consoleErrors.push(`dialog opened: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  return {
    context,
    page,
    requests,
    consoleErrors,
    wire,
    async close() {
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

// Socket.IO packets (several per polling body, split by \x1e): keep our two client events.
function recordPackets(wire, payload) {
  for (const packet of payload.split("\x1e")) {
    const m = /^42(\[.*\])$/s.exec(packet);
    if (!m) continue;
    try {
      const [event, data] = JSON.parse(m[1]);
      if (event === "session_request" || event === "user_uttered") {
        wire.push({ event, session_id: data && data.session_id, message: data && data.message });
      }
    } catch {
      /* not JSON: not ours */
    }
  }
}

// Everything the widget shows, read from its (open) shadow root.
function widgetState(page) {
  return page.evaluate(() => {
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
    const messages = [...root.querySelectorAll(".alw-log .alw-msg")].map((node) => ({
      from: node.classList.contains("alw-msg--user") ? "user" : node.classList.contains("alw-msg--bot") ? "bot" : "intro",
      text: shownText(node.querySelector(".alw-bubble")),
      buttons: [...node.querySelectorAll("button.alw-reply")].map((b) => b.textContent),
      pending: !!node.querySelector(".alw-msg-note"),
      links: [...node.querySelectorAll(".alw-bubble a")].map((a) => ({
        href: a.getAttribute("href"),
        target: a.getAttribute("target"),
        rel: a.getAttribute("rel"),
        text: shownText(a),
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
      documentActiveIsHost: document.activeElement === host,
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
  });
}

async function waitFor(page, predicate, what, timeout = 30000) {
  const start = Date.now();
  let last = null;
  while (Date.now() - start < timeout) {
    last = await widgetState(page);
    if (predicate(last)) return last;
    await page.waitForTimeout(150);
  }
  errors.push(`timed out after ${timeout} ms waiting for: ${what}`);
  return last;
}

const botCount = (s) => (s.messages || []).filter((m) => m.from === "bot").length;

async function openByKeyboard(page) {
  // Tab from the top of the page until the launcher has focus, then press Enter.
  await page.locator("body").focus().catch(() => {});
  let tabs = 0;
  for (; tabs < 20; tabs += 1) {
    await page.keyboard.press("Tab");
    const s = await widgetState(page);
    if (s.activeElement && String(s.activeElement.className).includes("alw-launcher")) break;
  }
  const focusStyle = await page.evaluate(() => {
    const root = document.getElementById("advieslijn-chat-widget").shadowRoot;
    const el = root.activeElement;
    if (!el) return null;
    const cs = getComputedStyle(el);
    return { outlineStyle: cs.outlineStyle, outlineWidth: cs.outlineWidth, matchesFocusVisible: el.matches(":focus-visible") };
  });
  await page.keyboard.press("Enter");
  return { tabs: tabs + 1, focusStyle };
}

async function typeAndSend(page, text) {
  await page.locator("#alw-input").fill("");
  await page.locator("#alw-input").pressSequentially(text, { delay: 5 });
  await page.keyboard.press("Enter");
}

function allowedOrigins() {
  return [new URL(config.pageUrl).origin, new URL(config.rasaUrl).origin];
}

function foreignRequests(requests) {
  const allowed = allowedOrigins();
  const wsAllowed = allowed.map((o) => o.replace(/^http/, "ws"));
  return requests.filter((u) => {
    if (u.startsWith("data:") || u.startsWith("blob:")) return false;
    const origin = new URL(u).origin;
    return !allowed.includes(origin) && !wsAllowed.includes(origin);
  });
}

/* ---------- scenarios ---------- */

async function scenarioConversation() {
  const b = await launch();
  try {
    const { page } = b;
    await page.goto(config.pageUrl, { waitUntil: "load" });
    await page.waitForSelector(".alw-launcher");
    const before = await widgetState(page);
    observations.initial = { panelOpen: before.panelOpen, launcherVisible: before.launcherVisible, lang: before.lang };

    const kb = await openByKeyboard(page);
    observations.keyboard = kb;
    const opened = await waitFor(page, (s) => s.panelOpen, "panel open after Enter on launcher", 5000);
    observations.afterOpen = {
      panelOpen: opened.panelOpen,
      launcherExpanded: opened.launcherExpanded,
      activeElement: opened.activeElement,
      inputLabel: opened.inputLabel,
      logRole: opened.logRole,
      logLive: opened.logLive,
      privacyNote: opened.privacyNote,
    };

    // Record whether the typing indicator was shown before the first bot message arrived
    // (the bot may answer within milliseconds, so watch the DOM rather than poll).
    await page.evaluate(() => {
      const root = document.getElementById("advieslijn-chat-widget").shadowRoot;
      const typing = root.querySelector(".alw-typing");
      const logEl = root.querySelector(".alw-log");
      window.__typing = { shownBeforeReply: null };
      new MutationObserver(() => {
        if (!typing.hidden && window.__typing.shownBeforeReply === null && !logEl.querySelector(".alw-msg--bot")) {
          window.__typing.shownBeforeReply = true;
        }
      }).observe(typing, { attributes: true, attributeFilter: ["hidden"] });
    });
    await typeAndSend(page, "hallo");
    const greeted = await waitFor(page, (s) => botCount(s) >= 1 && !s.typingVisible, "bot reply to hallo");
    await page.waitForTimeout(700); // let multi-part replies arrive
    const afterHallo = await widgetState(page);
    observations.typingIndicatorSeen = await page.evaluate(() => window.__typing.shownBeforeReply);
    observations.afterHallo = { messages: afterHallo.messages, inputValue: afterHallo.inputValue, sessionId: afterHallo.sessionId };

    // Click the first answer button of the latest bot message.
    const withButtons = afterHallo.messages.filter((m) => m.from === "bot" && m.buttons.length);
    if (withButtons.length) {
      const title = withButtons.at(-1).buttons[0];
      const count = botCount(afterHallo);
      await page.locator("button.alw-reply").first().click();
      const afterClick = await waitFor(page, (s) => botCount(s) > count, "bot reply after button click");
      await page.waitForTimeout(700);
      const s = await widgetState(page);
      observations.button = {
        clicked: title,
        userMessages: s.messages.filter((m) => m.from === "user").map((m) => m.text),
        newBotMessages: s.messages.slice(afterHallo.messages.length).filter((m) => m.from === "bot").map((m) => m.text),
        focusAfterClick: afterClick.activeElement,
        buttonsLeft: s.messages.flatMap((m) => m.buttons),
      };
    } else {
      errors.push("no bot message with buttons after 'hallo'");
    }

    const beforeReload = await widgetState(page);
    observations.beforeReload = {
      sessionId: beforeReload.sessionId,
      messages: beforeReload.messages,
      storedSessionId: beforeReload.storage && beforeReload.storage.sessionId,
    };

    await page.reload({ waitUntil: "load" });
    const reloaded = await waitFor(page, (s) => s.mounted && s.panelOpen && s.messages.length >= beforeReload.messages.length, "transcript after reload", 10000);
    observations.afterReload = { sessionId: reloaded.sessionId, messages: reloaded.messages, panelOpen: reloaded.panelOpen };

    const n = botCount(reloaded);
    await typeAndSend(page, "hallo");
    await waitFor(page, (s) => botCount(s) > n, "bot reply after reload");
    await page.waitForTimeout(700);
    const continued = await widgetState(page);
    observations.afterReloadMessage = {
      sessionId: continued.sessionId,
      newMessages: continued.messages.slice(reloaded.messages.length),
    };

    // Escape closes and gives focus back to the launcher; Enter opens again, focus in the input.
    await page.locator("#alw-input").focus();
    await page.keyboard.press("Escape");
    const closed = await waitFor(page, (s) => !s.panelOpen, "panel closed by Escape", 3000);
    observations.escape = { panelOpen: closed.panelOpen, activeElement: closed.activeElement, launcherExpanded: closed.launcherExpanded };
    await page.keyboard.press("Enter");
    const reopened = await waitFor(page, (s) => s.panelOpen, "panel reopened by Enter", 3000);
    observations.reopen = { panelOpen: reopened.panelOpen, activeElement: reopened.activeElement };

    observations.storage = {
      localStorageKeys: continued.localStorageKeys,
      documentCookies: continued.cookies,
      contextCookies: (await b.context.cookies()).map((c) => `${c.domain}:${c.name}`),
      storedMessages: continued.storage ? continued.storage.messages.length : 0,
    };
    observations.requests = { total: b.requests.length, foreign: foreignRequests(b.requests) };
    observations.consoleErrors = b.consoleErrors;
    observations.wire = b.wire;
  } finally {
    await b.close();
  }
}

async function scenarioInjection() {
  const b = await launch();
  try {
    const { page } = b;
    // Keep the socket on WebSocket frames we can see, and inject one hostile bot message.
    let route = null;
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((m) => server.send(m));
      server.onMessage((m) => ws.send(m));
      route = ws;
    });
    await page.goto(config.pageUrl, { waitUntil: "load" });
    await page.locator(".alw-launcher").click();
    await waitFor(page, (s) => s.panelOpen, "panel open", 5000);

    const evil = "<img src=x onerror=window.__xss=1>";
    await typeAndSend(page, evil);
    await waitFor(page, (s) => botCount(s) >= 1, "bot reply to the injected text");
    const s1 = await widgetState(page);
    observations.userInjection = {
      sent: evil,
      shown: s1.messages.filter((m) => m.from === "user").map((m) => m.text),
      imgInWidget: s1.imgInWidget,
      imgInDocument: s1.imgInDocument,
      xssFlag: s1.xssFlag,
    };

    // A bot message with markup, a javascript: link, a markdown link and a bare URL.
    await waitFor(page, () => route !== null, "socket.io upgraded to WebSocket", 15000);
    const hostile = {
      text:
        'Lees <b>dit</b> <img src=x onerror=window.__xss=2> en [klik](javascript:window.__xss=3) ' +
        "of [de uitleg](https://example.org/uitleg) of https://example.org/pagina.",
      quick_replies: [{ content_type: "text", title: "<i>Ja</i>", payload: "/affirm" }],
    };
    const count = botCount(s1);
    if (route) route.send("42" + JSON.stringify(["bot_uttered", hostile]));
    await waitFor(page, (s) => botCount(s) > count, "injected bot message shown", 5000);
    const s2 = await widgetState(page);
    const last = s2.messages.filter((m) => m.from === "bot").at(-1) || {};
    observations.botInjection = {
      text: last.text,
      links: last.links,
      buttons: last.buttons,
      imgInWidget: s2.imgInWidget,
      xssFlag: s2.xssFlag,
    };
    observations.consoleErrors = b.consoleErrors;
    observations.requests = { total: b.requests.length, foreign: foreignRequests(b.requests) };
  } finally {
    await b.close();
  }
}

async function axeScan(page) {
  await page.evaluate(AXE_SOURCE); // evaluate, not a <script>: the demo page's CSP stays strict
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return {
      violations: result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
      })),
      passes: result.passes.length,
    };
  });
}

async function layoutCheck(page) {
  return page.evaluate(() => {
    const root = document.getElementById("advieslijn-chat-widget").shadowRoot;
    const box = (sel) => {
      const r = root.querySelector(sel).getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
    };
    const panel = root.querySelector(".alw-panel");
    return {
      viewport: { width: window.innerWidth, height: window.innerHeight },
      panel: box(".alw-panel"),
      input: box("#alw-input"),
      send: box(".alw-send"),
      close: box(".alw-close"),
      panelHorizontalOverflow: panel.scrollWidth - panel.clientWidth,
      documentHorizontalOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    };
  });
}

async function scenarioA11y() {
  const b = await launch({ width: 1280, height: 800 });
  try {
    const { page } = b;
    await page.goto(config.pageUrl, { waitUntil: "load" });
    await page.waitForSelector(".alw-launcher");
    observations.axeClosed = await axeScan(page);
    await page.locator(".alw-launcher").click();
    await waitFor(page, (s) => s.panelOpen, "panel open", 5000);
    await typeAndSend(page, "hallo");
    await waitFor(page, (s) => botCount(s) >= 1 && !s.typingVisible, "bot reply to hallo");
    await page.waitForTimeout(700);
    // Focus somewhere neutral so the screenshot shows the conversation, not a focus ring.
    await page.locator("#alw-input").focus();
    observations.messages = (await widgetState(page)).messages;
    observations.axeOpenDesktop = await axeScan(page);
    observations.layoutDesktop = await layoutCheck(page);
    mkdirSync(config.screenshotsDir, { recursive: true });
    await page.screenshot({ path: join(config.screenshotsDir, "widget-desktop.png") });

    // 200 % zoom of a 1280x800 window = a 640x400 CSS-pixel viewport at device scale 2.
    await page.setViewportSize({ width: 640, height: 400 });
    await page.waitForTimeout(200);
    observations.layoutZoom200 = await layoutCheck(page);
    observations.axeZoom200 = await axeScan(page);

    await page.setViewportSize({ width: 360, height: 740 });
    await page.waitForTimeout(200);
    observations.layoutPhone = await layoutCheck(page);
    observations.axeOpenPhone = await axeScan(page);
    await page.screenshot({ path: join(config.screenshotsDir, "widget-phone.png") });

    // WCAG 1.4.10 reflow: 320 CSS px wide (1280 px at 400 %).
    await page.setViewportSize({ width: 320, height: 480 });
    await page.waitForTimeout(200);
    observations.layoutReflow320 = await layoutCheck(page);
    observations.screenshots = ["widget-desktop.png", "widget-phone.png"].map((f) => join(config.screenshotsDir, f));
    observations.consoleErrors = b.consoleErrors;
    observations.requests = { total: b.requests.length, foreign: foreignRequests(b.requests) };
  } finally {
    await b.close();
  }
}

async function scenarioOffline() {
  const b = await launch();
  try {
    const { page } = b;
    await page.goto(config.pageUrl, { waitUntil: "load" });
    await page.locator(".alw-launcher").click();
    await waitFor(page, (s) => s.panelOpen, "panel open", 5000);
    await typeAndSend(page, "hallo");
    await waitFor(page, (s) => botCount(s) >= 1, "bot reply before the server stops");
    await page.waitForTimeout(500);
    const online = await widgetState(page);
    observations.beforeStop = { offlineNotice: online.offlineNotice, botMessages: botCount(online) };
    observations.sessionId = online.sessionId;

    await askDriver("stop_rasa");
    const dropped = await waitFor(page, (s) => s.offlineNotice, "offline notice after the connection dropped", 30000);
    observations.dropped = { offlineNotice: dropped.offlineNotice, statusText: dropped.statusText, statusRole: dropped.statusRole, statusLinks: dropped.statusLinks };

    const queuedText = "Mijn kind krijgt geen extra ondersteuning";
    await typeAndSend(page, queuedText);
    const queued = await waitFor(page, (s) => s.messages.some((m) => m.from === "user" && m.text === queuedText), "queued message shown", 5000);
    observations.queued = {
      message: queued.messages.find((m) => m.from === "user" && m.text === queuedText) || null,
      inputValue: queued.inputValue,
      storedPending: queued.storage ? queued.storage.messages.filter((m) => m.pending).map((m) => m.text) : [],
    };

    // The fallback must be accessible too; a picture of it for the docs.
    observations.axeOffline = await axeScan(page);
    mkdirSync(config.screenshotsDir, { recursive: true });
    await page.screenshot({ path: join(config.screenshotsDir, "widget-offline.png") });

    // Reload while the server is down: the server cannot be reached at all now.
    await page.reload({ waitUntil: "load" });
    const unreachable = await waitFor(page, (s) => s.mounted && s.offlineNotice, "offline notice after reload with the server down", 30000);
    observations.unreachable = {
      offlineNotice: unreachable.offlineNotice,
      statusText: unreachable.statusText,
      pendingShown: unreachable.messages.filter((m) => m.pending).map((m) => m.text),
    };

    const bots = botCount(unreachable);
    await askDriver("start_rasa");
    const back = await waitFor(
      page,
      (s) => !s.offlineNotice && botCount(s) > bots && !s.messages.some((m) => m.pending),
      "reconnect, queued message sent and answered",
      90000
    );
    await page.waitForTimeout(500);
    const after = await widgetState(page);
    observations.reconnected = {
      offlineNotice: back.offlineNotice,
      statusText: after.statusText,
      pending: after.messages.filter((m) => m.pending).map((m) => m.text),
      newBotMessages: after.messages.slice(unreachable.messages.length).filter((m) => m.from === "bot").map((m) => m.text),
      sessionIdSame: after.sessionId === online.sessionId,
    };
    observations.wire = b.wire;
    observations.requests = { total: b.requests.length, foreign: foreignRequests(b.requests) };
  } finally {
    await b.close();
  }
}

const SCENARIOS = {
  conversation: scenarioConversation,
  injection: scenarioInjection,
  a11y: scenarioA11y,
  offline: scenarioOffline,
};

async function main() {
  const run = SCENARIOS[config.scenario];
  if (!run) {
    errors.push(`unknown scenario: ${config.scenario}`);
  } else {
    try {
      await run();
    } catch (err) {
      errors.push(`exception: ${err && err.stack ? err.stack : err}`);
    }
  }
  const result = { type: "result", scenario: config.scenario, observations, errors };
  if (config.artifactsDir) {
    mkdirSync(config.artifactsDir, { recursive: true });
    writeFileSync(join(config.artifactsDir, `${config.scenario}.json`), JSON.stringify(result, null, 2));
  }
  emit(result);
  stdinLines.close();
  process.exit(0);
}

main();
