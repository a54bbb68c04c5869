// gmdocs 本地网页：边填边查（防抖，服务器检查）、添加行、表格排序、任务进度。无外部依赖。
"use strict";
const CSRF = () => document.querySelector('meta[name="csrf-token"]').content;
const SEV = {error: "错误", warning: "警告", info: "提示"};

function debounce(fn, ms) { let t; return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); }; }

function showFindings(data) {
  document.querySelectorAll(".finding").forEach(el => { el.textContent = ""; el.className = "finding"; });
  document.querySelectorAll("[data-field].bad").forEach(el => el.classList.remove("bad", "warn"));
  const list = document.getElementById("findings");
  list.innerHTML = "";
  const counts = document.getElementById("counts");
  if (data.error) { counts.textContent = data.error; return; }
  counts.textContent = `错误 ${data.errors} 处，警告 ${data.warnings} 处` +
    (data.score && data.score.self_total != null ? `；自评得分合计 ${data.score.self_total}` : "");
  for (const f of data.findings) {
    if (f.severity === "info") continue;
    const li = document.createElement("li");
    li.className = f.severity;
    li.textContent = `${SEV[f.severity]}：${f.label ? "［" + f.label + "］" : ""}${f.message}`;
    list.appendChild(li);
    if (!f.field) continue;
    const slot = document.querySelector(`.finding[data-for="${CSS.escape(f.field)}"]`);
    const input = document.querySelector(`[data-field="${CSS.escape(f.field)}"]`);
    if (slot) { slot.textContent = f.message; slot.className = "finding " + f.severity; }
    if (input) { input.classList.add(f.severity === "error" ? "bad" : "warn"); }
    if (input) li.addEventListener("click", () => input.focus());
  }
}

let checkSeq = 0;
async function runCheck(form) {
  const mine = ++checkSeq;             // an older answer arriving late must not overwrite a newer one
  const body = new URLSearchParams(new FormData(form));
  let data;
  try {
    const r = await fetch("/api/check", {method: "POST", body, headers: {"X-CSRF-Token": CSRF()}});
    try { data = await r.json(); } catch (e) { data = {error: `检查失败（${r.status}）`}; }
  } catch (e) { data = {error: "无法连接本地服务：gmdocs serve 是否仍在运行？"}; }
  if (mine === checkSeq) showFindings(data);
}
const esc = s => String(s).replace(/[<&>"]/g, c => ({"<": "&lt;", "&": "&amp;", ">": "&gt;", '"': "&quot;"}[c]));

function setupForm() {
  const form = document.getElementById("app-form");
  if (!form) return;
  const check = debounce(() => runCheck(form), 400);
  form.addEventListener("input", check);
  form.addEventListener("change", check);
  document.querySelectorAll("button[data-add]").forEach(btn => btn.addEventListener("click", () => {
    const key = btn.dataset.add;
    const tpl = document.querySelector(`template[data-row-template="${key}"]`);
    const body = document.querySelector(`table[data-table="${key}"] tbody`);
    const n = body.querySelectorAll("tr").length;
    const html = tpl.innerHTML.replaceAll("__i__", String(n + Date.now() % 100000));
    body.insertAdjacentHTML("beforeend", html);
  }));
  runCheck(form);
}

function setupSort() {
  document.querySelectorAll("table.sortable").forEach(table => {
    table.querySelectorAll("th").forEach((th, col) => {
      th.tabIndex = 0;
      th.title = "点击排序";
      th.addEventListener("click", () => {
        const body = table.tBodies[0];
        const asc = th.dataset.dir !== "asc";
        table.querySelectorAll("th").forEach(h => delete h.dataset.dir);
        th.dataset.dir = asc ? "asc" : "desc";
        const num = s => { const v = parseFloat(s.replace(/,/g, "")); return isNaN(v) ? null : v; };
        const rows = Array.from(body.rows);
        rows.sort((a, b) => {
          const x = a.cells[col]?.textContent.trim() ?? "", y = b.cells[col]?.textContent.trim() ?? "";
          const nx = num(x), ny = num(y);
          const c = (nx !== null && ny !== null) ? nx - ny : x.localeCompare(y, "zh-CN");
          return asc ? c : -c;
        });
        rows.forEach(r => body.appendChild(r));
      });
    });
  });
}

function setupJob() {
  const box = document.getElementById("job");
  if (!box) return;
  const id = box.dataset.job;
  const poll = async () => {
    const r = await fetch(`/jobs/${id}`);
    const j = await r.json();
    document.getElementById("job-log").innerHTML = j.messages.map(m => `<li>${esc(m)}</li>`).join("");
    const state = document.getElementById("job-state");
    if (j.state === "done") {
      state.textContent = "已完成";
      document.getElementById("job-done").hidden = false;
      document.getElementById("job-files").innerHTML = (j.result.files || []).map(f => `<li>${esc(f)}</li>`).join("");
      return;
    }
    if (j.state === "failed") {
      state.textContent = "未能完成";
      const e = document.getElementById("job-error");
      e.hidden = false; e.textContent = j.error;
      document.getElementById("job-problems").innerHTML = (j.problems || []).map(p => `<li>${esc(p)}</li>`).join("");
      return;
    }
    state.textContent = j.state === "queued" ? "排队中…" : "处理中（LibreOffice 排版和转换 PDF）…";
    setTimeout(poll, 500);
  };
  poll();
}

document.addEventListener("DOMContentLoaded", () => { setupForm(); setupSort(); setupJob(); });
