// The web UI: one static page that reads the REST API (cluster, tasks, stats through the proxy) every 2 s
// and PUTs the node count. No build step and no external assets, so it works on a loopback-only machine.
export const WEB_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>elasticsearch-mesos</title>
<style>
body{font-family:sans-serif;margin:2em;color:#222}
#health{display:inline-block;padding:.2em .8em;border-radius:1em;color:#fff;background:#888}
#health.green{background:#2a2}#health.yellow{background:#c90}#health.red{background:#c22}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em}
</style></head>
<body>
<h1>elasticsearch-mesos <span id="cluster-name"></span></h1>
<p>Health: <span id="health" data-status="unknown">unknown</span></p>
<p>Nodes: <span id="node-count">?</span> · Shards: <span id="shards">?</span> · Documents: <span id="docs">?</span></p>
<form id="scale"><label>Desired nodes <input id="desired" type="number" min="1" max="100"></label>
<button type="submit">Scale</button> <span id="scale-result"></span></form>
<h2>Tasks</h2>
<table id="tasks"><thead><tr><th>Name</th><th>Host</th><th>State</th><th>HTTP</th><th>Transport</th><th>Health</th></tr></thead><tbody></tbody></table>
<script>
const $ = (id) => document.getElementById(id);
async function get(path) { const r = await fetch(path); if (!r.ok) throw new Error(path + ': ' + r.status); return r.json(); }
async function refresh() {
  try {
    const cfg = await get('/v1/cluster');
    $('cluster-name').textContent = cfg.elasticsearchClusterName || '';
    const n = await get('/v1/cluster/elasticsearchNodes');
    if (document.activeElement !== $('desired')) $('desired').value = n.value;
    const tasks = await get('/v1/tasks');
    const body = $('tasks').querySelector('tbody');
    body.replaceChildren(...tasks.map((t) => { const tr = document.createElement('tr'); tr.className = 'task';
      for (const v of [t.name, t.hostname, t.state, t.httpAddress, t.transportAddress, t.health]) { const td = document.createElement('td'); td.textContent = v; tr.append(td); }
      return tr; }));
    const stats = await get('/v1/es/_cluster/stats');
    const status = stats.status || 'unknown';
    $('health').textContent = status; $('health').className = status; $('health').dataset.status = status;
    $('node-count').textContent = stats.nodes && stats.nodes.count ? stats.nodes.count.total : '?';
    $('shards').textContent = stats.indices && stats.indices.shards ? (stats.indices.shards.total ?? 0) : 0;
    $('docs').textContent = stats.indices && stats.indices.docs ? stats.indices.docs.count : 0;
  } catch (e) { $('health').textContent = 'unknown'; $('health').className = ''; }
}
$('scale').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const r = await fetch('/v1/cluster/elasticsearchNodes', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value: Number($('desired').value) }) });
  $('scale-result').textContent = r.ok ? 'now ' + (await r.json()).value : 'refused: ' + (await r.text());
});
refresh(); setInterval(refresh, 2000);
</script></body></html>
`;
