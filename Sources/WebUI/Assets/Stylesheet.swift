// swift-format-ignore-file
// The stylesheet is CSS kept in a Swift string so that it ships inside the binary: no file to
// install beside it, nothing fetched from a CDN.

/// The pages' stylesheet, served at `/assets/app.css`.
package enum Stylesheet {
    package static let css = """
        :root {
          --blue: #1d5b8c; --blue-dark: #123f63; --blue-soft: #e7f0f8; --ochre: #b86f22; --ochre-soft: #fbf1e4;
          --bg: #f2f4f7; --card: #fff; --text: #1d2731; --muted: #5d6975; --border: #d9e0e7;
          --ok: #23774a; --ok-soft: #e3f3ea; --danger: #b3261e; --danger-soft: #fbe9e7; --radius: 10px;
          --ui-font: "Noto Sans", "Noto Sans Arabic", "Noto Sans Tifinagh", "Noto Naskh Arabic", system-ui, sans-serif;
          --prose-font: "Noto Sans", "Noto Naskh Arabic", "Noto Sans Arabic", "Noto Sans Tifinagh", serif;
        }
        html[lang="ar"] {
          --ui-font: "Noto Sans Arabic", "Noto Naskh Arabic", "Noto Sans", "Noto Sans Tifinagh", system-ui, sans-serif;
          --prose-font: "Noto Naskh Arabic", "Noto Sans Arabic", "Noto Sans", "Noto Sans Tifinagh", serif;
        }
        * { box-sizing: border-box; }
        html { font-size: 15px; }
        body { margin: 0; background: var(--bg); color: var(--text); font-family: var(--ui-font); line-height: 1.55; }
        a { color: var(--blue); text-decoration: none; }
        a:hover { text-decoration: underline; }
        code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85em; background: #eef1f4;
          padding: 1px 5px; border-radius: 4px; direction: ltr; unicode-bidi: isolate; }
        h1 { font-size: 1.6rem; margin: 0 0 4px; line-height: 1.3; }
        h2 { font-size: 1.15rem; margin: 0 0 12px; color: var(--blue-dark); }
        h3 { font-size: 1rem; margin: 0 0 8px; }
        small, .small { font-size: .85rem; }
        .muted { color: var(--muted); }
        [dir="auto"] { unicode-bidi: plaintext; }
        html[dir="ltr"] h1[dir="auto"] { text-align: left; }
        html[dir="rtl"] h1[dir="auto"] { text-align: right; }

        .topbar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 20px; padding: 8px 24px;
          background: linear-gradient(90deg, var(--blue-dark), var(--blue)); color: #fff;
          box-shadow: 0 2px 6px rgba(0,0,0,.15); }
        .brand a { display: flex; align-items: center; gap: 10px; color: #fff; text-decoration: none; }
        .brand span { display: flex; flex-direction: column; line-height: 1.25; }
        .brand strong { font-size: 1.02rem; }
        .brand small { opacity: .85; font-size: .8rem; }
        .mainnav { display: flex; flex-wrap: wrap; gap: 4px; flex: 1; }
        .mainnav a { color: #e8f1f9; padding: 6px 12px; border-radius: 999px; font-weight: 500; }
        .mainnav a:hover { background: rgba(255,255,255,.12); text-decoration: none; }
        .mainnav a[aria-current] { background: #fff; color: var(--blue-dark); }
        .trailing { display: flex; align-items: center; gap: 10px; font-size: .9rem; }
        .trailing .who { display: flex; align-items: center; gap: 6px; }
        .avatar { display: inline-flex; align-items: center; justify-content: center; width: 26px; height: 26px;
          border-radius: 50%; background: #fff; color: var(--blue-dark); font-weight: 700; font-size: .85rem; }
        time { white-space: nowrap; font-variant-numeric: tabular-nums; direction: ltr; unicode-bidi: isolate; }
        .trailing form { margin: 0; }
        .lang { color: #fff; border: 1px solid rgba(255,255,255,.55); padding: 4px 12px; border-radius: 999px; }
        .trailing .button { background: transparent; color: #fff; border-color: rgba(255,255,255,.55); }

        main { max-width: 1180px; margin: 0 auto; padding: 22px 24px 40px; }
        .footer { text-align: center; color: var(--muted); font-size: .8rem; padding: 16px; }
        .pagehead { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: flex-start;
          gap: 12px; margin-bottom: 16px; }
        .subtitle { margin: 4px 0 0; color: var(--muted); }
        .crumbs { font-size: .9rem; margin-bottom: 6px; }
        .card { background: var(--card); border: 1px solid var(--border); border-radius: var(--radius);
          padding: 18px 20px; margin-bottom: 16px; box-shadow: 0 1px 2px rgba(16,24,40,.05); }
        .card.flush { padding: 0; overflow: hidden; }
        .grid { display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); }
        .grid > .card { margin-bottom: 0; }
        .notice { background: var(--ok-soft); border: 1px solid #b6dec6; color: var(--ok); padding: 10px 14px;
          border-radius: var(--radius); margin: 0 0 16px; }
        .alert { background: var(--ochre-soft); border: 1px solid #efcf9f; color: #7a4510; padding: 10px 14px;
          border-radius: var(--radius); margin: 0 0 16px; }
        .alert.danger { background: var(--danger-soft); border-color: #f0b8b2; color: var(--danger); }
        .empty { padding: 28px; text-align: center; color: var(--muted); margin: 0; }
        .prose { font-family: var(--prose-font); font-size: 1.06rem; white-space: pre-wrap; line-height: 1.75; }

        .button { display: inline-flex; align-items: center; gap: 6px; font: inherit; font-weight: 500;
          padding: 7px 16px; border-radius: 8px; border: 1px solid var(--border); background: #fff; color: var(--text);
          cursor: pointer; text-decoration: none; white-space: nowrap; }
        .button:hover { border-color: var(--blue); text-decoration: none; }
        .button.primary { background: var(--blue); border-color: var(--blue); color: #fff; }
        .button.primary:hover { background: var(--blue-dark); }
        .button.ghost { background: transparent; }
        .button.danger { color: var(--danger); }
        .button.small { padding: 3px 10px; font-size: .85rem; }
        .button[disabled] { opacity: .6; cursor: progress; }
        form { margin: 0; }
        form.inline { display: inline; }
        .stack { display: flex; flex-direction: column; gap: 12px; }
        label { display: flex; flex-direction: column; gap: 4px; font-weight: 500; font-size: .9rem; color: #34414d; }
        input, select, textarea { font: inherit; font-weight: 400; padding: 7px 10px; border: 1px solid #c5cfd9;
          border-radius: 8px; background: #fff; color: var(--text); min-width: 0; }
        textarea { font-family: var(--prose-font); resize: vertical; }
        input:focus, select:focus, textarea:focus, .button:focus-visible { outline: 2px solid #7fb0d8; outline-offset: 1px; }
        fieldset.choices { border: 0; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 6px 16px; }
        fieldset.choices legend { font-weight: 500; font-size: .9rem; margin-bottom: 4px; padding: 0; }
        label.choice { flex-direction: row; align-items: center; gap: 6px; font-weight: 400; }
        .row { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; }
        .row > label { flex: 1 1 180px; }

        .filters { display: grid; gap: 12px; grid-template-columns: 2fr repeat(5, minmax(110px, 1fr)); align-items: end; }
        .filters .grow { grid-column: span 1; }
        .filter-actions { display: flex; gap: 8px; grid-column: 1 / -1; }

        table.list { width: 100%; border-collapse: collapse; }
        table.list th { text-align: start; font-size: .8rem; font-weight: 600; color: var(--muted);
          background: #f7f9fb; padding: 10px 14px; border-bottom: 1px solid var(--border); }
        table.list td { padding: 12px 14px; border-bottom: 1px solid #edf1f5; vertical-align: top; }
        table.list tbody tr:hover { background: #f9fbfd; }
        table.list tr:last-child td { border-bottom: 0; }
        table.compact td, table.compact th { padding: 6px 10px; font-size: .9rem; }
        .num { text-align: end; font-variant-numeric: tabular-nums; }
        td a.title { font-weight: 600; font-size: 1.02rem; }
        .excerpt { color: var(--muted); font-size: .88rem; margin-top: 2px; }
        .category { display: inline-block; font-size: .78rem; color: var(--muted); margin-top: 4px; }
        .pager { display: flex; align-items: center; gap: 10px; justify-content: flex-end; color: var(--muted); }

        .badge { display: inline-block; font-size: .78rem; font-weight: 600; padding: 2px 10px; border-radius: 999px;
          background: #eef1f4; color: #3b4752; margin-inline-end: 4px; white-space: nowrap; vertical-align: middle; }
        .badges { margin: 6px 0 0; }
        .badge.commune { background: var(--blue-soft); color: var(--blue-dark); }
        .status-submitted { background: #e9edf2; color: #3b4752; }
        .status-in-review { background: #fff2d6; color: #8a5a00; }
        .status-accepted { background: var(--ok-soft); color: var(--ok); }
        .status-rejected { background: var(--danger-soft); color: var(--danger); }
        .status-done { background: #dff1f2; color: #0f6a70; }
        .badge.warn { background: var(--ochre-soft); color: #8d4f0f; }
        .badge.info { background: var(--blue-soft); color: var(--blue-dark); }
        .badge.ok { background: var(--ok-soft); color: var(--ok); }
        .badge.danger { background: var(--danger-soft); color: var(--danger); }
        .badge.muted { background: #f0f0f0; color: #6b6b6b; }
        .align-for { background: var(--ok-soft); color: var(--ok); }
        .align-against { background: var(--danger-soft); color: var(--danger); }
        .align-neutral { background: #eef1f4; color: #4a5561; }
        .align-summary { display: flex; gap: 16px; flex-wrap: wrap; align-items: center; }

        .supports-box { display: flex; flex-direction: column; align-items: center; min-width: 110px; padding: 10px 16px;
          background: var(--card); border: 1px solid var(--border); border-radius: var(--radius); }
        .supports-box strong { font-size: 1.8rem; color: var(--blue); line-height: 1.1; }
        .supports-box span { color: var(--muted); font-size: .85rem; }
        .answer { border-inline-start: 4px solid var(--ok); }
        .layout-2 { display: grid; gap: 16px; grid-template-columns: minmax(0, 2fr) minmax(280px, 1fr); align-items: start; }

        .conflicts { border: 1px solid #efcf9f; background: #fffdf8; }
        .conflicts h2 { color: #8d4f0f; }
        .conflict { border-top: 1px dashed #efcf9f; padding-top: 14px; margin-top: 14px; }
        .sides { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); }
        .side { border: 1px solid var(--border); border-radius: 8px; padding: 12px; background: #fff;
          display: flex; flex-direction: column; gap: 10px; }
        .side.shown { border-color: #9cc0de; box-shadow: inset 0 3px 0 var(--blue); }
        .side:not(.shown) { box-shadow: inset 0 3px 0 var(--ochre); }
        .side-head { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; font-size: .85rem; color: var(--muted); }
        .side .value { flex: 1; font-size: 1rem; }
        .combine { margin-top: 12px; }
        details > summary { cursor: pointer; color: var(--blue); font-weight: 500; }
        details[open] > summary { margin-bottom: 10px; }

        .thread { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 10px; }
        .comment { border: 1px solid #e6ebf0; border-radius: 8px; padding: 10px 14px; background: #fbfcfd; }
        .comment.depth-2 { margin-inline-start: 40px; border-inline-start: 4px solid #9fc0dd; }
        .comment.depth-3 { margin-inline-start: 80px; border-inline-start: 4px solid #c7d9ea; }
        .comment-head { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; font-size: .85rem; color: var(--muted); }
        .comment-head .author { font-weight: 600; color: var(--text); }
        .comment-body { margin: 6px 0 0; font-family: var(--prose-font); white-space: pre-wrap; }
        .comment.is-deleted { background: #f4f5f6; border-style: dashed; }
        .deleted { margin: 4px 0 0; color: #7b848c; font-style: italic; }
        .comment-tools { display: flex; gap: 10px; align-items: flex-start; margin-top: 6px; font-size: .9rem; }
        .comment-form { margin-top: 14px; }
        ul.supporters { list-style: none; padding: 0; margin: 12px 0 0; display: flex; flex-wrap: wrap; gap: 6px; }
        ul.supporters li { display: inline-flex; align-items: center; gap: 4px; background: #f4f6f8;
          border: 1px solid var(--border); border-radius: 999px; padding: 2px 4px 2px 10px; }
        ul.supporters li code { background: none; padding: 0; }
        table.facts { width: 100%; border-collapse: collapse; font-size: .92rem; }
        table.facts th { text-align: start; color: var(--muted); font-weight: 500; padding: 6px 0; width: 40%; vertical-align: top; }
        table.facts td { padding: 6px 0; }
        table.facts tr + tr { border-top: 1px solid #edf1f5; }
        code.wrap { word-break: break-all; }
        ul.values { margin: 0; padding-inline-start: 18px; }

        .stats { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); margin-bottom: 16px; }
        .stat { background: var(--card); border: 1px solid var(--border); border-radius: var(--radius); padding: 14px 16px; }
        .stat strong { display: block; font-size: 1.7rem; color: var(--blue-dark); line-height: 1.2; }
        .stat span { color: var(--muted); font-size: .88rem; }
        .stat.warn strong { color: var(--ochre); }
        .stat.bad strong { color: var(--danger); }

        svg.chart { width: 100%; height: auto; display: block; }
        svg.chart text { font-family: var(--ui-font); font-size: 13px; fill: #2b3742; }
        svg.chart text.value { font-weight: 700; fill: #1d2731; }
        svg.chart text.small { font-size: 11px; fill: var(--muted); }
        svg.chart .baseline { stroke: #c5cfd9; stroke-width: 1; }
        .series-submitted { fill: #8a9bb0; background: #8a9bb0; } .series-in-review { fill: #e2a93b; background: #e2a93b; }
        .series-accepted { fill: #3f9a68; background: #3f9a68; } .series-rejected { fill: #d0574c; background: #d0574c; }
        .series-done { fill: #2a8f96; background: #2a8f96; }
        .series-essaouira { fill: #1d5b8c; background: #1d5b8c; } .series-ounagha { fill: #c07a2c; background: #c07a2c; }
        .series-tamanar { fill: #5a9e6f; background: #5a9e6f; } .series-supports { fill: #1d5b8c; background: #1d5b8c; }
        .legend { display: flex; flex-wrap: wrap; gap: 6px 16px; list-style: none; padding: 0; margin: 10px 0 0; font-size: .88rem; }
        .legend li { display: flex; align-items: center; gap: 6px; }
        .swatch { width: 12px; height: 12px; border-radius: 3px; display: inline-block; }

        .login { max-width: 420px; margin: 48px auto; }
        .login h1 { margin-bottom: 14px; }
        .error-page { max-width: 640px; margin: 40px auto; }
        .detail code { white-space: pre-wrap; }
        .state-ok { color: var(--ok); font-weight: 600; }
        .state-bad { color: var(--danger); font-weight: 600; }
        .state-unknown { color: var(--muted); }

        @media (max-width: 900px) {
          .filters { grid-template-columns: 1fr 1fr; }
          .filters .grow { grid-column: 1 / -1; }
          .layout-2 { grid-template-columns: 1fr; }
        }
        @media (max-width: 700px) {
          html { font-size: 14px; }
          main { padding: 14px 12px 32px; }
          .topbar { padding: 8px 12px; }
          table.list thead { display: none; }
          table.list tr { display: block; padding: 10px 12px; border-bottom: 1px solid var(--border); }
          table.list td { display: flex; gap: 10px; padding: 3px 0; border: 0; }
          table.list td::before { content: attr(data-label); flex: 0 0 38%; color: var(--muted); font-size: .8rem; }
          .num { text-align: start; }
          .comment.depth-2 { margin-inline-start: 14px; }
          .comment.depth-3 { margin-inline-start: 28px; }
        }
        @media print {
          .topbar, .filters, .pager, form, details { display: none; }
          body { background: #fff; }
          .card { box-shadow: none; }
        }
        """
}
