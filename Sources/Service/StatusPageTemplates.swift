/// The Mustache templates of the status page. `{{name}}` escapes HTML (and quotes, for attributes); nothing here
/// uses the unescaped `{{{name}}}` form, so every value from outside reaches the page as text. No JavaScript.
enum StatusPageTemplates {
    static let head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Promote</title>
        <style>
        body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1b1f24}
        table{border-collapse:collapse;width:100%}th,td{border:1px solid #d0d7de;padding:.4em;vertical-align:top;text-align:left}
        th{background:#f6f8fa}.muted{color:#57606a}.bad{color:#b3261e}.good{color:#1a7f37}.warn{color:#9a6700}
        .tag{display:inline-block;border:1px solid #d0d7de;border-radius:3px;padding:0 .3em;margin:.1em 0;font-size:12px}
        form.inline{display:inline;margin:0}button{font-size:12px;margin:.15em 0}header{display:flex;gap:1em;align-items:baseline}
        header form{margin-left:auto}code{font-size:12px;word-break:break-all}.notice{background:#dafbe1;padding:.5em}
        </style>
        </head>
        <body>
        <header><h1>{{title}}</h1>{{#user}}<span class="muted">signed in as <strong>{{name}}</strong>{{#canPromote}} (may promote){{/canPromote}}</span>{{#csrf}}<form class="inline" method="post" action="/logout"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Log out</button></form>{{/csrf}}{{/user}}</header>
        """

    static let login = """
        {{> head}}
        <main>
        {{#message}}<p class="bad" id="login-message">{{message}}</p>{{/message}}
        <p>The status page needs a token with the <code>read</code> scope (<code>service.access.tokens</code>).</p>
        <form method="post" action="/login" id="login">
        <label for="token">Token</label>
        <input type="password" id="token" name="token" autocomplete="current-password" required>
        <button type="submit">Log in</button>
        </form>
        </main>
        </body>
        </html>
        """

    static let error = """
        {{> head}}
        <main>
        <p class="bad" id="problem">{{problemTitle}}{{#detail}}: {{detail}}{{/detail}}</p>
        {{#errors}}<p class="bad">{{field}}: {{message}}</p>{{/errors}}
        <p><a href="/">Back to the status page</a></p>
        </main>
        </body>
        </html>
        """

    static let grid = """
        {{> head}}
        <main>
        {{#notice}}<p class="notice" id="notice">{{notice}}</p>{{/notice}}
        <p class="muted">{{summary}} · {{reconciled}}</p>
        <table id="grid">
        <thead><tr><th scope="col">Model</th>{{#environments}}<th scope="col">{{name}} <span class="muted">({{mode}}, {{branch}})</span></th>{{/environments}}</tr></thead>
        <tbody>
        {{#rows}}
        <tr id="model-{{anchor}}">
        <th scope="row"><a href="{{href}}">{{model}}</a>{{#declared}} <span class="tag">declared</span>{{/declared}}{{#pending}}<br><span class="tag warn">{{state}} {{version}}</span>{{/pending}}{{#advance}}<form class="inline" method="post" action="/actions"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="action" value="advance"><input type="hidden" name="model" value="{{model}}"><button type="submit" class="advance">Advance</button></form>{{/advance}}</th>
        {{#cells}}
        <td data-env="{{env}}">
        {{#specVersion}}<strong class="spec" title="{{specValue}}">{{.}}</strong> <span class="muted">in the spec</span>{{/specVersion}}{{^specVersion}}<span class="muted spec">{{specText}}</span>{{/specVersion}}
        {{#specError}}<br><span class="bad">{{.}}</span>{{/specError}}
        {{#ledgerVersion}}<br><span class="warn">ledger: {{.}}</span>{{/ledgerVersion}}
        {{#proposed}}
        <div class="proposal">proposed <strong>{{version}}</strong>{{#state}} <span class="tag">{{.}}</span>{{/state}}
        {{#pr}}<br>{{#href}}<a class="pr" href="{{.}}">#{{number}}</a>{{/href}}{{^href}}#{{number}}{{/href}} {{#title}}<span class="pr-title">{{.}}</span>{{/title}} <span class="muted">open {{age}}</span>{{/pr}}
        {{#gates}}<br><span class="tag {{css}}" title="{{detail}}">{{metric}} {{expression}}: {{outcome}}</span>{{/gates}}
        </div>
        {{/proposed}}
        {{#stage}}<div class="stage">{{#state}}<span class="tag {{css}}">{{version}} {{.}}</span>{{/state}}{{#verifyRemaining}} <span class="muted">verify: {{.}} to go</span>{{/verifyRemaining}}{{#failing}}<br><span class="bad check">failing check: {{.}}</span>{{/failing}}{{#waiting}}<br><span class="muted soak">{{.}} waiting: soak {{soak}} remaining</span>{{/waiting}}</div>{{/stage}}
        {{#drift}}<br><span class="tag bad" title="{{detail}}">drift: {{kind}} ({{action}})</span>{{/drift}}
        {{#promote}}<form class="inline" method="post" action="/actions"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="action" value="release"><input type="hidden" name="model" value="{{model}}"><input type="hidden" name="environment" value="{{environment}}"><input type="hidden" name="version" value="{{version}}"><input type="hidden" name="uri" value="{{uri}}"><button type="submit" class="promote">Promote {{version}} to {{environment}}</button></form>{{/promote}}
        {{#rollback}}<form class="inline" method="post" action="/actions"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="action" value="rollback"><input type="hidden" name="model" value="{{model}}"><input type="hidden" name="environment" value="{{environment}}"><button type="submit" class="rollback">Roll back</button></form>{{/rollback}}
        </td>
        {{/cells}}
        </tr>
        {{/rows}}
        </tbody>
        </table>
        {{^rows}}<p>No model has a spec, a declaration or a promotion yet.</p>{{/rows}}
        </main>
        </body>
        </html>
        """

    static let model = """
        {{> head}}
        <main>
        <p><a href="/">All models</a></p>
        <h2>Metric trends</h2>
        {{#charts}}
        <figure>
        <svg xmlns="http://www.w3.org/2000/svg" width="{{width}}" height="{{height}}" viewBox="0 0 {{width}} {{height}}" role="img" aria-label="{{metric}}">
        <title>{{metric}}</title>
        <line x1="40" y1="{{bottom}}" x2="{{right}}" y2="{{bottom}}" stroke="#d0d7de"/>
        <text x="4" y="14" font-size="11">{{max}}</text><text x="4" y="{{bottom}}" font-size="11">{{min}}</text>
        <polyline fill="none" stroke="#0969da" stroke-width="2" points="{{points}}"/>
        {{#dots}}<circle cx="{{x}}" cy="{{y}}" r="3" fill="#0969da"><title>{{label}}</title></circle>{{/dots}}
        </svg>
        <figcaption>{{metric}}</figcaption>
        </figure>
        {{/charts}}
        {{^charts}}<p class="muted">No metrics recorded.</p>{{/charts}}
        <h2>Versions per environment</h2>
        <table id="history">
        <thead><tr><th scope="col">When</th><th scope="col">Environment</th><th scope="col">Version</th><th scope="col">Status</th><th scope="col">Change</th></tr></thead>
        <tbody>
        {{#history}}<tr><td>{{at}}</td><td>{{environment}}</td><td>{{version}}</td><td>{{status}}</td><td>{{#href}}<a href="{{href}}">{{link}}</a>{{/href}}{{^href}}<code>{{link}}</code>{{/href}}</td></tr>{{/history}}
        </tbody>
        </table>
        <h2>Promotions</h2>
        <table id="promotions">
        <thead><tr><th scope="col">Asked</th><th scope="col">Version</th><th scope="col">State</th><th scope="col">By</th><th scope="col">Run</th></tr></thead>
        <tbody>
        {{#promotions}}<tr><td>{{at}}</td><td>{{version}}</td><td>{{state}}{{#detail}} <span class="muted">{{detail}}</span>{{/detail}}</td><td>{{origin}}</td><td>{{#runHref}}<a href="{{runHref}}">run</a>{{/runHref}}{{^runHref}}{{#runText}}<code>{{runText}}</code>{{/runText}}{{/runHref}}</td></tr>{{/promotions}}
        </tbody>
        </table>
        <h2>Audit</h2>
        <table id="audit">
        <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Where</th><th scope="col">Detail</th></tr></thead>
        <tbody>
        {{#audit}}<tr><td>{{at}}</td><td class="actor">{{actor}}</td><td>{{action}}</td><td>{{environment}}</td><td>{{detail}}</td></tr>{{/audit}}
        </tbody>
        </table>
        </main>
        </body>
        </html>
        """
}
