import Mustache

/// The Mustache templates of the HTML format: the page (inline stylesheet with a print
/// variant, no JavaScript), its sections, tables and the SVG charts. `{{ }}` escapes
/// for HTML. The markup is also well-formed XML (void elements closed), so a plain
/// XML parser can check every report.
enum ReportTemplates {
    static func library() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        try library.register(page, named: "page")
        try library.register(table, named: "table")
        try library.register(chart, named: "chart")
        return library
    }

    static let page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>{{title}}</title>
        <style>
        :root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --accent: #0b5cad; --target: #1a7f37; }
        body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
        header { border-bottom: 2px solid var(--ink); margin-bottom: 1.5rem; }
        h1 { font-size: 1.8rem; margin: 0 0 .25rem; }
        h2 { font-size: 1.35rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); }
        .meta, figcaption, caption { color: var(--muted); }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
        dt { font-weight: 600; }
        dd { margin: 0; white-space: pre-wrap; }
        table { border-collapse: collapse; margin: .75rem 0 1.5rem; width: 100%; }
        caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: .25rem; }
        th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
        td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
        td.suppressed { color: var(--muted); font-style: italic; }
        thead th { background: #f6f8fa; }
        figure { margin: 1rem 0; }
        svg { max-width: 100%; height: auto; }
        svg text { font: 12px system-ui, sans-serif; fill: var(--ink); }
        .series { fill: none; stroke: var(--accent); stroke-width: 2.5; }
        .dot, .bar { fill: var(--accent); }
        .baseline { stroke: var(--muted); stroke-dasharray: 4 3; }
        .target { stroke: var(--target); stroke-dasharray: 8 3; }
        .axis { stroke: var(--ink); }
        .note { font-size: .9rem; color: var(--muted); }
        @media print {
          body { max-width: none; padding: 0; font-size: 11pt; }
          h2 { break-after: avoid; }
          figure, table { break-inside: avoid; }
          a { color: inherit; text-decoration: none; }
        }
        </style>
        </head>
        <body>
        <header>
        <h1>{{title}}</h1>
        {{#subtitle}}<p class="meta">{{subtitle}}</p>{{/subtitle}}
        <p class="meta">Generated {{generatedAt}}. Groups of fewer than {{threshold}} people are shown as “suppressed”, as are cells that would let a reader work one out.</p>
        </header>
        <main>
        {{#sections}}
        <section id="{{id}}" aria-labelledby="{{id}}-heading">
        <h2 id="{{id}}-heading">{{heading}}</h2>
        {{#paragraphs}}<p>{{.}}</p>
        {{/paragraphs}}
        {{#hasFacts}}<dl>
        {{#facts}}<dt>{{label}}</dt><dd>{{value}}</dd>
        {{/facts}}</dl>{{/hasFacts}}
        {{#charts}}{{> chart}}{{/charts}}
        {{#tables}}{{> table}}{{/tables}}
        </section>
        {{/sections}}
        </main>
        </body>
        </html>

        """

    static let table = """
        <table id="{{id}}">
        <caption>{{caption}}</caption>
        <thead><tr>{{#columns}}<th scope="col"{{#numeric}} class="number"{{/numeric}}>{{label}}</th>{{/columns}}</tr></thead>
        <tbody>
        {{#rows}}<tr>{{#cells}}{{#first}}<th scope="row">{{text}}</th>{{/first}}{{^first}}<td class="{{kind}}">{{text}}</td>{{/first}}{{/cells}}</tr>
        {{/rows}}{{^rows}}<tr><td colspan="{{columnCount}}">Nothing recorded yet.</td></tr>
        {{/rows}}</tbody>
        </table>

        """

    static let chart = """
        <figure id="{{id}}">
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{width}} {{height}}" width="{{width}}" height="{{height}}" role="img" aria-labelledby="{{id}}-title {{id}}-desc">
        <title id="{{id}}-title">{{title}}</title>
        <desc id="{{id}}-desc">{{summary}}</desc>
        <line class="axis" x1="{{left}}" y1="{{bottom}}" x2="{{right}}" y2="{{bottom}}"/>
        <line class="axis" x1="{{left}}" y1="{{top}}" x2="{{left}}" y2="{{bottom}}"/>
        {{#ticks}}<text x="{{x}}" y="{{y}}" text-anchor="end" dominant-baseline="middle">{{label}}</text>
        {{/ticks}}{{#references}}<line class="{{kind}}" x1="{{left}}" y1="{{y}}" x2="{{right}}" y2="{{y}}"/><text x="{{right}}" y="{{labelY}}" text-anchor="end">{{label}}</text>
        {{/references}}{{#bars}}<rect class="bar" x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}"><title>{{label}}: {{value}}</title></rect>
        {{/bars}}{{#segments}}<polyline class="series" points="{{points}}"/>
        {{/segments}}{{#dots}}<circle class="dot" cx="{{x}}" cy="{{y}}" r="3.5"><title>{{label}}: {{value}}</title></circle>
        {{/dots}}{{#labels}}<text x="{{x}}" y="{{y}}" text-anchor="middle">{{text}}</text>
        {{/labels}}</svg>
        <figcaption>{{summary}} The values are in the table “{{tableCaption}}”.{{#gaps}} Gaps are hidden or missing values.{{/gaps}}</figcaption>
        </figure>

        """
}
