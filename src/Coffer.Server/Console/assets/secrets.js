// Secrets: a paged list with prefix search; one secret's versions and staging labels as a
// timeline, its rotation schedule, last and next rotation, "rotate now", last access, and policy.
import { json } from './api.js';
import { badge, clear, debounce, errorPanel, fmtDate, h } from './dom.js';

export const title = 'Secrets';

export async function render(main) {
  const list = h('div', { class: 'list', id: 'secret-list' });
  const detail = h('section', { class: 'detail', id: 'secret-detail', 'aria-live': 'polite' }, h('p', { class: 'hint' }, 'Choose a secret.'));
  const search = h('input', { type: 'search', id: 'secret-search', placeholder: 'Name prefix…', 'aria-label': 'Search secrets by name prefix', autocomplete: 'off' });
  main.append(h('div', { class: 'split' }, h('section', { class: 'tree', 'aria-label': 'Secrets' }, search, list), detail));
  let token;
  async function load(reset) {
    if (reset) {
      token = undefined;
      clear(list);
    }

    try {
      const out = await json('secretsmanager', 'ListSecrets', {
        MaxResults: 50,
        NextToken: token,
        Filters: search.value ? [{ Key: 'name', Values: [search.value] }] : undefined,
        SortBy: 'name',
        SortOrder: 'asc',
      });
      token = out.NextToken;
      list.querySelector('.more')?.remove();
      for (const s of out.SecretList || []) {
        list.append(h('button', { type: 'button', class: 'item leaf', onclick: () => showSecret(detail, s.ARN) },
          s.Name, ' ', s.RotationEnabled ? badge('rotating', 'ok') : null, s.DeletedDate ? badge('pending deletion', 'warn') : null));
      }

      if (!list.children.length) list.append(h('p', { class: 'hint' }, 'No secrets.'));
      if (token) list.append(h('button', { type: 'button', class: 'more', onclick: () => load(false) }, 'Load more'));
    } catch (e) {
      clear(list, errorPanel(e));
    }
  }

  search.addEventListener('input', debounce(() => load(true)));
  return load(true);
}

async function showSecret(detail, arn) {
  try {
    const [d, versions] = await Promise.all([
      json('secretsmanager', 'DescribeSecret', { SecretId: arn }),
      json('secretsmanager', 'ListSecretVersionIds', { SecretId: arn, IncludeDeprecated: true, MaxResults: 100 }),
    ]);
    const policy = await json('secretsmanager', 'GetResourcePolicy', { SecretId: arn }).catch((e) => ({ error: e }));
    const steps = await lastRotation(arn);
    const value = h('code', { class: 'value hidden-value', id: 'secret-value' }, '••••••••');
    const reveal = h('button', { type: 'button', id: 'reveal-secret', onclick: async () => {
      try {
        const out = await json('secretsmanager', 'GetSecretValue', { SecretId: arn });
        clear(value, out.SecretString ?? '(binary)');
        value.classList.remove('hidden-value');
        reveal.hidden = true;
      } catch (e) {
        value.replaceWith(errorPanel(e));
      }
    } }, 'Reveal current value');
    const status = h('div', { role: 'status', 'aria-live': 'polite' });
    const rotate = h('button', { type: 'button', id: 'rotate', disabled: !d.RotationEnabled && !d.RotationLambdaARN, onclick: async () => {
      rotate.disabled = true;
      clear(status, 'Rotating…');
      try {
        const out = await json('secretsmanager', 'RotateSecret', { SecretId: arn });
        clear(status, `Rotation started: version ${out.VersionId}.`);
        await waitForRotation(arn, out.VersionId);
        await showSecret(detail, arn);
      } catch (e) {
        clear(status, errorPanel(e));
        rotate.disabled = false;
      }
    } }, 'Rotate now');
    const timeline = (versions.Versions || []).slice().sort((a, b) => (a.CreatedDate < b.CreatedDate ? 1 : -1));
    clear(detail,
      h('h2', {}, d.Name),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Description'), h('dd', {}, d.Description || '—'),
        h('dt', {}, 'KMS key'), h('dd', {}, d.KmsKeyId || 'aws/secretsmanager'),
        h('dt', {}, 'Rotation'), h('dd', { id: 'rotation' }, d.RotationEnabled ? `every ${d.RotationRules?.AutomaticallyAfterDays ?? '?'} days${d.RotationRules?.ScheduleExpression ? ` (${d.RotationRules.ScheduleExpression})` : ''}` : 'not enabled'),
        h('dt', {}, 'Rotation function'), h('dd', {}, d.RotationLambdaARN || '—'),
        h('dt', {}, 'Last rotated'), h('dd', { id: 'last-rotated' }, fmtDate(d.LastRotatedDate)),
        h('dt', {}, 'Next rotation'), h('dd', {}, fmtDate(d.NextRotationDate)),
        h('dt', {}, 'Last accessed'), h('dd', {}, fmtDate(d.LastAccessedDate)),
        h('dt', {}, 'Tags'), h('dd', {}, (d.Tags || []).map((t) => badge(`${t.Key}=${t.Value}`, 'label')))),
      h('p', {}, value, ' ', reveal, ' ', rotate),
      status,
      h('h3', {}, 'Last rotation'),
      steps,
      h('h3', {}, 'Versions'),
      h('ol', { class: 'timeline', id: 'timeline', 'aria-label': 'Versions, newest first' }, timeline.map((v) =>
        h('li', { dataset: { version: v.VersionId } },
          h('time', {}, fmtDate(v.CreatedDate)), ' ',
          h('code', {}, v.VersionId), ' ',
          (v.VersionStages || []).map((s) => badge(s, s === 'AWSCURRENT' ? 'ok' : s === 'AWSPENDING' ? 'warn' : 'label')),
          (v.VersionStages || []).length === 0 ? badge('deprecated') : null,
          v.LastAccessedDate ? h('span', { class: 'hint' }, ` last read ${fmtDate(v.LastAccessedDate)}`) : null))),
      h('h3', {}, 'Resource policy'),
      policy.error ? errorPanel(policy.error) : h('pre', { class: 'policy' }, policy.ResourcePolicy ? JSON.stringify(JSON.parse(policy.ResourcePolicy), null, 2) : 'none'));
  } catch (e) {
    clear(detail, errorPanel(e));
  }
}

/** The last rotation's records from the audit trail (RotationStarted, a RotationStep per step, then Succeeded or Failed). */
async function lastRotation(arn) {
  try {
    const out = await json('cloudtrail', 'LookupEvents', { LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: arn }], MaxResults: 50 });
    const records = (out.Events || []).map((e) => JSON.parse(e.CloudTrailEvent || '{}')).filter((r) => /^Rotation/.test(r.eventName));
    const start = records.findIndex((r) => r.eventName === 'RotationStarted');
    const last = (start < 0 ? records : records.slice(0, start + 1)).reverse();
    if (last.length === 0) return h('p', { class: 'hint', id: 'rotation-steps' }, 'No rotation recorded.');
    return h('ol', { class: 'steps', id: 'rotation-steps' }, last.map((r) => h('li', {},
      h('time', {}, fmtDate(r.eventTime)), ' ', r.eventName.replace('Rotation', ''), ' ', r.requestParameters?.step || '', ' ',
      r.errorCode ? badge(r.errorMessage || r.errorCode, 'warn') : badge('ok', 'ok'))));
  } catch (e) {
    return h('p', { class: 'hint', id: 'rotation-steps' }, `Rotation history needs cloudtrail:LookupEvents (${e.code}).`);
  }
}

/** Rotation runs in the background: wait (a little) until the new version is current or rotation fails. */
// Until the rotation's version is current, or is no longer pending (the rotation failed and its
// version was let go), for up to 90 s. A version not listed yet is not done: the rotation's first
// step makes it.
async function waitForRotation(arn, versionId) {
  for (let i = 0; i < 360; i++) {
    const d = await json('secretsmanager', 'DescribeSecret', { SecretId: arn });
    const stages = d.VersionIdsToStages?.[versionId];
    if (stages && (stages.includes('AWSCURRENT') || !stages.includes('AWSPENDING'))) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}
