import Hummingbird
import NIOCore

/// The dashboard's stylesheet and script, served from the binary (no build step, nothing fetched
/// from elsewhere). The script only adds conveniences: every page works without it.
enum DashboardAssets {
    static func response(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Copy buttons (`data-copy` names the element whose text is copied), confirmations before
    /// deleting (`data-confirm`), and the organization switcher submitting itself.
    static let javascript = """
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
        });
        """

    static let css = """
        :root { --ink: #1d2330; --muted: #667085; --line: #e4e7ec; --bg: #f6f7f9; --accent: #4f46e5; --accent-ink: #fff;
          --ok: #067647; --warn: #b54708; --bad: #b42318; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--ink); background: var(--bg); font-size: 15px; line-height: 1.45; }
        body.app { display: grid; grid-template-columns: 232px 1fr; min-height: 100vh; }
        body.plain main { max-width: 420px; margin: 10vh auto; }
        main { padding: 24px 32px; min-width: 0; }
        h1 { font-size: 1.5rem; margin: 0 0 16px; }
        h2 { font-size: 1.1rem; margin: 0 0 12px; }
        a { color: var(--accent); }
        code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.9em; }
        pre { background: #101828; color: #f2f4f7; padding: 12px; border-radius: 8px; overflow-x: auto; }
        .sidebar { background: #101828; color: #d0d5dd; display: flex; flex-direction: column; padding: 16px 12px; gap: 16px;
          position: sticky; top: 0; height: 100vh; }
        .brand { color: #fff; font-weight: 700; font-size: 1.2rem; padding: 0 8px; }
        .switcher { display: grid; gap: 6px; padding: 0 8px; }
        .switcher label { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.04em; color: #98a2b3; }
        .switcher select { width: 100%; }
        nav { display: flex; flex-direction: column; gap: 2px; }
        nav a { display: flex; align-items: center; gap: 10px; padding: 8px 10px; border-radius: 6px; color: #d0d5dd; text-decoration: none; }
        nav a:hover { background: #1d2939; color: #fff; }
        nav a.active { background: var(--accent); color: var(--accent-ink); }
        .icon { flex: none; }
        .who { margin-top: auto; padding: 0 8px; font-size: 0.85rem; display: grid; gap: 4px; word-break: break-all; }
        .panel, .card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 20px; margin-bottom: 20px; }
        .card { display: grid; gap: 8px; }
        .grid { display: grid; grid-template-columns: 160px minmax(0, 420px); gap: 10px 16px; align-items: center; }
        .checks { display: flex; gap: 16px; flex-wrap: wrap; }
        .label { font-weight: 500; }
        label { font-weight: 500; }
        input, select, button { font: inherit; }
        input, select { padding: 7px 9px; border: 1px solid #d0d5dd; border-radius: 6px; background: #fff; }
        button { padding: 8px 14px; border: 0; border-radius: 6px; background: var(--accent); color: var(--accent-ink); cursor: pointer; }
        button.small { padding: 5px 10px; font-size: 0.85rem; }
        button.danger { background: var(--bad); }
        button.link { background: none; color: #d0d5dd; padding: 0; text-decoration: underline; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.03em; color: var(--muted); }
        tr.current td { background: #eef2ff; }
        .scroll { overflow-x: auto; }
        #keys-table td, table.list td { white-space: nowrap; }
        .actions select { padding: 4px 6px; font-size: 0.85rem; }
        details summary { cursor: pointer; color: var(--accent); }
        form.edit { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
        .actions { display: flex; gap: 6px; flex-wrap: wrap; }
        .actions form { display: flex; gap: 6px; }
        .state { font-weight: 600; }
        .state.ok { color: var(--ok); } .state.warn { color: var(--warn); } .state.bad { color: var(--bad); }
        .notice { background: #ecfdf3; border: 1px solid #abefc6; padding: 10px 12px; border-radius: 8px; }
        .error { background: #fef3f2; border: 1px solid #fecdca; color: var(--bad); padding: 10px 12px; border-radius: 8px; }
        .warning { background: #fffaeb; border: 1px solid #fedf89; padding: 10px 12px; border-radius: 8px; }
        .muted { color: var(--muted); }
        .copy-row { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
        .copy-row code { background: var(--bg); border: 1px solid var(--line); padding: 8px 10px; border-radius: 6px; word-break: break-all; }
        .filters { display: flex; flex-wrap: wrap; gap: 10px 14px; align-items: end; margin-bottom: 14px; }
        .filters label { display: grid; gap: 4px; font-size: 0.85rem; }
        .pager { display: flex; gap: 16px; align-items: center; margin-top: 12px; }
        .steps li { margin-bottom: 10px; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 14px; margin-bottom: 20px; }
        .stat { display: grid; gap: 4px; margin: 0; }
        .stat strong { font-size: 1.6rem; }
        .chart { width: 100%; max-width: 640px; height: auto; color: var(--accent); }
        @media (max-width: 760px) {
          body.app { grid-template-columns: 1fr; }
          .sidebar { position: static; height: auto; flex-direction: row; flex-wrap: wrap; align-items: center; gap: 8px; }
          nav { flex-direction: row; flex-wrap: wrap; width: 100%; }
          nav a span { display: none; }
          nav a { padding: 8px; }
          .who { margin-top: 0; margin-left: auto; }
          .switcher { flex: 1; grid-template-columns: 1fr auto; }
          .switcher label { display: none; }
          main { padding: 16px; }
          .grid { grid-template-columns: 1fr; }
        }
        """
}
