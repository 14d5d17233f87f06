// Keys: KMS keys with their state, aliases, rotation, pending deletion and key policy.
import { json } from './api.js';
import { badge, clear, errorPanel, fmtDate, h, table } from './dom.js';

export const title = 'Keys';

export async function render(main) {
  const detail = h('section', { class: 'detail', id: 'key-detail' });
  const holder = h('div', { id: 'key-list' }, 'Loading…');
  main.append(holder, detail);
  let marker;
  const rows = [];
  async function load() {
    try {
      const [keys, aliases] = await Promise.all([
        json('kms', 'ListKeys', { Limit: 50, Marker: marker }),
        rows.length ? Promise.resolve(null) : json('kms', 'ListAliases', { Limit: 100 }),
      ]);
      if (aliases) render.aliases = aliases.Aliases || [];
      marker = keys.Truncated ? keys.NextMarker : undefined;
      const described = await Promise.all((keys.Keys || []).map((k) => json('kms', 'DescribeKey', { KeyId: k.KeyId }).then((d) => d.KeyMetadata).catch(() => ({ KeyId: k.KeyId, KeyState: '(not allowed)' }))));
      rows.push(...described);
      clear(holder, table('KMS keys', [
        { title: 'Key', cell: (k) => h('code', {}, k.KeyId) },
        { title: 'Aliases', cell: (k) => render.aliases.filter((a) => a.TargetKeyId === k.KeyId).map((a) => badge(a.AliasName, 'label')) },
        { title: 'State', cell: (k) => badge(k.KeyState, k.KeyState === 'Enabled' ? 'ok' : 'warn') },
        { title: 'Spec', cell: (k) => `${k.KeySpec || ''} ${k.KeyUsage || ''}` },
        { title: 'Manager', cell: (k) => k.KeyManager || '' },
        { title: 'Created', cell: (k) => fmtDate(k.CreationDate) },
        { title: 'Deletion', cell: (k) => (k.DeletionDate ? fmtDate(k.DeletionDate) : '—') },
      ], rows, (k) => showKey(detail, k)), marker ? h('button', { type: 'button', class: 'more', onclick: load }, 'Load more') : null);
    } catch (e) {
      clear(holder, errorPanel(e));
    }
  }

  return load();
}

async function showKey(detail, k) {
  clear(detail, h('h2', {}, k.KeyId), 'Loading…');
  const [rotation, policy] = await Promise.all([
    json('kms', 'GetKeyRotationStatus', { KeyId: k.KeyId }).catch((e) => ({ error: e })),
    json('kms', 'GetKeyPolicy', { KeyId: k.KeyId, PolicyName: 'default' }).catch((e) => ({ error: e })),
  ]);
  clear(detail,
    h('h2', {}, k.Description ? `${k.KeyId} — ${k.Description}` : k.KeyId),
    h('dl', { class: 'facts' },
      h('dt', {}, 'ARN'), h('dd', {}, h('code', {}, k.Arn || '')),
      h('dt', {}, 'State'), h('dd', {}, k.KeyState),
      h('dt', {}, 'Automatic rotation'), h('dd', {}, rotation.error ? rotation.error.message : rotation.KeyRotationEnabled ? `every ${rotation.RotationPeriodInDays ?? 365} days, next ${fmtDate(rotation.NextRotationDate)}` : 'off'),
      h('dt', {}, 'Pending deletion'), h('dd', {}, k.DeletionDate ? fmtDate(k.DeletionDate) : 'no')),
    h('h3', {}, 'Key policy'),
    policy.error ? errorPanel(policy.error) : h('pre', { class: 'policy' }, JSON.stringify(JSON.parse(policy.Policy), null, 2)));
}
