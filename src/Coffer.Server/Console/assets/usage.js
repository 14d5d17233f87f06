// Usage and cost: calls per service and operation over a period (Coffer's GetUsage, counted from
// the audit trail), and what the same use would cost on AWS at the prices in prices.json. Only the
// account's own calls are priced; Coffer's own work (a rotation's steps) is shown apart.
import { json } from './api.js';
import { clear, errorPanel, h, table } from './dom.js';

export const title = 'Usage and cost';

const money = (n) => `$${n.toFixed(2)}`;

async function count(service, op, input, key, filter = () => true) {
  let n = 0;
  let token;
  let pages = 0;
  do {
    const out = await json(service, op, { ...input, NextToken: token });
    n += (out[key] || []).filter(filter).length;
    token = out.NextToken;
  } while (token && ++pages < 20);
  return n;
}

async function resources() {
  const [keys, aliases, secrets, advanced] = await Promise.all([
    json('kms', 'ListKeys', { Limit: 1000 }).then((o) => o.Keys || []).catch(() => null),
    json('kms', 'ListAliases', { Limit: 100 }).then((o) => o.Aliases || []).catch(() => []),
    count('secretsmanager', 'ListSecrets', { MaxResults: 100 }, 'SecretList').catch(() => null),
    count('ssm', 'DescribeParameters', { MaxResults: 50, ParameterFilters: [{ Key: 'Tier', Values: ['Advanced'] }] }, 'Parameters').catch(() => null),
  ]);
  const awsManaged = new Set(aliases.filter((a) => a.AliasName.startsWith('alias/aws/') && a.TargetKeyId).map((a) => a.TargetKeyId));
  return {
    'kms.amazonaws.com': keys && keys.filter((k) => !awsManaged.has(k.KeyId)).length,
    'secretsmanager.amazonaws.com': secrets,
    'ssm.amazonaws.com': advanced,
  };
}

const callsTable = (caption, rows) => table(caption, [
  { title: 'Service', cell: (u) => u.EventSource.replace('.amazonaws.com', '') },
  { title: 'Operation', cell: (u) => u.EventName },
  { title: 'Calls', cell: (u) => u.Count.toLocaleString('en') },
], (rows || []).slice().sort((a, b) => b.Count - a.Count));

export async function render(main, params) {
  const since = h('select', { id: 'usage-since', 'aria-label': 'Period' }, [['7', 'last 7 days'], ['30', 'last 30 days'], ['90', 'last 90 days']].map(([v, t]) => h('option', { value: v, selected: v === (params.get('days') || '30') }, t)));
  const out = h('div', { id: 'usage-out', 'aria-live': 'polite' }, 'Loading…');
  main.append(h('p', {}, h('label', { for: 'usage-since' }, 'Period '), since), out);
  const prices = await (await fetch('prices.json', { cache: 'no-store' })).json();

  async function load() {
    const days = Number(since.value);
    try {
      const end = Math.floor(Date.now() / 1000);
      const [usage, counts] = await Promise.all([json('coffer', 'GetUsage', { StartTime: end - days * 86400, EndTime: end }), resources()]);
      const months = days / 30;
      const bySource = new Map();
      for (const u of usage.Usage || []) bySource.set(u.EventSource, (bySource.get(u.EventSource) || 0) + u.Count);
      const costRows = Object.entries(prices.services).map(([source, p]) => {
        const calls = bySource.get(source) || 0;
        const billable = Math.max(0, calls - p.requests.freePerMonth * months);
        const callCost = (billable / p.requests.per) * p.requests.price;
        const n = counts[source];
        const resourceCost = n == null ? null : n * p.resource.perMonth * months;
        return { label: p.label, calls, callCost, note: p.requests.onlyWith, n, resource: p.resource.name, resourceCost };
      });
      const own = (usage.InternalUsage || []).reduce((n, u) => n + u.Count, 0);
      const total = costRows.reduce((s, r) => s + (r.resourceCost || 0) + (r.note ? 0 : r.callCost), 0);
      clear(out,
        h('h2', {}, `What this would cost on AWS: ${money(total)}`),
        h('p', { class: 'hint' }, `Over ${days} days at AWS's published prices (${prices.asOf}, ${prices.currency}); Coffer itself charges nothing.`),
        own === 0 ? null : h('p', { class: 'hint', id: 'usage-own' }, `Not counted: ${own.toLocaleString('en')} records of Coffer's own work (rotation steps, expiries), which AWS does not bill; they are listed at the end.`),
        table('Cost on AWS', [
          { title: 'Service', cell: (r) => r.label },
          { title: 'Calls', cell: (r) => r.calls.toLocaleString('en') },
          { title: 'Calls cost', cell: (r) => (r.note ? `${money(0)} (${money(r.callCost)} with ${r.note.split(';')[0]})` : money(r.callCost)) },
          { title: 'Resources', cell: (r) => (r.n == null ? 'not allowed to list' : `${r.n} × ${r.resource}`) },
          { title: 'Resources cost', cell: (r) => (r.resourceCost == null ? '—' : money(r.resourceCost)) },
        ], costRows),
        h('h2', {}, 'Calls per operation'),
        callsTable('Calls per operation', usage.Usage),
        (usage.InternalUsage || []).length === 0 ? null : [
          h('h2', {}, "Coffer's own work"),
          h('p', { class: 'hint' }, 'Rotation steps, expiries and scheduled deletions that Coffer records as the service itself. AWS records these as service events and does not bill them, so they are not counted above.'),
          callsTable("Coffer's own work", usage.InternalUsage),
        ]);
    } catch (e) {
      clear(out, errorPanel(e));
    }
  }

  since.addEventListener('change', load);
  return load();
}
