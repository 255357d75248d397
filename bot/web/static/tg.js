// Mini App entry: send Telegram's signed initData to the server once, then open the overview.
(function () {
  "use strict";
  var out = document.getElementById("status");
  var data = "";
  if (window.Telegram && window.Telegram.WebApp) { data = window.Telegram.WebApp.initData || ""; }
  if (!data) {
    var hash = new URLSearchParams(location.hash.slice(1));
    data = hash.get("tgWebAppData") || "";
  }
  if (!data) { out.textContent = out.dataset.missing; return; }
  var body = new URLSearchParams();
  body.set("init_data", data);
  fetch("auth/telegram", { method: "POST", body: body, credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (j) {
      if (j.ok) { location.replace(j.next); } else { out.textContent = j.message; out.className = "notice error"; }
    })
    .catch(function () { out.textContent = out.dataset.failed; out.className = "notice error"; });
})();
