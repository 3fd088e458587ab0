"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-copy]")) {
    button.addEventListener("click", async () => {
      const text = document.getElementById(button.dataset.copy).textContent.trim();
      try {
        await navigator.clipboard.writeText(text);
      } catch {
        const range = document.createRange();
        range.selectNodeContents(document.getElementById(button.dataset.copy));
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        document.execCommand("copy");
      }
      button.dataset.copied = "true";
      button.textContent = "Copied";
    });
  }
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.submit());
  }
  // The test-call page (issue 17): the caller side of a web call, typed. Each reply streams in;
  // the time from a turn to the reply's first token is shown.
  const call = document.getElementById("test-call");
  if (call) {
    const status = document.getElementById("call-status");
    const firstToken = document.getElementById("first-token");
    const transcript = document.getElementById("live-transcript");
    const input = document.getElementById("say-text");
    let reply = null;
    let sentAt = null;
    const line = (role, text) => {
      const item = document.createElement("li");
      item.className = "turn " + role;
      const who = document.createElement("span");
      who.className = "muted";
      who.textContent = role;
      const words = document.createElement("p");
      words.textContent = text;
      item.append(who, words);
      transcript.append(item);
      return words;
    };
    const socket = new WebSocket(call.dataset.mediaUrl + "?token=" + encodeURIComponent(call.dataset.token));
    socket.addEventListener("message", (message) => {
      const frame = JSON.parse(message.data);
      switch (frame.event) {
        case "call.status": status.textContent = frame.status; break;
        case "agent.say": line("agent", frame.text); break;
        case "agent.text.delta":
          if (!reply) {
            reply = line("agent", "");
            if (sentAt !== null) firstToken.textContent = Math.round(performance.now() - sentAt) + " ms";
          }
          reply.textContent += frame.text;
          break;
        case "agent.text.end": reply = null; sentAt = null; break;
        case "call.ended":
          status.textContent = frame.status + (frame.end_reason ? " (" + frame.end_reason + ")" : "");
          document.getElementById("call-ended").hidden = false;
          document.getElementById("say").disabled = true;
          document.getElementById("hang-up").disabled = true;
          break;
      }
    });
    socket.addEventListener("close", () => { document.getElementById("call-ended").hidden = false; });
    document.getElementById("say-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text || socket.readyState !== WebSocket.OPEN) return;
      line("user", text);
      sentAt = performance.now();
      socket.send(JSON.stringify({ event: "user.text", text }));
      input.value = "";
    });
    document.getElementById("hang-up").addEventListener("click", () => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ event: "hangup" }));
    });
  }
});
