// Live reload and error overlay for `sitegen serve`. Never part of a built site.
(function () {
  "use strict";
  var OVERLAY_ID = "sitegen-problems";

  function removeOverlay() {
    var old = document.getElementById(OVERLAY_ID);
    if (old) old.remove();
  }

  function showOverlay(problems) {
    removeOverlay();
    if (!problems.length) return;
    var box = document.createElement("section");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#fff;color:#1a1a1a;border-top:6px solid #b00020;padding:1rem 1.5rem;" +
      "font:15px/1.5 system-ui,sans-serif;box-shadow:0 -4px 16px rgba(0,0,0,.25)";
    var title = document.createElement("h2");
    title.style.cssText = "margin:0 0 .5rem;font-size:1.1rem;color:#b00020";
    title.textContent = "De site kon niet worden gebouwd (" + problems.length + " fout" +
      (problems.length === 1 ? "" : "en") + "). Je ziet de vorige versie.";
    box.appendChild(title);
    var list = document.createElement("ul");
    list.style.cssText = "margin:0;padding-left:1.2rem";
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      var where = document.createElement("code");
      where.textContent = problem.path + ":" + problem.line + ":" + problem.column;
      item.appendChild(where);
      item.appendChild(document.createTextNode(" " + problem.message + (problem.hint ? " (" + problem.hint + ")" : "")));
      list.appendChild(item);
    });
    box.appendChild(list);
    document.body.appendChild(box);
  }

  function connect() {
    var socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/livereload");
    socket.onopen = function () {
      socket.send(JSON.stringify({command: "hello", protocols: ["http://livereload.com/protocols/official-7"]}));
      socket.send(JSON.stringify({command: "info", url: location.href, plugins: {}}));
    };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.command === "reload") location.reload();
      else if (message.command === "sitegen-problems") showOverlay(message.problems);
    };
    socket.onclose = function () { setTimeout(connect, 1000); };
  }
  connect();
}());
