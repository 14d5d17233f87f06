// Access: "why was this denied?" and "who may do this?", from IAM's policy simulator. Each answer
// is SimulatePrincipalPolicy, so it needs iam:SimulatePrincipalPolicy like the CLI does.
import { members, query, text } from './api.js';
import { badge, clear, errorPanel, h, table } from './dom.js';

export const title = 'Access';

async function simulate(principal, actions, resource) {
  const params = { PolicySourceArn: principal };
  actions.forEach((a, i) => { params[`ActionNames.member.${i + 1}`] = a; });
  if (resource) params['ResourceArns.member.1'] = resource;
  const doc = await query('iam', 'SimulatePrincipalPolicy', params);
  return members(doc, 'EvaluationResults').map((m) => ({
    action: text(m, 'EvalActionName'),
    resource: text(m, 'EvalResourceName'),
    decision: text(m, 'EvalDecision'),
    statements: members(m, 'MatchedStatements').map((s) => text(s, 'SourcePolicyId')),
    missing: members(m, 'MissingContextValues').map((s) => s.textContent),
  }));
}

async function principals() {
  const list = [];
  for (const [action, key, arnTag] of [['ListUsers', 'Users', 'Arn'], ['ListRoles', 'Roles', 'Arn']]) {
    const doc = await query('iam', action, { MaxItems: 100 });
    for (const m of members(doc, key)) list.push({ arn: text(m, arnTag), kind: key === 'Users' ? 'user' : 'role' });
  }

  return list;
}

export async function render(main, params) {
  const why = h('form', { class: 'card', 'aria-labelledby': 'why-title' },
    h('h2', { id: 'why-title' }, 'Why is it allowed or denied?'),
    h('p', {}, h('label', { for: 'sim-principal' }, 'Principal ARN (user or role)'), h('input', { id: 'sim-principal', value: params.get('principal') || '', autocomplete: 'off' })),
    h('p', {}, h('label', { for: 'sim-action' }, 'Action'), h('input', { id: 'sim-action', value: params.get('action') || 'ssm:GetParameter', autocomplete: 'off' })),
    h('p', {}, h('label', { for: 'sim-resource' }, 'Resource ARN'), h('input', { id: 'sim-resource', value: params.get('resource') || '', autocomplete: 'off' })),
    h('button', { type: 'submit', id: 'simulate' }, 'Simulate'));
  const whyOut = h('div', { id: 'sim-out', 'aria-live': 'polite' });
  const who = h('form', { class: 'card', 'aria-labelledby': 'who-title' },
    h('h2', { id: 'who-title' }, 'Who may do this?'),
    h('p', {}, h('label', { for: 'who-action' }, 'Action'), h('input', { id: 'who-action', value: 'ssm:GetParameter', autocomplete: 'off' })),
    h('p', {}, h('label', { for: 'who-resource' }, 'Resource ARN'), h('input', { id: 'who-resource', autocomplete: 'off' })),
    h('button', { type: 'submit', id: 'who-may' }, 'Find principals'));
  const whoOut = h('div', { id: 'who-out', 'aria-live': 'polite' });
  main.append(h('div', { class: 'cards' }, h('div', {}, why, whyOut), h('div', {}, who, whoOut)));

  why.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(whyOut, 'Simulating…');
    try {
      const results = await simulate(why.querySelector('#sim-principal').value.trim(), [why.querySelector('#sim-action').value.trim()], why.querySelector('#sim-resource').value.trim());
      clear(whyOut, table('Simulation', [
        { title: 'Action', cell: (r) => r.action },
        { title: 'Resource', cell: (r) => h('code', {}, r.resource) },
        { title: 'Decision', cell: (r) => badge(r.decision, r.decision === 'allowed' ? 'ok' : 'warn') },
        { title: 'Because of', cell: (r) => (r.statements.length ? r.statements.join(', ') : r.decision === 'implicitDeny' ? 'no policy allows it' : '—') },
      ], results));
    } catch (e) {
      clear(whyOut, errorPanel(e));
    }
  });

  who.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(whoOut, 'Asking the simulator for each user and role…');
    try {
      const action = who.querySelector('#who-action').value.trim();
      const resource = who.querySelector('#who-resource').value.trim();
      const rows = [];
      for (const p of await principals()) {
        const [r] = await simulate(p.arn, [action], resource);
        rows.push({ ...p, ...r });
      }

      clear(whoOut, table('Principals', [
        { title: 'Principal', cell: (r) => h('code', {}, r.arn) },
        { title: 'Kind', cell: (r) => r.kind },
        { title: 'Decision', cell: (r) => badge(r.decision, r.decision === 'allowed' ? 'ok' : 'warn') },
        { title: 'Because of', cell: (r) => r.statements.join(', ') || '—' },
      ], rows.sort((a, b) => (a.decision === 'allowed' ? -1 : 1) - (b.decision === 'allowed' ? -1 : 1))));
    } catch (e) {
      clear(whoOut, errorPanel(e));
    }
  });
}
