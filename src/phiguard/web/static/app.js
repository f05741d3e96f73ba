// phiguard web: the page. Talks only to the phiguard that served it (same origin); keeps the
// draft in this page only (no storage, no cookies). Draft text is put in the page as text,
// never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { name: "draft.txt", checked: null, findings: [], options: null };
const SEVERITY_ORDER = { info: 1, warning: 2, error: 3 };

async function call(path, body) {
  const init = body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  };
  const response = await fetch(path, { ...init, cache: "no-store", credentials: "omit" });
  const answer = await response.json().catch(() => ({ error: "not an answer from phiguard" }));
  if (!response.ok) throw new Error(answer.error || `phiguard answered ${response.status}`);
  return answer;
}

function option(select, value, label) {
  const element = document.createElement("option");
  element.value = value;
  element.textContent = label;
  select.append(element);
}

async function loadOptions() {
  const options = await call("/api/options");
  state.options = options;
  $("config").textContent = options.config
    ? `Configuration: ${options.config}` : "Configuration: none found (phiguard's defaults).";
  for (const suffix of options.formats) option($("format"), suffix, suffix);
  $("format").value = ".txt";
  for (const platform of options.platforms) option($("platform"), platform, platform);
  for (const kind of options.kinds) option($("kind"), kind, kind);
  for (const record of options.consents) {
    const about = [record.status, record.platforms.join(", "),
      record.expires ? `expires ${record.expires}` : ""].filter(Boolean).join("; ");
    option($("consent"), record.id, `${record.id} (${about})`);
  }
  showName();
}

function showName() {
  $("name").textContent = `read as ${state.name}`;
}

function request() {
  return {
    text: $("draft").value,
    filename: state.name,
    platform: $("platform").value,
    kind: $("kind").value,
    scheduled_at: $("scheduled").value,
    consent: $("consent").value,
    sponsored: $("sponsored").checked,
  };
}

function say(message, problem = false) {
  $("status").textContent = message;
  $("status").classList.toggle("problem", problem);
}

function showNotes(notes) {
  const list = $("notes");
  list.replaceChildren();
  for (const note of notes || []) {
    const item = document.createElement("li");
    item.textContent = note;
    list.append(item);
  }
}

async function check() {
  const sent = request();
  if (!sent.text.trim()) { say("Paste a draft first.", true); return; }
  say("Checking…");
  try {
    const answer = await call("/api/check", sent);
    if ($("draft").value !== sent.text) return;  // typed meanwhile: that text is unchecked
    state.checked = sent.text;
    state.findings = answer.findings;
    render(answer);
    const count = answer.findings.length;
    say(answer.errors.length ? "The draft could not be checked." :
      count ? `${count} finding${count === 1 ? "" : "s"}.` : "No findings.");
  } catch (error) {
    say(error.message, true);
  }
}

async function edit(path, verb) {
  const sent = request();
  if (!sent.text.trim()) { say("Paste a draft first.", true); return; }
  say(`${verb}…`);
  try {
    const answer = await call(path, sent);
    if ($("draft").value !== sent.text) { say("The text changed meanwhile; try again.", true); return; }
    showNotes(answer.notes);
    if (answer.text === sent.text) { say(`${verb}: nothing changed.`); return; }
    $("draft").value = answer.text;
    clearMarks();
    await check();
  } catch (error) {
    say(error.message, true);
  }
}

function render(answer) {
  const list = $("findings");
  list.replaceChildren();
  for (const failure of answer.errors) {
    const item = document.createElement("li");
    item.className = "problem";
    item.textContent = `Could not be checked: ${failure.message}`;
    list.append(item);
  }
  answer.findings.forEach((finding, index) => list.append(findingItem(finding, index)));
  $("summary").textContent = answer.findings.length || answer.errors.length ? "" :
    "No findings in this draft.";
  drawMarks();
}

function findingItem(finding, index) {
  const item = document.createElement("li");
  item.tabIndex = 0;
  item.dataset.index = String(index);
  const head = document.createElement("div");
  const severity = document.createElement("span");
  severity.className = `severity ${finding.severity}`;
  severity.textContent = finding.severity;
  const rule = document.createElement("span");
  rule.className = "rule";
  rule.textContent = ` ${finding.rule} `;
  head.append(severity, rule, `${finding.category}, line ${finding.line}`);
  const message = document.createElement("div");
  message.className = "message";
  message.textContent = finding.message;
  item.append(head, message);
  if (finding.how_to_fix) {
    const how = document.createElement("p");
    how.className = "how";
    how.textContent = `How to fix: ${finding.how_to_fix}`;
    item.append(how);
  }
  if (finding.excerpt) {
    const excerpt = document.createElement("p");
    excerpt.className = "excerpt";
    excerpt.textContent = finding.excerpt;
    item.append(excerpt);
  }
  if (finding.fixable) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "apply-fix";
    button.textContent = "Apply safe fixes";
    button.addEventListener("click", (event) => { event.stopPropagation(); edit("/api/fix", "Safe fixes"); });
    item.append(button);
  }
  const select = () => {
    const draft = $("draft");
    draft.focus();
    draft.setSelectionRange(finding.start, finding.end);
  };
  item.addEventListener("click", select);
  item.addEventListener("keydown", (event) => { if (event.key === "Enter") select(); });
  return item;
}

// The highlights: the same text as the textarea, drawn behind it, with each finding's
// characters in a <mark> coloured by its severity (the worst where findings overlap).
function drawMarks() {
  const text = $("draft").value;
  const backdrop = $("backdrop");
  backdrop.replaceChildren();
  const cuts = new Set([0, text.length]);
  for (const f of state.findings) { cuts.add(f.start); cuts.add(f.end); }
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [from, to] = [points[i], points[i + 1]];
    const covering = state.findings.filter((f) => f.start <= from && to <= f.end);
    const piece = text.slice(from, to);
    if (!covering.length) { backdrop.append(piece); continue; }
    const worst = covering.reduce((a, b) =>
      (SEVERITY_ORDER[b.severity] || 0) > (SEVERITY_ORDER[a.severity] || 0) ? b : a);
    const mark = document.createElement("mark");
    mark.className = worst.severity;
    mark.dataset.rules = covering.map((f) => f.rule).join(" ");
    mark.textContent = piece;
    backdrop.append(mark);
  }
  backdrop.append("\n");  // a last empty line takes room in the textarea too
  syncScroll();
}

function clearMarks() {
  state.findings = [];
  $("backdrop").replaceChildren($("draft").value, "\n");
}

function syncScroll() {
  $("backdrop").scrollTop = $("draft").scrollTop;
}

function textChanged() {
  if (state.checked !== null && $("draft").value !== state.checked) {
    state.checked = null;
    clearMarks();
    $("summary").textContent = "The text changed: check it again.";
    $("findings").replaceChildren();
  } else if (!state.findings.length) {
    clearMarks();
  }
}

function decode(buffer) {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(buffer);
  } catch {
    return new TextDecoder("windows-1252").decode(buffer);  // Excel's "CSV" on Windows
  }
}

async function open(file) {
  const dot = file.name.lastIndexOf(".");
  const suffix = dot >= 0 ? file.name.slice(dot).toLowerCase() : "";
  if (!state.options.formats.includes(suffix)) {
    say(`phiguard reads ${state.options.formats.join(", ")} files.`, true);
    return;
  }
  $("draft").value = decode(await file.arrayBuffer());
  state.name = file.name;
  $("format").value = suffix;
  showName();
  showNotes([]);
  textChanged();
  await check();
}

function setUp() {
  const draft = $("draft");
  const editor = $("editor");
  draft.addEventListener("input", textChanged);
  draft.addEventListener("scroll", syncScroll);
  $("check").addEventListener("click", check);
  $("fix").addEventListener("click", () => edit("/api/fix", "Safe fixes"));
  $("redact").addEventListener("click", () => edit("/api/redact", "Redact"));
  $("format").addEventListener("change", () => {
    const base = state.name.includes(".") ? state.name.slice(0, state.name.lastIndexOf(".")) : state.name;
    state.name = `${base}${$("format").value}`;
    showName();
  });
  $("file").addEventListener("change", () => { if ($("file").files[0]) open($("file").files[0]); });
  editor.addEventListener("dragover", (event) => { event.preventDefault(); editor.classList.add("dropping"); });
  editor.addEventListener("dragleave", () => editor.classList.remove("dropping"));
  editor.addEventListener("drop", (event) => {
    editor.classList.remove("dropping");
    const file = event.dataTransfer && event.dataTransfer.files[0];
    if (file) { event.preventDefault(); open(file); }
  });
  loadOptions().catch((error) => say(error.message, true));
}

document.addEventListener("DOMContentLoaded", setUp);
