/* helpdesk.html: decodes a support code ("2P-2A-1C-0T-S07", wizard/core/
 * support.c support_code) or a pasted support report (support_report) and
 * lists every helpdesk code. All data is in the page (#data); nothing is
 * fetched. Text is put in with textContent only. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("data").textContent);
  var CODES = {};
  DATA.codes.forEach(function (c) { CODES[c.code] = c; });

  var T = {
    ja: {
      other: "English", navLabel: "目次", navDecode: "サポートコードを調べる", navCodes: "コード一覧",
      navIsp: "プロバイダーの設定", navManuals: "メールソフトごとの手順",
      decodeTitle: "サポートコード・サポート情報を調べる",
      inputLabel: "お客さまが読み上げたサポートコード（例 2P-2A-1C-0T-S07）、コードだけ（例 S07）、または貼り付けたサポート情報",
      inputHint: "入力するとすぐに結果が出ます。全角・小文字・スペースはそのままで構いません。",
      codesTitle: "コード一覧", searchLabel: "コードまたは言葉で探す",
      ispTitle: "プロバイダーの設定", manualsTitle: "メールソフトごとの手順（手動で設定するとき）",
      footer: "このページはネットワークを使いません。パスワードは電話で聞き取らないでください。",
      invalid: "入力を読み取れませんでした。サポートコードは「2P-2A-1C-0T-S07」のように、数字と P・A・C・T、最後に OK または英字 1 文字と数字 2 桁です。もう一度ゆっくり読み上げていただいてください。サポート情報は［サポート情報をコピー］で取った文をそのまま貼り付けてください。",
      unknownCode: "コード「%s」は一覧にありません。読み間違い（0 と O、1 と I など）がないか確認してください。",
      codeTitle: "サポートコード %s",
      partP: "このプロバイダーのアカウントがあったメールソフトの数: %s",
      partA: "このプロバイダーのアカウントの数: %s",
      partC: "変更して確認まで済んだアカウントの数: %s",
      partT: "テストメールを送信できたアカウントの数: %s",
      partOK: "すべて成功しました（問題のコードなし）。",
      partCode: "最初に起きた問題のコード（確認 → 変更 → テスト送信の順）: %s",
      sumNone: "このプロバイダーのアカウントは見つかりませんでした。設定の変更は必要ありません（一覧にないメールソフトなら「メールソフトごとの手順」へ）。",
      sumAll: "すべてのアカウントを変更し、テストメールも送信できています。",
      sumNotChanged: "%s 件のアカウントは変更していない・変更できていません（設定済みか、選ばなかったか、問題があったため）。",
      sumNotSent: "%s 件のアカウントはテストメールを送信できていないか、送信していません。",
      mismatch: "数字の組み合わせが合いません（変更数・送信数はアカウント数以下、メールソフト数はアカウント数以下のはずです）。読み間違いがないか、もう一度読み上げていただいてください。",
      saw: "お客さまの画面の文", wizardStep: "画面に出ていた次の手順", say: "お伝えすること",
      next: "次にすること", escalate: "エスカレーションするとき",
      reportTitle: "サポート情報", version: "バージョン", isp: "プロバイダー", backup: "バックアップの場所",
      running: "（起動中でした）", scanErr: "このメールソフトの設定を読み取れませんでした",
      notSelected: "（お客さまが選ばなかったアカウント）", changes: "変更した（する）項目",
      result: "結果", reason: "理由", test: "テストメール", testOk: "送信できました",
      notScanned: "メールソフトの確認が終わる前の情報です。",
      topError: "ウィザード全体のエラー", unread: "読み取れなかった行: %s 行（無視しました）",
      noAccounts: "このメールソフトには、一覧に出すアカウントがありません。",
      count: "%s 件のコード", countAll: "全 %s 件のコード", nothing: "見つかりません。",
      status: {
        not_isp: "このプロバイダーのアカウントではありません（変更しません）",
        already_done: "設定済みです（変更の必要はありません）",
        change: "設定の変更が必要なアカウントです",
        add_account: "新しいメールサーバーのアカウントを追加します",
        replaced: "新しいメールサーバーのアカウントは追加済みです"
      },
      outcome: {
        skipped: "変更していません", changed: "変更して、確認まで済みました",
        added: "アカウントを追加しました", rolled_back: "変更できなかったため、元の設定に戻しました",
        failed: "変更できませんでした"
      }
    },
    en: {
      other: "日本語", navLabel: "Contents", navDecode: "Decode a support code", navCodes: "All codes",
      navIsp: "Provider settings", navManuals: "Steps per mail program",
      decodeTitle: "Decode a support code or support report",
      inputLabel: "The support code the caller reads out (e.g. 2P-2A-1C-0T-S07), a single code (e.g. S07), or a pasted support report",
      inputHint: "Results appear as you type. Full-width letters, lower case and spaces are fine.",
      codesTitle: "All codes", searchLabel: "Search by code or words",
      ispTitle: "Provider settings", manualsTitle: "Steps per mail program (setting up by hand)",
      footer: "This page uses no network. Never ask a caller for a password.",
      invalid: "The input could not be read. A support code looks like 2P-2A-1C-0T-S07: numbers with P, A, C and T, then OK or one letter and two digits. Ask the caller to read it out again slowly. For a support report, paste the text copied with [Copy support information] unchanged.",
      unknownCode: "The code %s is not in the list. Check for misheard characters (0 and O, 1 and I).",
      codeTitle: "Support code %s",
      partP: "Mail programs with an account of this provider: %s",
      partA: "Accounts of this provider: %s",
      partC: "Accounts changed and verified: %s",
      partT: "Accounts whose test message was sent: %s",
      partOK: "Everything succeeded (no problem code).",
      partCode: "The first problem's code (checks, then changes, then test send): %s",
      sumNone: "No account of this provider was found; nothing needed changing (for a program not in the list, see the steps per mail program).",
      sumAll: "Every account was changed and its test message sent.",
      sumNotChanged: "%s account(s) not changed (already set up, not selected, or a problem).",
      sumNotSent: "%s account(s) without a sent test message.",
      mismatch: "The numbers do not fit together (changed and sent cannot exceed accounts, programs cannot exceed accounts). Ask the caller to read the code out again.",
      saw: "The sentence on the caller's screen", wizardStep: "The next step the screen showed",
      say: "What to say", next: "Next step", escalate: "When to escalate",
      reportTitle: "Support report", version: "Version", isp: "Provider", backup: "Backup folder",
      running: "(was running)", scanErr: "This program's settings could not be read",
      notSelected: "(not selected by the caller)", changes: "Changes",
      result: "Result", reason: "Reason", test: "Test message", testOk: "sent",
      notScanned: "The report was taken before the mail programs were checked.",
      topError: "Error of the whole run", unread: "Lines not understood: %s (ignored)",
      noAccounts: "No account to list in this program.",
      count: "%s code(s)", countAll: "All %s codes", nothing: "Nothing found.",
      status: {
        not_isp: "Not this provider's account (left unchanged)",
        already_done: "Already set up (nothing to change)",
        change: "Needs changes",
        add_account: "A new account for the new server is added",
        replaced: "The new server's account exists already"
      },
      outcome: {
        skipped: "not changed", changed: "changed and verified", added: "account added",
        rolled_back: "could not be changed; the old settings were restored", failed: "could not be changed"
      }
    }
  };

  var lang = "ja";
  var $ = function (id) { return document.getElementById(id); };
  function t(key) { return T[lang][key]; }
  function fmt(s, v) { return s.replace("%s", String(v)); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  /* What an operator may type: full-width, lower case, spaces, dashes of
   * every kind (an IME gives "－" or "ー"). */
  function norm(s) {
    return s.normalize("NFKC").replace(/[\u2010-\u2015\u2212\u30fc\uff70]/g, "-")
      .toUpperCase().replace(/\s+/g, "");
  }

  var CODE_RE = /^(\d{1,4})P-(\d{1,4})A-(\d{1,4})C-(\d{1,4})T-(OK|[A-Z]\d{2})$/;

  /* The guidance for one code, detail: the %s of the sentence when known. */
  function codeCard(code, detail) {
    var c = CODES[code];
    var card = el("div", "card " + (code === "OK" || code === "S19" || code === "S20" ? "ok" : "bad"));
    card.setAttribute("data-code", code);
    var h = el("h3");
    h.appendChild(el("span", "code", code));
    card.appendChild(h);
    var dl = el("dl", "guide");
    function add(label, text, cls) {
      if (!text) return;
      dl.appendChild(el("dt", null, label));
      dl.appendChild(el("dd", cls, text));
    }
    var sentence = c[lang].indexOf("%s") >= 0 ? c[lang].replace("%s", detail || "…") : c[lang];
    add(t("saw"), sentence, "saw");
    add(t("wizardStep"), c["step_" + lang]);
    add(t("say"), c["say_" + lang]);
    add(t("next"), c["next_" + lang]);
    add(t("escalate"), c["escalate_" + lang]);
    card.appendChild(dl);
    var a = el("a", null, lang === "ja" ? "コード一覧で見る" : "Show in the list");
    a.href = "#code-" + code;
    card.appendChild(a);
    return card;
  }

  function decodeCode(m) {
    var p = +m[1], a = +m[2], c = +m[3], tt = +m[4], r = m[5];
    var box = el("div", "card " + (r === "OK" ? "ok" : "warn"));
    box.id = "decoded";
    box.appendChild(el("h3", null, fmt(t("codeTitle"), m[0])));
    var dl = el("dl", "parts");
    [[m[1] + "P", fmt(t("partP"), p)], [m[2] + "A", fmt(t("partA"), a)],
     [m[3] + "C", fmt(t("partC"), c)], [m[4] + "T", fmt(t("partT"), tt)],
     [r, r === "OK" ? t("partOK") : fmt(t("partCode"), r)]].forEach(function (row) {
      dl.appendChild(el("dt", null, row[0]));
      dl.appendChild(el("dd", null, row[1]));
    });
    box.appendChild(dl);
    if (c > a || tt > a || p > a || (a > 0 && p === 0)) {
      box.appendChild(el("p", null, t("mismatch")));
    } else if (a === 0) {
      box.appendChild(el("p", null, t("sumNone")));
    } else {
      if (c === a && tt === a && r === "OK") box.appendChild(el("p", null, t("sumAll")));
      if (c < a) box.appendChild(el("p", null, fmt(t("sumNotChanged"), a - c)));
      if (tt < a) box.appendChild(el("p", null, fmt(t("sumNotSent"), a - tt)));
    }
    return [box, codeCard(r)];
  }

  var STATUS = ["not_isp", "already_done", "change", "add_account", "replaced"];

  /* support_report() as written by wizard/core/support.c, in either language. */
  function parseReport(text) {
    var rep = { programs: [], codes: [], unread: 0, accounts: 0 };
    var prog = null, acct = null, m;
    var ACCT = new RegExp("^\\s*(.*) <([^<>]*)>: (" + STATUS.join("|") + ")(.*)$");
    text.split(/\r?\n/).forEach(function (raw) {
      var line = raw.replace(/\s+$/, "");
      if (!line.trim()) return;
      if ((m = line.match(/^mailsetup\s+(\S*)$/))) rep.version = m[1];
      else if ((m = line.match(/^\s*(?:プロバイダー|Provider):\s*(.*)$/))) rep.isp = m[1];
      else if ((m = line.match(/^\s*(?:サポートコード|Support code):\s*(\S+)/))) rep.code = m[1];
      else if ((m = line.match(/^\s*(?:バックアップ|Backup):\s*(.*)$/))) rep.backup = m[1];
      else if (/^\s*(?:メールソフトの確認は終わっていません|The mail programs were not checked)/.test(line)) rep.notScanned = true;
      else if ((m = line.match(/^\[([a-z0-9_]+)\](.*)$/))) {
        prog = { id: m[1], running: /起動中|running/.test(m[2]), accounts: [], scanErr: null };
        rep.programs.push(prog);
        acct = null;
      } else if (prog && (m = line.match(/^\s*(?:読み取り|Scan): \[([A-Z0-9]+)\] (.*)$/))) {
        prog.scanErr = { code: m[1], text: m[2] };
      } else if (!prog && (m = line.match(/^\s*(?:エラー|Error): \[([A-Z0-9]+)\] (.*)$/))) {
        rep.error = { code: m[1], text: m[2] };
      } else if (prog && (m = line.match(ACCT))) {
        acct = { name: m[1], email: m[2], status: m[3], notSelected: /選択なし|not selected/.test(m[4]),
                 changes: [], result: null, reason: null, test: null };
        prog.accounts.push(acct);
        rep.accounts++;
      } else if (acct && (m = line.match(/^\s*- (.*)$/))) acct.changes.push(m[1]);
      else if (acct && (m = line.match(/^\s*(?:結果|Result): ([a-z_]+)$/))) acct.result = m[1];
      else if (acct && (m = line.match(/^\s*(?:理由|Reason): \[([A-Z0-9]+)\] (.*)$/))) acct.reason = { code: m[1], text: m[2] };
      else if (acct && (m = line.match(/^\s*(?:テストメール|Test message): OK$/))) acct.test = { ok: true };
      else if (acct && (m = line.match(/^\s*(?:テストメール|Test message): \[([A-Z0-9]+)\] (.*)$/))) acct.test = { code: m[1], text: m[2] };
      else rep.unread++;
    });
    return rep;
  }

  /* The %s of a sentence, recovered from the text the report holds. */
  function detailOf(code, text) {
    var c = CODES[code];
    if (!c) return null;
    var tpl = c.ja.indexOf("%s") >= 0 && text.indexOf(c.ja.split("%s")[0]) === 0 ? c.ja : c.en;
    var i = tpl.indexOf("%s");
    if (i < 0) return null;
    var head = tpl.slice(0, i), tail = tpl.slice(i + 2);
    if (text.indexOf(head) !== 0 || text.slice(text.length - tail.length) !== tail) return null;
    return text.slice(head.length, text.length - tail.length);
  }

  function codeLine(label, err, cls) {
    var p = el("p", cls);
    p.appendChild(el("strong", null, label + ": "));
    var a = el("a", "code", err.code);
    a.href = "#card-" + err.code;
    p.appendChild(a);
    p.appendChild(document.createTextNode(" " + err.text));
    return p;
  }

  function programName(id) {
    var n = DATA.programs[id];
    return n && n[lang] ? n[lang] + " (" + id + ")" : id;
  }

  function showReport(rep) {
    var nodes = [], seen = {}, details = {};
    function note(err) {
      if (err && CODES[err.code] && !seen[err.code]) {
        seen[err.code] = true;
        details[err.code] = detailOf(err.code, err.text);
      }
    }
    var head = el("div", "card");
    head.id = "report";
    head.appendChild(el("h3", null, t("reportTitle")));
    var dl = el("dl", "parts");
    [[t("isp"), rep.isp], [t("version"), rep.version], [t("backup"), rep.backup]].forEach(function (r) {
      if (!r[1]) return;
      dl.appendChild(el("dt", null, r[0]));
      dl.appendChild(el("dd", null, r[1]));
    });
    head.appendChild(dl);
    if (rep.notScanned) head.appendChild(el("p", null, t("notScanned")));
    if (rep.error) { head.appendChild(codeLine(t("topError"), rep.error)); note(rep.error); }
    if (rep.unread) head.appendChild(el("p", "hint", fmt(t("unread"), rep.unread)));
    nodes.push(head);
    var m = rep.code ? norm(rep.code).match(CODE_RE) : null;
    if (m) nodes.push(decodeCode(m)[0]);
    rep.programs.forEach(function (pr) {
      var box = el("div", "card program");
      box.setAttribute("data-program", pr.id);
      box.appendChild(el("h3", null, programName(pr.id) + (pr.running ? " " + t("running") : "")));
      if (pr.scanErr) { box.appendChild(codeLine(t("scanErr"), pr.scanErr)); note(pr.scanErr); }
      if (!pr.accounts.length && !pr.scanErr) box.appendChild(el("p", null, t("noAccounts")));
      pr.accounts.forEach(function (ac) {
        var bad = ac.reason || (ac.test && !ac.test.ok);
        var card = el("div", "card account " + (bad ? "bad" : ac.status === "not_isp" ? "" : "ok"));
        card.setAttribute("data-email", ac.email);
        card.appendChild(el("h3", null, ac.name + " <" + ac.email + ">"));
        card.appendChild(el("p", null, T[lang].status[ac.status] + (ac.notSelected ? " " + t("notSelected") : "")));
        if (ac.changes.length) {
          card.appendChild(el("p", null, t("changes") + ":"));
          var ul = el("ul", "changes");
          ac.changes.forEach(function (c) { ul.appendChild(el("li", null, c)); });
          card.appendChild(ul);
        }
        if (ac.result) card.appendChild(el("p", null, t("result") + ": " + (T[lang].outcome[ac.result] || ac.result)));
        if (ac.reason) { card.appendChild(codeLine(t("reason"), ac.reason)); note(ac.reason); }
        if (ac.test && ac.test.ok) card.appendChild(el("p", null, t("test") + ": " + t("testOk")));
        else if (ac.test) { card.appendChild(codeLine(t("test"), ac.test)); note(ac.test); }
        box.appendChild(card);
      });
      nodes.push(box);
    });
    if (m && m[5] !== "OK" && CODES[m[5]] && !seen[m[5]]) { seen[m[5]] = true; details[m[5]] = null; }
    Object.keys(seen).forEach(function (code) {
      var card = codeCard(code, details[code]);
      card.id = "card-" + code;
      nodes.push(card);
    });
    return nodes;
  }

  function decode() {
    var raw = $("input").value;
    var msg = $("message"), out = $("result");
    msg.textContent = "";
    out.textContent = "";
    if (!raw.trim()) return;
    var nodes = null;
    var looksLikeReport = /\n/.test(raw.trim()) || /サポートコード|Support code|^\[[a-z0-9_]+\]/m.test(raw);
    if (looksLikeReport) {
      var rep = parseReport(raw);
      if (rep.code || rep.accounts || rep.programs.length) nodes = showReport(rep);
    } else {
      var s = norm(raw), m = s.match(CODE_RE);
      if (m) {
        if (!CODES[m[5]]) { msg.textContent = fmt(t("unknownCode"), m[5]); return; }
        nodes = decodeCode(m);
      } else if (/^(OK|[A-Z]\d{2})$/.test(s)) {
        if (!CODES[s]) { msg.textContent = fmt(t("unknownCode"), s); return; }
        nodes = [codeCard(s)];
      }
    }
    if (!nodes) { msg.textContent = t("invalid"); return; }
    nodes.forEach(function (n) { out.appendChild(n); });
  }

  function renderList() {
    var q = norm($("search").value).toLowerCase();
    var list = $("list");
    list.textContent = "";
    var n = 0;
    DATA.codes.forEach(function (c) {
      var hay = norm([c.code, c.ja, c.en, c.step_ja, c.step_en, c.say_ja, c.say_en, c.next_ja,
                      c.next_en, c.escalate_ja, c.escalate_en].join(" ")).toLowerCase();
      if (q && hay.indexOf(q) < 0) return;
      n++;
      var d = el("details");
      d.id = "code-" + c.code;
      var s = el("summary");
      s.appendChild(el("span", "code", c.code));
      s.appendChild(document.createTextNode(" " + c[lang].replace("%s", "…")));
      d.appendChild(s);
      d.appendChild(codeCard(c.code));
      list.appendChild(d);
    });
    $("count").textContent = n ? fmt(q ? t("count") : t("countAll"), n) : t("nothing");
  }

  function applyLang(l) {
    lang = l;
    document.documentElement.lang = l;
    $("lang").textContent = t("other");
    Array.prototype.forEach.call(document.querySelectorAll("[data-t]"), function (e) {
      e.textContent = t(e.getAttribute("data-t"));
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-t-aria]"), function (e) {
      e.setAttribute("aria-label", t(e.getAttribute("data-t-aria")));
    });
    document.title = DATA.isp[l] + (l === "ja" ? " ヘルプデスク: メール設定ウィザード" : " helpdesk: mail setup wizard");
    renderList();
    decode();
  }

  $("lang").addEventListener("click", function () { applyLang(lang === "ja" ? "en" : "ja"); });
  $("input").addEventListener("input", decode);
  $("search").addEventListener("input", renderList);
  /* A link to a code in the list opens it. */
  window.addEventListener("hashchange", function () {
    var id = location.hash.slice(1);
    if (!document.getElementById(id) && id.indexOf("code-") === 0 && $("search").value) {
      $("search").value = "";  /* the search had hidden it */
      renderList();
    }
    var d = document.getElementById(id);
    if (d && d.tagName === "DETAILS") { d.open = true; d.scrollIntoView(); }
  });
  applyLang(/(^|[?&])lang=en(&|$)/.test(location.search) ? "en" : "ja");
})();
