/// The dashboard's Mustache templates, compiled into the binary. `{{x}}` is HTML-escaped;
/// `{{{x}}}` is used only for the rendered page body and the fixed sidebar icons.
enum DashboardTemplates {
    static let all: [String: String] = [
        "layout": layout, "sign-in": signIn, "hub": hub, "api-keys": apiKeys, "settings": settings, "table": table,
        "password": password, "error": error, "spaces": spaces, "agents": agents, "analytics": analytics,
    ]

    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{chrome.title}} · Unpod</title>
        {{#chrome.refreshSeconds}}<meta http-equiv="refresh" content="{{chrome.refreshSeconds}}">{{/chrome.refreshSeconds}}
        <link rel="stylesheet" href="/dashboard/assets/app.css">
        <script src="/dashboard/assets/app.js" defer></script>
        </head>
        <body class="{{#chrome.signedIn}}app{{/chrome.signedIn}}{{^chrome.signedIn}}plain{{/chrome.signedIn}}">
        {{#chrome.signedIn}}
        <aside class="sidebar">
          <div class="brand">Unpod</div>
          <form class="switcher" method="get" action="{{chrome.currentPath}}">
            <label for="org-switcher">Organization</label>
            <select id="org-switcher" name="org" data-autosubmit>
              {{#chrome.organizations}}<option value="{{handle}}"{{#selected}} selected{{/selected}}>{{name}} ({{handle}})</option>{{/chrome.organizations}}
            </select>
            <button type="submit" class="small">Switch</button>
          </form>
          <nav>
            {{#chrome.nav}}<a id="nav-{{id}}" href="{{href}}" title="{{label}}" aria-label="{{label}}"{{#active}} class="active" aria-current="page"{{/active}}>{{{icon}}}<span>{{label}}</span></a>{{/chrome.nav}}
          </nav>
          <div class="who">
            <span>{{chrome.email}}</span>
            <form method="post" action="/dashboard/sign-out">
              <input type="hidden" name="csrf" value="{{chrome.csrf}}">
              <button type="submit" class="link" id="sign-out">Sign out</button>
            </form>
          </div>
        </aside>
        {{/chrome.signedIn}}
        <main>
        <h1>{{chrome.title}}</h1>
        {{#chrome.notice}}<p class="notice" role="status">{{chrome.notice}}</p>{{/chrome.notice}}
        {{{body}}}
        </main>
        </body>
        </html>
        """

    static let signIn = """
        <form class="card" method="post" action="/dashboard/sign-in" id="sign-in-form">
          <p class="muted">Sign in to manage your API keys and organizations.</p>
          {{#notice}}<p class="notice">{{notice}}</p>{{/notice}}
          {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
          <input type="hidden" name="csrf" value="{{csrf}}">
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required value="{{email}}">
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required>
          <button type="submit" id="sign-in">Sign in</button>
        </form>
        """

    static let hub = """
        <section class="panel">
          <h2>Your organizations</h2>
          {{^organizations}}<p>You are not a member of any organization yet. Ask an owner to add you (or, as the operator, run <code>unpod orgs create</code>).</p>{{/organizations}}
          {{#hasOrganizations}}
          <table>
            <thead><tr><th>Name</th><th>Org-Handle</th><th>Your role</th><th></th></tr></thead>
            <tbody>
            {{#organizations}}<tr{{#current}} class="current"{{/current}}><td>{{name}}</td><td><code>{{handle}}</code></td><td>{{role}}</td><td>{{^current}}<a href="{{link}}">Switch</a>{{/current}}{{#current}}current{{/current}}</td></tr>{{/organizations}}
            </tbody>
          </table>
          {{/hasOrganizations}}
        </section>
        <section class="panel">
          <h2>What to do next</h2>
          <ol class="steps">
            <li>Click the key icon, <a href="{{keysLink}}">Api Keys</a>, and <strong>Generate New API Key</strong>. Copy the token: it is shown once.</li>
            <li>Copy your organization handle from <a href="{{settingsLink}}">Settings</a>.</li>
            <li>Make a first call:
              <pre>curl {{serverURL}}/api/v2/platform/organizations/ \\
          -H "Authorization: Token YOUR_TOKEN"{{#current}} \\
          -H "Org-Handle: {{current}}"{{/current}}</pre>
            </li>
          </ol>
        </section>
        """

    static let apiKeys = """
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{#newToken}}
        <section class="panel token" id="new-token-panel">
          <h2>Your new API key {{keyID}}</h2>
          <p class="warning"><strong>Copy this token now. It will not be shown again.</strong> Keep it safe: anyone with it acts as you.</p>
          <div class="copy-row"><code id="new-token">{{token}}</code><button type="button" data-copy="new-token" id="copy-token">Copy</button></div>
          {{#note}}<p class="muted">{{note}}</p>{{/note}}
        </section>
        {{/newToken}}
        <section class="panel">
          <h2>Generate New API Key</h2>
          <form method="post" action="/dashboard/api-keys" class="grid" id="generate-form">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <input type="hidden" name="org" value="{{org}}">
            <label for="key-name">Name</label>
            <input id="key-name" name="name" maxlength="100" required placeholder="e.g. production server">
            <span class="label">Scopes</span>
            <span class="checks">
              <label><input type="checkbox" name="scope" value="read" checked> read</label>
              <label><input type="checkbox" name="scope" value="write" checked> write</label>
              <label><input type="checkbox" name="scope" value="admin"> admin (manage keys)</label>
            </span>
            <label for="restrict-org">Organization</label>
            <select id="restrict-org" name="restrict_org">{{#organizations}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/organizations}}</select>
            <label for="expires">Expires</label>
            <select id="expires" name="expires">{{#expiries}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/expiries}}</select>
            <span></span><button type="submit" id="generate">Generate New API Key</button>
          </form>
        </section>
        <section class="panel">
          <h2>Your keys</h2>
          {{^rows}}<p class="muted">You have no API keys. A deleted key is replaced by generating a new one.</p>{{/rows}}
          {{#hasRows}}
          <div class="scroll"><table id="keys-table">
            <thead><tr><th>Name</th><th>Key id</th><th>Scopes</th><th>Organization</th><th>Created</th><th>Last used</th><th>Expires</th><th>State</th><th>Actions</th></tr></thead>
            <tbody>
            {{#rows}}
            <tr data-key-id="{{keyID}}">
              <td>{{name}}</td><td><code>{{keyID}}</code></td><td>{{scopes}}</td><td>{{organization}}</td><td>{{created}}</td><td>{{lastUsed}}</td><td>{{expires}}</td>
              <td><span class="state {{stateClass}}">{{state}}</span></td>
              <td><div class="actions">
                <form method="post" action="{{rotateAction}}">
                  <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="org" value="{{org}}">
                  <select name="grace" aria-label="Grace period for the old key">{{#graces}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/graces}}</select>
                  <button type="submit" class="small">Rotate</button>
                </form>
                <form method="post" action="{{deleteAction}}" data-confirm="Delete the key {{name}} ({{keyID}})? Requests that use it will be refused at once.">
                  <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="org" value="{{org}}">
                  <button type="submit" class="small danger">Delete</button>
                </form>
              </div></td>
            </tr>
            {{/rows}}
            </tbody>
          </table></div>
          {{/hasRows}}
        </section>
        """

    static let settings = """
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        <section class="panel">
          <h2>{{name}}</h2>
          <p>Send this handle as the <code>Org-Handle</code> header on API calls for this organization.</p>
          <div class="copy-row"><code id="org-handle">{{handle}}</code><button type="button" data-copy="org-handle" id="copy-org-handle">Copy Org Handle</button></div>
          <p class="muted">Your role: {{role}}</p>
        </section>
        <section class="panel">
          <h2>Members</h2>
          <div class="scroll"><table id="members-table">
            <thead><tr><th>Email</th><th>Role</th><th>Since</th>{{#canManage}}<th>Actions</th>{{/canManage}}</tr></thead>
            <tbody>
            {{#members}}
            <tr><td>{{email}}{{#isSelf}} (you){{/isSelf}}</td><td>{{role}}</td><td>{{since}}</td>
            {{#canManage}}<td><div class="actions">{{#manageable}}
              <form method="post" action="{{roleAction}}">
                <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="org" value="{{handle}}">
                <select name="role" aria-label="Role of {{email}}">{{#roles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/roles}}</select>
                <button type="submit" class="small">Change role</button>
              </form>
              <form method="post" action="{{removeAction}}" data-confirm="Remove {{email}} from {{handle}}?">
                <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="org" value="{{handle}}">
                <button type="submit" class="small danger">Remove</button>
              </form>
            {{/manageable}}</div></td>{{/canManage}}
            </tr>
            {{/members}}
            </tbody>
          </table></div>
        </section>
        {{#canManage}}
        <section class="panel">
          <h2>Add a member</h2>
          <form method="post" action="/dashboard/settings/members" class="grid" id="add-member-form">
            <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="org" value="{{handle}}">
            <label for="member-email">Email of an existing user</label>
            <input id="member-email" name="email" type="email" required>
            <label for="member-role">Role</label>
            <select id="member-role" name="role">{{#addRoles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/addRoles}}</select>
            <span></span><button type="submit">Add member</button>
          </form>
        </section>
        {{/canManage}}
        """

    static let table = """
        <form class="filters" method="get" action="{{action}}">
          <input type="hidden" name="org" value="{{org}}">
          {{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">{{/hidden}}
          {{#filters}}
          <label>{{label}}
            {{#isSelect}}<select name="{{name}}">{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select>{{/isSelect}}
            {{#isDate}}<input type="date" name="{{name}}" value="{{value}}">{{/isDate}}
            {{#isText}}<input name="{{name}}" value="{{value}}" maxlength="254">{{/isText}}
          </label>
          {{/filters}}
          {{#hasFilters}}<button type="submit" class="small">Filter</button>{{/hasFilters}}
        </form>
        {{^rows}}<p class="muted">{{empty}}</p>{{/rows}}
        {{#hasRows}}
        <div class="scroll"><table class="list">
          <thead><tr>{{#columns}}<th>{{.}}</th>{{/columns}}</tr></thead>
          <tbody>{{#rows}}<tr><td>{{#link}}<a href="{{link}}">{{first}}</a>{{/link}}{{^link}}{{first}}{{/link}}</td>{{#rest}}<td>{{.}}</td>{{/rest}}</tr>{{/rows}}</tbody>
        </table></div>
        {{/hasRows}}
        <nav class="pager">
          {{#pager.previous}}<a href="{{pager.previous}}" rel="prev">Previous</a>{{/pager.previous}}
          <span>{{pager.summary}}</span>
          {{#pager.next}}<a href="{{pager.next}}" rel="next">Next</a>{{/pager.next}}
        </nav>
        """

    static let password = """
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form class="card" method="post" action="/dashboard/password">
          <input type="hidden" name="csrf" value="{{csrf}}">
          <label for="current-password">Current password</label>
          <input id="current-password" name="current_password" type="password" autocomplete="current-password" required>
          <label for="new-password">New password (at least 8 characters)</label>
          <input id="new-password" name="new_password" type="password" autocomplete="new-password" minlength="8" required>
          <label for="confirm-password">New password again</label>
          <input id="confirm-password" name="confirm_password" type="password" autocomplete="new-password" minlength="8" required>
          <button type="submit">Change password</button>
        </form>
        """

    static let error = """
        <section class="card">
          <p class="error" role="alert">{{message}}</p>
          <p class="muted">{{status}} {{reason}}</p>
          <p><a href="/dashboard/">Back to the dashboard</a></p>
        </section>
        """

    static let spaces = """
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        <section class="panel">
          <h2>Spaces</h2>
          {{^hasRows}}<p class="muted">No spaces yet.</p>{{/hasRows}}
          {{#hasRows}}
          <div class="scroll"><table id="spaces-table">
            <thead><tr><th>Name</th><th>Space token</th><th>Content</th><th>Agent</th><th>Created</th><th>Runs</th>{{#canManage}}<th></th>{{/canManage}}</tr></thead>
            <tbody>
            {{#rows}}<tr><td>{{name}}</td><td><code>{{token}}</code></td><td>{{contentType}}</td><td>{{agent}}</td><td>{{created}}</td><td><a href="{{runsLink}}">Runs</a></td>
            {{#canManage}}<td><div class="actions">
              <details><summary>Edit</summary><form method="post" action="{{editAction}}" class="edit"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="org" value="{{org}}"><input name="name" value="{{name}}" maxlength="200" required aria-label="Name"><select name="agent" aria-label="Agent">{{#agentChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/agentChoices}}</select><button type="submit" class="small">Save</button></form></details>
              <form method="post" action="{{archiveAction}}" data-confirm="Archive the space {{name}}?"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="org" value="{{org}}"><button type="submit" class="small danger">Archive</button></form>
            </div></td>{{/canManage}}</tr>{{/rows}}
            </tbody>
          </table></div>
          {{/hasRows}}
        </section>
        {{#canManage}}
        <section class="panel">
          <h2>Create a space</h2>
          <form method="post" action="/dashboard/spaces" class="grid" id="create-space-form">
            <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="org" value="{{org}}">
            <label for="space-name">Name</label><input id="space-name" name="name" maxlength="200" required>
            <label for="space-content">Content type</label><input id="space-content" name="content_type" value="contact" maxlength="40">
            <label for="space-agent">Agent</label>
            <select id="space-agent" name="agent">{{#agents}}<option value="{{value}}">{{label}}</option>{{/agents}}</select>
            <span></span><button type="submit">Create space</button>
          </form>
        </section>
        {{/canManage}}
        """

    static let agents = """
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        <section class="panel">
          <h2>Agents</h2>
          {{^hasRows}}<p class="muted">No agents yet.</p>{{/hasRows}}
          {{#hasRows}}
          <div class="scroll"><table id="agents-table">
            <thead><tr><th>Handle</th><th>Name</th><th>Type</th><th>State</th><th>Purpose</th>{{#canManage}}<th></th>{{/canManage}}</tr></thead>
            <tbody>
            {{#rows}}<tr><td><code>{{handle}}</code></td><td>{{name}}</td><td>{{type}}</td><td>{{state}}</td><td>{{purpose}}</td>
            {{#canManage}}<td><div class="actions">
              <details><summary>Edit</summary><form method="post" action="{{editAction}}" class="edit"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="org" value="{{org}}"><input name="name" value="{{name}}" maxlength="200" required aria-label="Name"><input name="type" value="{{type}}" maxlength="40" aria-label="Type"><input name="purpose" value="{{purpose}}" maxlength="2000" aria-label="Purpose"><button type="submit" class="small">Save</button></form></details>
              {{#publishAction}}<form method="post" action="{{publishAction}}"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="org" value="{{org}}"><button type="submit" class="small">Publish</button></form>{{/publishAction}}
              {{#archiveAction}}<form method="post" action="{{archiveAction}}" data-confirm="Archive the agent {{handle}}? It takes no new tasks."><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="org" value="{{org}}"><button type="submit" class="small danger">Archive</button></form>{{/archiveAction}}
            </div></td>{{/canManage}}</tr>{{/rows}}
            </tbody>
          </table></div>
          {{/hasRows}}
        </section>
        {{#canManage}}
        <section class="panel">
          <h2>Create an agent</h2>
          <form method="post" action="/dashboard/agents" class="grid" id="create-agent-form">
            <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="org" value="{{org}}">
            <label for="agent-handle">Handle</label><input id="agent-handle" name="handle" maxlength="64" required placeholder="sales-bot">
            <label for="agent-name">Name</label><input id="agent-name" name="name" maxlength="200" required>
            <label for="agent-type">Type</label><input id="agent-type" name="type" value="Voice" maxlength="40">
            <label for="agent-purpose">Purpose</label><input id="agent-purpose" name="purpose" maxlength="500">
            <span class="label">Publish</span><label><input type="checkbox" name="publish"> take tasks at once</label>
            <span></span><button type="submit">Create agent</button>
          </form>
        </section>
        {{/canManage}}
        """

    static let analytics = """
        <section class="cards">
          {{#cards}}<div class="card stat"><span class="muted">{{label}}</span><strong>{{value}}</strong></div>{{/cards}}
        </section>
        <section class="panel">
          <h2>Calls per day (last 14 days)</h2>
          <svg class="chart" viewBox="0 0 580 210" role="img" aria-label="Calls per day">
            <line x1="5" y1="180" x2="575" y2="180" stroke="currentColor" stroke-width="1"/>
            {{#bars}}<rect x="{{x}}" y="{{y}}" width="28" height="{{height}}" rx="3" fill="currentColor"><title>{{title}}</title></rect><text x="{{x}}" y="198" font-size="9" fill="currentColor">{{label}}</text>{{/bars}}
          </svg>
          <p class="muted">The tallest bar is {{maximum}} calls.</p>
        </section>
        <section class="panel">
          <h2>Tasks</h2>
          <div class="cards">{{#breakdown}}<div class="card stat"><span class="muted">{{label}}</span><strong>{{value}}</strong></div>{{/breakdown}}</div>
        </section>
        """
}
