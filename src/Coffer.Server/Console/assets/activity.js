// Activity: the audit trail through CloudTrail's LookupEvents, filtered by principal, resource,
// operation and outcome (who read /app/prod/db/password this week), and the change events live
// from Coffer's event stream.
import { json, streamEvents } from './api.js';
import { badge, clear, errorPanel, fmtDate, h, table } from './dom.js';

export const title = 'Activity';

const field = (id, label, value) => h('p', {}, h('label', { for: id }, label), h('input', { id, value: value || '', autocomplete: 'off' }));

export async function render(main, params, signal) {
  const form = h('form', { class: 'filters', 'aria-label': 'Filter the audit trail' },
    field('f-user', 'Principal (user name)', params.get('user')),
    field('f-resource', 'Resource (name or ARN)', params.get('resource')),
    field('f-op', 'Operation', params.get('op')),
    h('p', {}, h('label', { for: 'f-outcome' }, 'Outcome'), h('select', { id: 'f-outcome' }, ['all', 'succeeded', 'failed'].map((o) => h('option', { value: o }, o)))),
    h('p', {}, h('label', { for: 'f-since' }, 'Since'), h('select', { id: 'f-since' }, [['1', 'last 24 hours'], ['7', 'last 7 days'], ['30', 'last 30 days'], ['90', 'last 90 days']].map(([v, t]) => h('option', { value: v, selected: v === '7' }, t)))),
    h('button', { type: 'submit', id: 'search-trail' }, 'Search'));
  const results = h('div', { id: 'trail' });
  const live = h('ol', { id: 'live', class: 'live', 'aria-live': 'polite', 'aria-label': 'Live change events' });
  const liveToggle = h('button', { type: 'button', id: 'live-toggle', 'aria-pressed': 'false' }, 'Follow live changes');
  main.append(form, results, h('h2', {}, 'Live changes'), liveToggle, live);

  let token;
  let rows = [];
  const value = (id) => form.querySelector('#' + id).value.trim();
  async function search(reset) {
    if (reset) {
      token = undefined;
      rows = [];
    }

    const attributes = [['Username', value('f-user')], ['ResourceName', value('f-resource')], ['EventName', value('f-op')]].filter(([, v]) => v);
    const [server, ...local] = attributes; // CloudTrail takes one lookup attribute; the rest filter here
    try {
      const out = await json('cloudtrail', 'LookupEvents', {
        LookupAttributes: server ? [{ AttributeKey: server[0], AttributeValue: server[1] }] : undefined,
        StartTime: Math.floor(Date.now() / 1000) - Number(value('f-since')) * 86400,
        MaxResults: 50,
        NextToken: token,
      });
      token = out.NextToken;
      const outcome = value('f-outcome');
      const events = (out.Events || []).map((e) => ({ ...e, detail: JSON.parse(e.CloudTrailEvent || '{}') })).filter((e) =>
        local.every(([k, v]) => (k === 'Username' ? e.Username === v : k === 'EventName' ? e.EventName === v : (e.Resources || []).some((r) => r.ResourceName === v)))
        && (outcome === 'all' || (outcome === 'failed') === Boolean(e.detail.errorCode)));
      rows.push(...events);
      clear(results,
        table('Audit events', [
          { title: 'Time', cell: (e) => fmtDate(e.EventTime) },
          { title: 'Principal', cell: (e) => e.Username || e.detail.userIdentity?.arn || '—' },
          { title: 'Operation', cell: (e) => `${(e.EventSource || '').replace('.amazonaws.com', '')}:${e.EventName}` },
          { title: 'Resources', cell: (e) => (e.Resources || []).map((r) => h('code', { class: 'res' }, r.ResourceName)) },
          { title: 'Outcome', cell: (e) => (e.detail.errorCode ? badge(e.detail.errorCode, 'warn') : badge('ok', 'ok')) },
          { title: 'From', cell: (e) => e.detail.sourceIPAddress || '' },
        ], rows),
        rows.length === 0 ? h('p', { class: 'hint' }, 'No events match.') : null,
        token ? h('button', { type: 'button', class: 'more', onclick: () => search(false) }, 'Load more') : null);
    } catch (e) {
      clear(results, errorPanel(e));
    }
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    search(true);
  });

  let liveAbort;
  liveToggle.addEventListener('click', () => {
    if (liveAbort) {
      liveAbort.abort();
      liveAbort = undefined;
      liveToggle.setAttribute('aria-pressed', 'false');
      liveToggle.textContent = 'Follow live changes';
      return;
    }

    liveAbort = new AbortController();
    signal.addEventListener('abort', () => liveAbort?.abort());
    liveToggle.setAttribute('aria-pressed', 'true');
    liveToggle.textContent = 'Stop following';
    streamEvents((e) => {
      live.prepend(h('li', {}, h('time', {}, fmtDate(e.time)), ' ', badge(e.source, 'label'), ' ', e['detail-type'], ' ',
        e.detail?.eventName || '', ' ', (e.resources || []).map((r) => h('code', { class: 'res' }, r)), ' ',
        e.detail?.userIdentity?.arn ? h('span', { class: 'hint' }, e.detail.userIdentity.arn) : null));
      while (live.children.length > 200) live.lastChild.remove();
    }, liveAbort.signal).catch((e) => {
      if (e.name !== 'AbortError') live.prepend(h('li', {}, errorPanel(e)));
    });
  });

  return search(true);
}
