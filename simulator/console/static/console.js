// The simulator's web console: plain DOM and fetch, no framework, no build step.
//
// Everything shown comes from the control plane's JSON endpoints under /__sim/. The page
// never polls: GET /__sim/stream (server-sent events) says when something changed, with the
// clock attached, and the page then fetches the schedule and the visible tab again.

const API = "/__sim";
const PAGE_SIZE = { messages: 100, bulks: 100, webhooks: 50 };

// -- small helpers -------------------------------------------------------------------------

const $ = (selector) => document.querySelector(selector);

/** An element with properties and children; strings become text nodes (never HTML). */
function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...children.flat(Infinity).filter((child) => child !== null && child !== undefined));
  return node;
}

class ApiError extends Error {
  constructor(message, field, status) {
    super(message);
    this.field = field;
    this.status = status;
  }
}

/** Call the control plane; a refusal becomes an ApiError carrying the server's words. */
async function api(path, { method = "GET", body } = {}) {
  const init = { method, cache: "no-store", headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(API + path, init);
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const message = data?.error ?? `${response.status} ${response.statusText}`;
    const field = data?.field ?? null;
    throw new ApiError(field ? `${field}: ${message}` : message, field, response.status);
  }
  return data;
}

// Instants arrive as 2026-01-01T09:00:03.000+0000 (always UTC).
const toMillis = (instant) => Date.parse(instant.replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));
const fullTime = (millis) => new Date(millis).toISOString().replace("T", " ").replace("Z", "");

/** A compact instant: the time of day, with the date when it is not the clock's date. */
function shortTime(instant) {
  if (!instant) return "—";
  const date = instant.slice(0, 10);
  const time = instant.slice(11, 23);
  const today = clock.snapshot?.now.slice(0, 10);
  return date === today ? time : `${date} ${time}`;
}

function timeTag(instant) {
  return h("time", { datetime: instant, title: instant }, shortTime(instant));
}

/** "in 3 s", "2 min ago": an instant relative to the virtual now. */
function relative(instant) {
  const now = clockNow();
  if (!instant || now === null) return "";
  const delta = toMillis(instant) - now;
  let left = Math.round(Math.abs(delta) / 1000);
  if (left === 0) return "now";
  const parts = [];
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["min", 60], ["s", 1]]) {
    if (left >= size && parts.length < 2) {
      parts.push(`${Math.floor(left / size)} ${unit}`);
      left %= size;
    }
  }
  return delta > 0 ? `in ${parts.join(" ")}` : `${parts.join(" ")} ago`;
}

function badge(text, group) {
  return h("span", { class: `badge ${String(group).toLowerCase()}`, title: group }, text);
}

// -- notices ---------------------------------------------------------------------------------

let noticeTimer = 0;

function notify(text, kind = "info") {
  const notice = $("#notice");
  notice.className = `notice ${kind}`;
  $("#notice-text").textContent = text;
  notice.hidden = false;
  clearTimeout(noticeTimer);
  if (kind === "info") noticeTimer = setTimeout(() => (notice.hidden = true), 5000);
}

function showError(error) {
  notify(error instanceof Error ? error.message : String(error), "error");
}

/** An event handler that runs an action, disables its button meanwhile, and reports errors. */
function action(run) {
  return async (event) => {
    event.preventDefault();
    const button = event.submitter ?? event.currentTarget;
    if (button instanceof HTMLButtonElement) button.disabled = true;
    try {
      await run(event);
    } catch (error) {
      showError(error);
    } finally {
      if (button instanceof HTMLButtonElement) button.disabled = false;
      renderClock();
    }
  };
}

function debounce(run, wait = 200) {
  let timer = 0;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(run, wait);
  };
}

// -- the clock -------------------------------------------------------------------------------

const clock = { snapshot: null, receivedAt: 0, typed: false };

function applyClock(snapshot) {
  clock.snapshot = snapshot;
  clock.receivedAt = performance.now();
  renderClock();
}

/** The virtual now in milliseconds; in realtime mode it runs on between notifications. */
function clockNow() {
  const snapshot = clock.snapshot;
  if (!snapshot) return null;
  let now = toMillis(snapshot.now);
  if (snapshot.mode === "realtime") now += (performance.now() - clock.receivedAt) * snapshot.rate;
  return Math.floor(now);
}

function renderClock() {
  const snapshot = clock.snapshot;
  if (!snapshot) return;
  $("#clock-now").textContent = fullTime(clockNow());
  const realtime = snapshot.mode === "realtime";
  $("#clock-mode").textContent = realtime ? `realtime ×${snapshot.rate}` : snapshot.mode;
  $("#clock-mode").dataset.mode = snapshot.mode;
  const play = $("#play");
  play.textContent = realtime ? "⏸ Pause" : "▶ Play";
  play.setAttribute("aria-pressed", String(realtime));
  const next = $("#advance-next");
  next.disabled = !snapshot.nextEventAt;
  $("#next-at").textContent = snapshot.nextEventAt ? relative(snapshot.nextEventAt) : "";
  const target = $("#advance-to");
  if (!clock.typed && document.activeElement !== target) target.value = snapshot.now;
  const rate = $("#rate");
  if (realtime && document.activeElement !== rate) rate.value = String(snapshot.rate);
}

setInterval(() => {
  if (clock.snapshot?.mode === "realtime") renderClock();
}, 200);

async function advance(body) {
  applyClock(await api("/clock/advance", { method: "POST", body }));
}

function bindClock() {
  for (const button of document.querySelectorAll("[data-by]")) {
    button.addEventListener("click", action(() => advance({ by: button.dataset.by })));
  }
  $("#advance-next").addEventListener("click", action(() => advance({ next: true })));
  $("#advance-to").addEventListener("input", () => (clock.typed = true));
  $("#advance-to-form").addEventListener(
    "submit",
    action(async () => {
      await advance({ to: $("#advance-to").value.trim() });
      clock.typed = false;
    }),
  );
  const setMode = async (body) => applyClock(await api("/clock/mode", { method: "POST", body }));
  const play = () => setMode({ mode: "realtime", rate: Number($("#rate").value) || 1 });
  const playing = () => clock.snapshot?.mode === "realtime";
  $("#play").addEventListener(
    "click",
    action(() => (playing() ? setMode({ mode: "manual" }) : play())),
  );
  // Enter in the rate field plays at that rate; while playing, a new rate applies at once.
  $("#realtime-form").addEventListener("submit", action(play));
  $("#rate").addEventListener(
    "change",
    action(async () => {
      if (playing()) await play();
    }),
  );
}

// -- refreshing ------------------------------------------------------------------------------

const loaders = {
  schedule: loadSchedule,
  scenario: loadScenario,
  messages: loadMessages,
  bulks: loadBulks,
  webhooks: loadWebhooks,
  inbound: loadInbound,
};
const wanted = new Set();
let draining = null;
let currentTab = "messages";

/** Fetch these panels again; loads never overlap, and requests made meanwhile coalesce. */
function refresh(...names) {
  for (const name of names) wanted.add(name);
  draining ??= drain();
  return draining;
}

async function drain() {
  try {
    while (wanted.size) {
      const names = [...wanted];
      wanted.clear();
      await Promise.all(names.map((name) => loaders[name]().catch(showError)));
    }
  } finally {
    draining = null;
  }
}

function connect() {
  const source = new EventSource(`${API}/stream`);
  const live = $("#live");
  source.addEventListener("open", () => {
    live.textContent = "live";
    live.dataset.state = "live";
  });
  source.addEventListener("error", () => {
    live.textContent = "reconnecting…";
    live.dataset.state = "down";
  });
  source.addEventListener("changed", (event) => {
    const data = JSON.parse(event.data);
    const what = new Set(data.what);
    applyClock(data.clock);
    renderCounts(data.counts);
    showScenarioName(data.scenario);
    if (what.has("reset")) {
      for (const view of [messages, bulks, webhooks]) view.offset = 0;
      opened.messages.clear();
      opened.webhooks.clear();
    }
    if (what.has("hello") || what.has("reset")) refresh("scenario");
    refresh("schedule", currentTab);
  });
}

function renderCounts(counts) {
  for (const node of document.querySelectorAll("[data-count]")) {
    const count = counts?.[node.dataset.count];
    node.textContent = count ? count.toLocaleString("en") : "";
  }
}

// -- tabs and pagers -------------------------------------------------------------------------

const TABS = ["messages", "bulks", "webhooks", "inbound"];

function selectTab(name) {
  currentTab = TABS.includes(name) ? name : "messages";
  for (const tab of TABS) {
    $(`#tab-${tab}`).hidden = tab !== currentTab;
    $(`#tab-button-${tab}`).setAttribute("aria-selected", String(tab === currentTab));
  }
  if (location.hash !== `#${currentTab}`) history.replaceState(null, "", `#${currentTab}`);
  refresh(currentTab);
}

function renderPager(name, data) {
  const pager = document.querySelector(`[data-pager="${name}"]`);
  const first = data.total ? data.offset + 1 : 0;
  const last = Math.min(data.offset + data.limit, data.total);
  pager.querySelector(".range").textContent =
    `${first.toLocaleString("en")}–${last.toLocaleString("en")} of ${data.total.toLocaleString("en")}`;
  pager.querySelector('[data-step="-1"]').disabled = data.offset === 0;
  pager.querySelector('[data-step="1"]').disabled = last >= data.total;
  pager.hidden = data.total <= data.limit && data.offset === 0;
}

function bindPager(name, view) {
  for (const button of document.querySelectorAll(`[data-pager="${name}"] [data-step]`)) {
    button.addEventListener("click", () => {
      view.offset = Math.max(0, view.offset + Number(button.dataset.step) * PAGE_SIZE[name]);
      refresh(name);
    });
  }
}

function bindFilter(name, view, fields) {
  const changed = () => {
    for (const [key, selector] of Object.entries(fields)) view[key] = $(selector).value.trim();
    view.offset = 0;
    refresh(name);
  };
  const later = debounce(changed);
  for (const selector of Object.values(fields)) {
    $(selector).addEventListener(selector.endsWith("q") ? "input" : "change", later);
  }
  $(`#${name.replace(/s$/, "")}-filter`).addEventListener("submit", (event) => {
    event.preventDefault();
    changed();
  });
}

/** Keeps <details> open across re-renders, by key. */
const opened = { messages: new Set(), webhooks: new Set() };

function keepOpen(details, set, key, onOpen = () => {}) {
  if (set.has(key)) {
    details.open = true;
    onOpen();
  }
  details.addEventListener("toggle", () => {
    if (details.open) {
      set.add(key);
      onOpen();
    } else {
      set.delete(key);
    }
  });
  return details;
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== "") search.set(key, value);
  return search.toString();
}

// -- messages --------------------------------------------------------------------------------

const messages = { q: "", status: "", bulkId: "", offset: 0 };

const LIFECYCLE_KIND = {
  submitted: "submitted",
  scheduled: "send",
  sent: "sent",
  status: "status",
  report: "report",
  webhook: "webhook",
  expiry: "expiry",
};

async function loadMessages() {
  const { q, status, bulkId, offset } = messages;
  const params = query({ q, status, bulkId, offset, limit: PAGE_SIZE.messages });
  const data = await api(`/browse/messages?${params}`);
  if (offset > 0 && offset >= data.total) {
    messages.offset = Math.max(0, data.total - PAGE_SIZE.messages);
    return loadMessages();
  }
  const header = h(
    "div",
    { class: "row head" },
    ["Submitted", "To", "From", "Text", "Bulk", "Status"].map((title) => h("span", {}, title)),
  );
  const rows = data.messages.map(messageRow);
  const list = $("#message-list");
  list.replaceChildren(header, ...rows);
  if (!rows.length) {
    const filtered = q || status || bulkId;
    list.append(
      h(
        "p",
        { class: "empty" },
        filtered ? "No message matches." : "No messages yet: send one through the API.",
      ),
    );
  }
  renderPager("messages", data);
}

function messageRow(message) {
  const group = message.status.groupName;
  const content = message.text ?? (message.hex ? `binary ${message.hex}` : "");
  const summary = h(
    "summary",
    { class: "row" },
    timeTag(message.submittedAt),
    h("span", { class: "to" }, message.to),
    h("span", { class: "from" }, message.from ?? "—"),
    h("span", { class: "text", title: content }, content),
    h(
      "button",
      {
        type: "button",
        class: "link bulk",
        title: `Show only bulk ${message.bulkId}`,
        onclick: (event) => {
          event.preventDefault();
          filterByBulk(message.bulkId);
        },
      },
      message.bulkId,
    ),
    h("span", { class: "status" }, badge(message.status.name, group)),
  );
  const details = h(
    "details",
    { class: "message", dataset: { messageId: message.messageId, group } },
    summary,
  );
  return keepOpen(details, opened.messages, message.messageId, () => {
    if (details.childElementCount === 1) details.append(messageDetail(message));
  });
}

function messageDetail(message) {
  const facts = [
    ["Message id", message.messageId],
    ["API", message.api],
    ["Parts", String(message.smsCount)],
    ["Error", message.error?.name ?? "—"],
    ["Account", message.account],
  ];
  return h(
    "div",
    { class: "detail" },
    h("dl", { class: "facts" }, facts.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)])),
    h("ol", { class: "lifecycle" }, message.lifecycle.map(lifecycleEntry)),
  );
}

function lifecycleEntry(entry) {
  const outcome =
    entry.kind === "webhook" && entry.httpStatus != null
      ? entry.httpStatus >= 200 && entry.httpStatus < 300
        ? "ok"
        : "failed"
      : "";
  return h(
    "li",
    { class: `entry kind-${entry.kind} ${outcome} ${entry.future ? "future" : ""}`.trim() },
    timeTag(entry.at),
    h("span", { class: "kind" }, LIFECYCLE_KIND[entry.kind] ?? entry.kind),
    entry.status ? badge(entry.status, entry.group) : h("span", { class: "label" }, entry.label),
    entry.error ? h("span", { class: "error" }, entry.error) : null,
    entry.url ? h("span", { class: "url" }, entry.url) : null,
    entry.future ? h("span", { class: "when" }, relative(entry.at)) : null,
  );
}

function filterByBulk(bulkId) {
  messages.bulkId = bulkId;
  messages.offset = 0;
  const chip = $("#message-bulk");
  chip.textContent = `bulk ${bulkId} ×`;
  chip.hidden = false;
  selectTab("messages");
}

function bindMessages() {
  bindFilter("messages", messages, { q: "#message-q", status: "#message-status" });
  bindPager("messages", messages);
  $("#message-bulk").addEventListener("click", () => {
    messages.bulkId = "";
    messages.offset = 0;
    $("#message-bulk").hidden = true;
    refresh("messages");
  });
}

// -- the schedule ----------------------------------------------------------------------------

const EVENT_KIND = {
  send: "send",
  step: "status",
  expire: "expiry",
  inbound: "inbound",
  "webhook-batch": "webhook",
  "webhook-retry": "retry",
};

async function loadSchedule() {
  const data = await api("/browse/events?limit=100");
  $("#schedule-total").textContent = data.total ? data.total.toLocaleString("en") : "";
  const list = $("#schedule-list");
  const items = data.events.map((event) =>
    h(
      "li",
      { class: `event ${event.kind}`, dataset: { kind: event.kind } },
      timeTag(event.at),
      h("span", { class: "when" }, relative(event.at)),
      h("span", { class: "kind" }, EVENT_KIND[event.kind] ?? event.kind),
      h("span", { class: "what" }, event.detail),
    ),
  );
  if (!items.length) items.push(h("li", { class: "empty" }, "Nothing scheduled."));
  if (data.total > data.events.length) {
    const more = data.total - data.events.length;
    items.push(h("li", { class: "more" }, `… and ${more.toLocaleString("en")} more`));
  }
  list.replaceChildren(...items);
}

// -- bulks -----------------------------------------------------------------------------------

const bulks = { q: "", status: "", offset: 0 };
const BULK_ACTIONS = [
  ["Pause", "PAUSED"],
  ["Resume", "PENDING"],
  ["Cancel", "CANCELED"],
];

async function loadBulks() {
  const { q, status, offset } = bulks;
  const data = await api(`/bulks?${query({ q, status, offset, limit: PAGE_SIZE.bulks })}`);
  if (offset > 0 && offset >= data.total) {
    bulks.offset = Math.max(0, data.total - PAGE_SIZE.bulks);
    return loadBulks();
  }
  const rows = data.bulks.map(bulkRow);
  if (!rows.length) {
    const text = q || status ? "No bulk matches." : "No bulks yet: every send makes one.";
    rows.push(h("tr", {}, h("td", { colspan: 5, class: "empty" }, text)));
  }
  $("#bulk-list").replaceChildren(...rows);
  renderPager("bulks", data);
}

function bulkRow(bulk) {
  const breakdown = Object.entries(bulk.statuses)
    .map(([group, count]) => `${count} ${group.toLowerCase()}`)
    .join(" · ");
  return h(
    "tr",
    { dataset: { bulkId: bulk.bulkId, status: bulk.status } },
    h(
      "td",
      {},
      h(
        "button",
        {
          type: "button",
          class: "link",
          title: "Show its messages",
          onclick: () => filterByBulk(bulk.bulkId),
        },
        bulk.bulkId,
      ),
    ),
    h("td", { class: "status" }, badge(bulk.status, bulk.status)),
    h("td", {}, timeTag(bulk.sendAt), " ", h("small", {}, relative(bulk.sendAt))),
    h("td", {}, String(bulk.messageCount), " ", h("small", {}, breakdown)),
    h(
      "td",
      { class: "actions" },
      BULK_ACTIONS.map(([label, status]) =>
        h(
          "button",
          { type: "button", dataset: { action: label.toLowerCase() }, onclick: action(() => setBulkStatus(bulk, status)) },
          label,
        ),
      ),
      h(
        "button",
        { type: "button", dataset: { action: "reschedule" }, onclick: () => openReschedule(bulk) },
        "Reschedule…",
      ),
    ),
  );
}

async function setBulkStatus(bulk, status) {
  const path = `/bulks/${encodeURIComponent(bulk.bulkId)}/status`;
  const result = await api(path, { method: "POST", body: { status, account: bulk.account } });
  notify(`Bulk ${result.bulkId} is ${result.status}.`);
  refresh("bulks");
}

let rescheduling = null;

function openReschedule(bulk) {
  rescheduling = bulk;
  $("#reschedule-bulk").textContent = bulk.bulkId;
  $("#reschedule-at").value = bulk.sendAt;
  $("#reschedule-form").hidden = false;
  $("#reschedule-at").focus();
}

function bindBulks() {
  bindFilter("bulks", bulks, { q: "#bulk-q", status: "#bulk-status" });
  bindPager("bulks", bulks);
  $("#reschedule-close").addEventListener("click", () => ($("#reschedule-form").hidden = true));
  $("#reschedule-form").addEventListener(
    "submit",
    action(async () => {
      const bulk = rescheduling;
      const path = `/bulks/${encodeURIComponent(bulk.bulkId)}/reschedule`;
      const body = { sendAt: $("#reschedule-at").value.trim(), account: bulk.account };
      const result = await api(path, { method: "POST", body });
      $("#reschedule-form").hidden = true;
      notify(`Bulk ${result.bulkId} will send at ${result.sendAt}.`);
      refresh("bulks");
    }),
  );
}

// -- webhooks --------------------------------------------------------------------------------

const webhooks = { q: "", state: "", offset: 0 };

async function loadWebhooks() {
  const { q, state, offset } = webhooks;
  const data = await api(`/browse/webhooks?${query({ q, state, offset, limit: PAGE_SIZE.webhooks })}`);
  if (offset > 0 && offset >= data.total) {
    webhooks.offset = Math.max(0, data.total - PAGE_SIZE.webhooks);
    return loadWebhooks();
  }
  const rows = data.webhooks.map(pushRow);
  if (!rows.length) {
    const text =
      q || state
        ? "No push matches."
        : "No webhook pushes yet: they go to a message's notifyUrl or webhooks.delivery.url, " +
          "or to the default report and inbound URLs.";
    rows.push(h("p", { class: "empty" }, text));
  }
  $("#webhook-list").replaceChildren(...rows);
  renderPager("webhooks", data);
}

function attemptText(attempt) {
  if (attempt.httpStatus != null) return `HTTP ${attempt.httpStatus}`;
  return attempt.error ?? "in flight";
}

function pushRow(push) {
  const last = push.attempts.at(-1);
  const tries = `${push.attempts.length} attempt${push.attempts.length === 1 ? "" : "s"}`;
  const summary = h(
    "summary",
    { class: "row" },
    timeTag(push.createdAt),
    h("span", { class: "kind" }, push.kind),
    h("span", { class: "url", title: push.url }, push.url),
    h("span", { class: "tries" }, last ? `${tries} · last ${attemptText(last)}` : tries),
    h("span", { class: "status" }, badge(push.state, push.state)),
  );
  const details = h("details", { class: "push", dataset: { pushId: String(push.id) } }, summary);
  return keepOpen(details, opened.webhooks, push.id, () => {
    if (details.childElementCount === 1) details.append(pushDetail(push));
  });
}

function pushDetail(push) {
  const attempts = push.attempts.map((attempt) =>
    h(
      "tr",
      { class: attempt.httpStatus >= 200 && attempt.httpStatus < 300 ? "ok" : "failed" },
      h("td", {}, String(attempt.number)),
      h("td", {}, timeTag(attempt.at)),
      h("td", {}, attemptText(attempt)),
      h("td", {}, `${attempt.latencyMs} ms`),
      h("td", {}, h("pre", { class: "body response" }, attempt.responseBody ?? "")),
    ),
  );
  return h(
    "div",
    { class: "detail" },
    push.nextAttemptAt
      ? h("p", {}, "Next attempt ", timeTag(push.nextAttemptAt), ` (${relative(push.nextAttemptAt)})`)
      : null,
    h("h3", {}, `Request body · POST ${push.url}`),
    h("pre", { class: "body request" }, JSON.stringify(push.body, null, 2)),
    h("h3", {}, "Attempts"),
    h(
      "table",
      { class: "grid attempts" },
      h(
        "thead",
        {},
        h("tr", {}, ["#", "At", "Result", "Latency", "Response body"].map((t) => h("th", {}, t))),
      ),
      h("tbody", {}, attempts),
    ),
  );
}

function bindWebhooks() {
  bindFilter("webhooks", webhooks, { q: "#webhook-q", state: "#webhook-state" });
  bindPager("webhooks", webhooks);
}

// -- inbound ---------------------------------------------------------------------------------

async function loadInbound() {
  const data = await api("/inbound?limit=100");
  const rows = data.inbound
    .slice()
    .reverse()
    .map((message) =>
      h(
        "tr",
        { dataset: { messageId: message.messageId } },
        h("td", {}, timeTag(message.receivedAt)),
        h("td", {}, message.from),
        h("td", {}, message.to),
        h("td", {}, message.keyword ?? ""),
        h("td", { class: "text" }, message.text),
      ),
    );
  if (!rows.length) {
    rows.push(h("tr", {}, h("td", { colspan: 5, class: "empty" }, "No inbound messages yet.")));
  }
  $("#inbound-list").replaceChildren(...rows);
}

function bindInbound() {
  $("#inbound-form").addEventListener(
    "submit",
    action(async () => {
      const body = {
        from: $("#inbound-from").value.trim(),
        to: $("#inbound-to").value.trim(),
        text: $("#inbound-text").value,
      };
      const message = await api("/inbound", { method: "POST", body });
      $("#inbound-text").value = "";
      notify(`Received an inbound message from ${message.from} (keyword ${message.keyword ?? "none"}).`);
      refresh("inbound");
    }),
  );
}

// -- scenario and reset ----------------------------------------------------------------------

let scenarioLibrary = null; // null: GET /__sim/scenarios is not there, so no picker

const DEFAULT_SCENARIO = "-"; // the picker's value for the built-in default (name null)

function showScenarioName(name) {
  $("#scenario-name").textContent = name ?? "built-in default";
}

async function loadScenario() {
  try {
    const library = await api("/scenarios");
    scenarioLibrary = library.scenarios ?? [];
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
    scenarioLibrary = null;
  }
  const form = $("#scenario-form");
  form.hidden = scenarioLibrary === null;
  if (scenarioLibrary !== null) {
    const names = scenarioLibrary.map((item) => (typeof item === "string" ? item : item.name));
    $("#scenario-select").replaceChildren(
      h("option", { value: "" }, "load another…"),
      h("option", { value: DEFAULT_SCENARIO }, "built-in default"),
      ...names.map((name) => h("option", { value: name }, name)),
    );
  }
  try {
    const loaded = await api("/scenario");
    showScenarioName(loaded.scenario);
    $("#scenario-name").title = loaded.description ?? "";
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
}

function bindScenario() {
  $("#scenario-form").addEventListener(
    "submit",
    action(async () => {
      const select = $("#scenario-select");
      if (!select.value) throw new Error("Choose a scenario to load first.");
      const name = select.value === DEFAULT_SCENARIO ? null : select.value;
      await api("/scenario", { method: "POST", body: { name } });
      select.value = "";
      notify(`Loaded ${name ?? "the built-in default"}; everything was reset.`);
    }),
  );
  $("#reset").addEventListener(
    "click",
    action(async () => {
      await api("/reset", { method: "POST" });
      notify("Reset: the clock is back at its start, and messages, bulks and webhooks are gone.");
    }),
  );
}

// -- start -----------------------------------------------------------------------------------

function start() {
  $("#notice-close").addEventListener("click", () => ($("#notice").hidden = true));
  for (const button of document.querySelectorAll("[data-tab]")) {
    button.addEventListener("click", () => selectTab(button.dataset.tab));
  }
  window.addEventListener("hashchange", () => selectTab(location.hash.slice(1)));
  bindClock();
  bindMessages();
  bindBulks();
  bindWebhooks();
  bindInbound();
  bindScenario();
  selectTab(location.hash.slice(1));
  connect();
}

start();
