#!/usr/bin/env node
// Builds the chat widget into web/dist (or --out DIR):
//   widget.js    the widget, its CSS and the socket.io client in one file, with the advice
//                line's facts from content/advieslijn.yml
//   index.html   a demo page (its facts also from content/advieslijn.yml) + demo.css
//   THIRD-PARTY-LICENSES.txt  licences of the bundled socket.io client packages
//
// Usage: node scripts/build.mjs [--out DIR] [--server-url URL] [--content FILE]
//   --server-url  the Rasa server the demo page talks to (default: $WIDGET_SERVER_URL or
//                 http://127.0.0.1:5005). Only the demo page uses it; an embedding page sets
//                 its own data-server-url.
// Needs only Node and the packages in web/package.json (npm ci). No network.

import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoDir = resolve(webDir, "..");

// Where an installed package lives (package "exports" maps hide dist/ and package.json from
// require.resolve, so look in node_modules directly; nested copies are looked for too).
function packageDir(name) {
  const candidates = [
    join(webDir, "node_modules", name),
    join(webDir, "node_modules", "socket.io-client", "node_modules", name),
  ];
  const found = candidates.find((dir) => existsSync(join(dir, "package.json")));
  if (!found) fail(`package ${name} is not installed: run npm --prefix web ci`);
  return found;
}

function parseArgs(argv) {
  const args = {
    out: join(webDir, "dist"),
    serverUrl: process.env.WIDGET_SERVER_URL || "http://127.0.0.1:5005",
    content: join(repoDir, "content", "advieslijn.yml"),
  };
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i];
    const value = argv[i + 1];
    if (name === "--out") args.out = resolve(value);
    else if (name === "--server-url") args.serverUrl = value;
    else if (name === "--content") args.content = resolve(value);
    else throw new Error(`unknown argument: ${name}`);
    i += 1;
  }
  return args;
}

function fail(message) {
  console.error(`build: ${message}`);
  process.exit(1);
}

function httpUrlOrEmpty(value, what) {
  if (value === undefined || value === null || value === "") return "";
  let url;
  try {
    url = new URL(String(value));
  } catch {
    fail(`${what} is not a URL: ${value}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") fail(`${what} must be http(s): ${value}`);
  return url.href;
}

const DAY_NAMES = ["", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];

function openingHoursText(hours) {
  if (!hours || !Array.isArray(hours.weekdays) || !hours.open || !hours.close) return "";
  const days = [...hours.weekdays].map(Number).sort();
  let when;
  if (days.join(",") === "1,2,3,4,5") when = "op werkdagen";
  else if (days.join(",") === "1,2,3,4,5,6,7") when = "elke dag";
  else {
    const names = days.map((d) => DAY_NAMES[d]).filter(Boolean);
    when = "op " + (names.length > 1 ? `${names.slice(0, -1).join(", ")} en ${names.at(-1)}` : names[0]);
  }
  return `${when} van ${hours.open} tot ${hours.close} uur`;
}

// The facts the widget needs, read from the one file that holds them.
function readFacts(contentFile) {
  const doc = parseYaml(readFileSync(contentFile, "utf8"));
  const line = (doc && doc.advieslijn) || {};
  const phone = String(line.phone || "").trim();
  if (!/^[0-9+][0-9 -]{5,}$/.test(phone)) fail(`advieslijn.phone missing or odd in ${contentFile}: "${phone}"`);
  return {
    organisation: String(line.organisation || ""),
    phone,
    contactFormUrl: httpUrlOrEmpty(line.contact_form_url, "advieslijn.contact_form_url"),
    voicemail: line.voicemail === true,
    openingHoursText: openingHoursText(doc.opening_hours),
    emergency: String((doc.crisis && doc.crisis.emergency) || ""),
    fallbackDays: fallbackDays(process.env),
  };
}

// How many days the bot keeps messages it did not understand (redacted), for the privacy note;
// 0 when it keeps none. The same settings, rules and operator errors as store/known_settings.py
// (this build cannot import Python; tests/integration/test_widget_build.py checks that they
// agree): rebuild the widget when you change them.
function fallbackDays(env) {
  // OFF_WORDS and ON_WORDS of store/settings.py, the one source of the on/off words.
  const off = ["0", "off", "false", "no", "nee"];
  const on = ["1", "on", "true", "yes", "ja"];
  const keep = readSetting(env, "ADVIESLIJN_STORE_FALLBACKS", true,
    `on (${on.join(", ")}) or off (${off.join(", ")}) (unset: on)`, (text) => {
      const word = text.toLowerCase();
      if (!on.includes(word) && !off.includes(word)) throw "not an on or off word";
      return on.includes(word);
    });
  if (!keep) return 0;
  return readSetting(env, "ADVIESLIJN_RETENTION_DAYS", 30, "a whole number of days, at least 1 (unset: 30)", (text) => {
    if (!/^[+-]?[0-9]+$/.test(text)) throw "not a whole number";
    if (Number(text) < 1) throw "less than 1";
    return Number(text);
  });
}

// A setting as store/settings.py reads it: unset or spaces give `fallback`; a value `read` refuses
// (it throws the problem) stops the build with the same line as a process that refuses to start.
function readSetting(env, name, fallback, allowed, read) {
  const text = String(env[name] || "").trim();
  if (!text) return fallback;
  try {
    return read(text);
  } catch (problem) {
    return fail(`${name}='${text}': ${problem}; allowed: ${allowed}`);
  }
}

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function socketIoBundle() {
  const file = join(packageDir("socket.io-client"), "dist", "socket.io.min.js");
  return readFileSync(file, "utf8").replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
}

function thirdPartyLicenses() {
  const packages = [
    "socket.io-client",
    "engine.io-client",
    "engine.io-parser",
    "socket.io-parser",
    "@socket.io/component-emitter",
  ];
  const parts = ["Third-party code bundled in widget.js (all MIT licensed).\n"];
  for (const name of packages) {
    const pkgDir = packageDir(name);
    const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
    const licenceFile = ["LICENSE", "LICENSE.md", "License", "license"].map((f) => join(pkgDir, f)).find(existsSync);
    parts.push(`\n==== ${pkg.name} ${pkg.version} (${pkg.license}) ====\n`);
    parts.push(licenceFile ? readFileSync(licenceFile, "utf8") : `License: ${pkg.license}\n`);
  }
  return parts.join("");
}

function widgetBundle(facts) {
  const widgetSource = readFileSync(join(webDir, "src", "widget.js"), "utf8");
  const css = readFileSync(join(webDir, "src", "widget.css"), "utf8");
  const sioVersion = JSON.parse(readFileSync(join(packageDir("socket.io-client"), "package.json"), "utf8")).version;
  return [
    `/*! Advieslijn chat widget. Includes the Socket.IO client v${sioVersion} (MIT); see THIRD-PARTY-LICENSES.txt. */`,
    "(function () {",
    "var io = (function () {",
    "var module = { exports: {} };",
    "var exports = module.exports;",
    "var define;",
    socketIoBundle(),
    "return module.exports;",
    "})();",
    `var FACTS = ${JSON.stringify(facts)};`,
    `var WIDGET_CSS = ${JSON.stringify(css)};`,
    "(function () {",
    '"use strict";',
    widgetSource,
    "})();",
    "})();",
    "",
  ].join("\n");
}

// Strict policy for the demo page: everything from our own origin, the socket only to the Rasa
// server. It also proves the widget needs no third party and no inline script or style.
function demoCsp(serverUrl) {
  const server = new URL(serverUrl);
  const wsOrigin = `${server.protocol === "https:" ? "wss:" : "ws:"}//${server.host}`;
  return [
    "default-src 'self'",
    `connect-src 'self' ${server.origin} ${wsOrigin}`,
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

// The headers every server of the demo page sends (scripts/serve_web.py, nginx): the policy as a
// header, where it also forbids framing the page (frame-ancestors only works as a header).
function securityHeaders(serverUrl) {
  return {
    "Content-Security-Policy": `${demoCsp(serverUrl)}; frame-ancestors 'none'`,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
  };
}

function demoPage(facts, serverUrl) {
  const server = new URL(serverUrl);
  const csp = demoCsp(serverUrl);
  const phoneHref = `tel:${facts.phone.replace(/[^0-9+]/g, "")}`;
  const contactForm = facts.contactFormUrl
    ? `<a href="${escapeHtml(facts.contactFormUrl)}" rel="noopener noreferrer">het contactformulier</a>`
    : "het contactformulier op de website";
  const hours = facts.openingHoursText ? ` (${escapeHtml(facts.openingHoursText)})` : "";
  const org = facts.organisation ? ` van ${escapeHtml(facts.organisation)}` : "";
  return `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="referrer" content="no-referrer">
<title>Advieslijn passend onderwijs – chat (demo)</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="demo.css">
</head>
<body>
<header class="demo-header">
<p class="demo-brand">Advieslijn passend onderwijs${org}</p>
</header>
<main id="inhoud" class="demo-main">
<h1>Vragen over passend onderwijs?</h1>
<p>Heeft je kind extra ondersteuning nodig op school, of loopt het vast? Stel je vraag aan onze digitale assistent via de knop <strong>Stel je vraag</strong> rechtsonder.</p>
<h2>Liever iemand spreken?</h2>
<p>Bel de advieslijn: <a href="${escapeHtml(phoneHref)}">${escapeHtml(facts.phone)}</a>${hours}.${facts.voicemail ? " Buiten die tijden kun je een bericht inspreken." : ""} Je kunt ook ${contactForm} gebruiken.</p>
<p class="demo-note">Dit is een demonstratiepagina van de chat. De chat bewaart het gesprek alleen in dit browsertabblad en verdwijnt als je het tabblad sluit.</p>
</main>
<script src="widget.js" data-server-url="${escapeHtml(server.origin)}" data-title="Advieslijn-assistent" data-primary-color="#005a8c" data-start-open="false" defer></script>
</body>
</html>
`;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const facts = readFacts(args.content);
  rmSync(args.out, { recursive: true, force: true });
  mkdirSync(args.out, { recursive: true });
  writeFileSync(join(args.out, "widget.js"), widgetBundle(facts));
  writeFileSync(join(args.out, "index.html"), demoPage(facts, args.serverUrl));
  writeFileSync(join(args.out, "demo.css"), readFileSync(join(webDir, "src", "demo.css"), "utf8"));
  writeFileSync(join(args.out, "THIRD-PARTY-LICENSES.txt"), thirdPartyLicenses());
  writeFileSync(join(args.out, "security-headers.json"), JSON.stringify(securityHeaders(args.serverUrl), null, 2) + "\n");
  console.log(`build: wrote widget.js, index.html, demo.css, THIRD-PARTY-LICENSES.txt, security-headers.json to ${args.out}`);
  console.log(`build: advice line ${facts.phone}, contact form ${facts.contactFormUrl || "(no URL: named without a link)"}`);
}

main();
