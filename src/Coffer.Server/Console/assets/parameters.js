// Parameters: the hierarchy by path (paged, prefix search as you type), one parameter's history
// with a diff between versions and its labels, values hidden until revealed (each reveal is a
// GetParameter WithDecryption, so it is audited), and stage comparison with a promotion preview.
import { json } from './api.js';
import { badge, clear, debounce, errorPanel, fmtDate, h, table } from './dom.js';
import { diffLines } from './diff.js';

export const title = 'Parameters';

export async function render(main, params) {
  const view = params.get('view') === 'compare' ? 'compare' : 'browse';
  main.append(h('nav', { class: 'tabs', 'aria-label': 'Parameter views' },
    h('a', { href: '#/parameters', 'aria-current': view === 'browse' ? 'page' : null }, 'Browse'),
    h('a', { href: '#/parameters?view=compare', 'aria-current': view === 'compare' ? 'page' : null }, 'Compare stages')));
  if (view === 'compare') return renderCompare(main, params);
  return renderBrowse(main, params);
}

function renderBrowse(main, params) {
  let path = params.get('path') || '/';
  if (!path.endsWith('/')) path += '/';
  const list = h('div', { class: 'list', id: 'param-list' });
  const detail = h('section', { class: 'detail', id: 'param-detail', 'aria-live': 'polite' }, h('p', { class: 'hint' }, 'Choose a parameter.'));
  const search = h('input', { type: 'search', id: 'param-search', placeholder: 'Name prefix…', 'aria-label': `Search parameters under ${path} by name prefix`, autocomplete: 'off' });
  const crumbs = h('nav', { class: 'crumbs', 'aria-label': 'Path' }, pathCrumbs(path));
  main.append(h('div', { class: 'split' }, h('section', { class: 'tree', 'aria-label': 'Parameter tree' }, crumbs, search, list), detail));

  // Browsing: this level's folders (Coffer's ListParameterFolders, one index seek per folder), then
  // its parameters (DescribeParameters, one level), 50 at a time. Searching: the names under this
  // path that begin with the prefix, one range of the index. Neither reads more than a page.
  const dir = path === '/' ? '/' : path.slice(0, -1);
  let prefix = '';
  let folders; // undefined: first page; null: all listed
  let leaves;
  let found;
  let generation = 0;
  const seenFolders = new Set();
  const addFolder = (folder) => {
    if (seenFolders.has(folder)) return;
    seenFolders.add(folder);
    list.append(h('a', { class: 'item folder', href: `#/parameters?path=${encodeURIComponent(folder)}` }, '▸ ', folder.slice(path.length)));
  };
  const addEntry = (p) => {
    const rest = p.Name.slice(path.length);
    const slash = rest.indexOf('/');
    if (slash >= 0) addFolder(path + rest.slice(0, slash + 1));
    else {
      list.append(h('button', { type: 'button', class: 'item leaf', onclick: () => showParameter(detail, p) },
        rest, ' ', badge(p.Type, p.Type === 'SecureString' ? 'secure' : ''), p.Tier === 'Advanced' ? badge('Advanced') : null));
    }
  };

  // Busy from the keystroke (before the debounce) until its answer is in the list: assistive
  // technology, and anyone tabbing into the list, waits for the list it will get.
  const done = (mine) => { if (mine === generation) list.setAttribute('aria-busy', 'false'); };
  async function load(reset) {
    list.setAttribute('aria-busy', 'true');
    if (reset) {
      folders = leaves = found = undefined;
      seenFolders.clear();
      clear(list);
    }

    const mine = ++generation; // a slower answer to an earlier keystroke is dropped
    try {
      let more;
      if (prefix) {
        const out = await json('ssm', 'DescribeParameters', {
          ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: [dir] }, { Key: 'Name', Option: 'BeginsWith', Values: [path + prefix] }],
          MaxResults: 50,
          NextToken: found,
        });
        if (mine !== generation) return;
        list.querySelector('.more')?.remove();
        (out.Parameters || []).forEach(addEntry);
        found = out.NextToken;
        more = Boolean(found);
      } else {
        const page = [];
        if (folders !== null) {
          const out = await json('coffer', 'ListParameterFolders', { Path: dir, MaxResults: 50, NextToken: folders });
          page.push(() => (out.Folders || []).forEach(addFolder));
          folders = out.NextToken ?? null;
        }

        if (folders === null) {
          const out = await json('ssm', 'DescribeParameters', { ParameterFilters: [{ Key: 'Path', Option: 'OneLevel', Values: [dir] }], MaxResults: 50, NextToken: leaves });
          page.push(() => (out.Parameters || []).forEach(addEntry));
          leaves = out.NextToken ?? null;
        }

        if (mine !== generation) return;
        list.querySelector('.more')?.remove();
        page.forEach((add) => add());
        more = folders !== null || leaves !== null;
      }

      if (!list.querySelector('.item')) list.append(h('p', { class: 'hint' }, prefix ? `No names under ${path} begin with ${prefix}.` : 'No parameters here.'));
      if (more) list.append(h('button', { type: 'button', class: 'more', onclick: () => load(false) }, 'Load more'));
    } catch (e) {
      if (mine === generation) clear(list, errorPanel(e));
    } finally {
      done(mine);
    }
  }

  const searchSoon = debounce(() => {
    prefix = search.value;
    load(true);
  });
  search.addEventListener('input', () => {
    list.setAttribute('aria-busy', 'true');
    searchSoon();
  });
  return load(true);
}

function pathCrumbs(path) {
  const parts = path.split('/').filter(Boolean);
  const crumbs = [h('a', { href: '#/parameters?path=%2F' }, '/')];
  let acc = '/';
  for (const part of parts) {
    acc += part + '/';
    crumbs.push(h('a', { href: `#/parameters?path=${encodeURIComponent(acc)}` }, part + '/'));
  }

  return crumbs;
}

async function showParameter(detail, p) {
  const value = h('code', { class: 'value hidden-value', id: 'param-value' }, '••••••••');
  const reveal = h('button', { type: 'button', id: 'reveal', onclick: async () => {
    try {
      const out = await json('ssm', 'GetParameter', { Name: p.Name, WithDecryption: true });
      clear(value, out.Parameter.Value);
      value.classList.remove('hidden-value');
      reveal.hidden = true;
    } catch (e) {
      value.replaceWith(errorPanel(e));
    }
  } }, 'Reveal value');
  const history = h('div', { id: 'param-history' }, 'Loading history…');
  clear(detail,
    h('h2', {}, p.Name),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Type'), h('dd', {}, p.Type),
      h('dt', {}, 'Tier'), h('dd', {}, p.Tier || 'Standard'),
      h('dt', {}, 'Version'), h('dd', {}, String(p.Version)),
      h('dt', {}, 'Last modified'), h('dd', {}, fmtDate(p.LastModifiedDate), ' by ', p.LastModifiedUser || '—'),
      h('dt', {}, 'Policies'), h('dd', {}, (p.Policies || []).map((x) => x.PolicyType).join(', ') || 'none')),
    h('p', {}, value, ' ', reveal, h('span', { class: 'hint' }, ' Each reveal is a decrypting call, recorded in the audit trail.')),
    history);
  try {
    const versions = [];
    let token;
    do {
      const out = await json('ssm', 'GetParameterHistory', { Name: p.Name, MaxResults: 50, NextToken: token });
      versions.push(...out.Parameters);
      token = out.NextToken;
    } while (token && versions.length < 500);
    versions.reverse();
    const a = h('select', { id: 'diff-a', 'aria-label': 'Older version' }, versions.map((v, i) => h('option', { value: v.Version, selected: i === 1 || versions.length === 1 }, `v${v.Version}`)));
    const b = h('select', { id: 'diff-b', 'aria-label': 'Newer version' }, versions.map((v, i) => h('option', { value: v.Version, selected: i === 0 }, `v${v.Version}`)));
    const out = h('div', { id: 'diff-out' });
    clear(history,
      h('h3', {}, 'History'),
      table('Versions', [
        { title: 'Version', cell: (v) => `v${v.Version}` },
        { title: 'Labels', cell: (v) => (v.Labels || []).map((l) => badge(l, 'label')) },
        { title: 'Modified', cell: (v) => fmtDate(v.LastModifiedDate) },
        { title: 'By', cell: (v) => v.LastModifiedUser || '—' },
      ], versions),
      h('div', { class: 'row' }, h('span', {}, 'Compare '), a, h('span', {}, ' with '), b, ' ',
        h('button', { type: 'button', id: 'diff', onclick: async () => {
          try {
            const all = await json('ssm', 'GetParameterHistory', { Name: p.Name, WithDecryption: true, MaxResults: 50 });
            const find = (n) => (all.Parameters.find((v) => String(v.Version) === n) || {}).Value ?? '';
            clear(out, diffView(find(a.value), find(b.value)));
          } catch (e) {
            clear(out, errorPanel(e));
          }
        } }, 'Show diff')),
      out);
  } catch (e) {
    clear(history, errorPanel(e));
  }
}

function diffView(before, after) {
  return h('pre', { class: 'diff', 'aria-label': 'Differences' }, diffLines(before, after).map(([op, line]) =>
    h('div', { class: op === '+' ? 'add' : op === '-' ? 'del' : 'same' }, `${op} ${line}`)));
}

async function readStage(path) {
  const map = new Map();
  let token;
  let pages = 0;
  do {
    const out = await json('ssm', 'GetParametersByPath', { Path: path, Recursive: true, WithDecryption: true, MaxResults: 10, NextToken: token });
    for (const p of out.Parameters) map.set(p.Name.slice(path.length), p);
    token = out.NextToken;
  } while (token && ++pages < 200);
  return map;
}

function renderCompare(main, params) {
  const left = h('input', { id: 'stage-a', value: params.get('a') || '/app/dev', 'aria-label': 'Stage to promote from' });
  const right = h('input', { id: 'stage-b', value: params.get('b') || '/app/prod', 'aria-label': 'Stage to compare with' });
  const out = h('div', { id: 'compare-out', 'aria-live': 'polite' });
  main.append(h('form', { class: 'row', onsubmit: async (ev) => {
    ev.preventDefault();
    clear(out, 'Comparing…');
    const a = left.value.replace(/\/?$/, '/');
    const b = right.value.replace(/\/?$/, '/');
    try {
      const [from, to] = await Promise.all([readStage(a), readStage(b)]);
      const names = [...new Set([...from.keys(), ...to.keys()])].sort();
      const rows = names.map((n) => {
        const x = from.get(n);
        const y = to.get(n);
        const status = !y ? `missing in ${b}` : !x ? `missing in ${a}` : x.Value === y.Value && x.Type === y.Type ? 'equal' : 'differs';
        return { name: n, status, x, y };
      });
      const changes = rows.filter((r) => r.x && r.status !== 'equal');
      clear(out,
        h('p', {}, `${rows.filter((r) => r.status === 'equal').length} equal, ${rows.filter((r) => r.status === 'differs').length} differing, ${rows.filter((r) => r.status.startsWith('missing')).length} missing. Values are compared, not shown.`),
        table('Stage comparison', [
          { title: 'Name', cell: (r) => r.name },
          { title: a, cell: (r) => (r.x ? `v${r.x.Version} ${r.x.Type}` : '—') },
          { title: b, cell: (r) => (r.y ? `v${r.y.Version} ${r.y.Type}` : '—') },
          { title: 'Status', cell: (r) => badge(r.status, r.status === 'equal' ? 'ok' : 'warn') },
        ], rows),
        h('h2', {}, `Promote ${a} → ${b}: preview`),
        changes.length === 0 ? h('p', { id: 'promote-preview' }, 'Nothing to promote.') : h('ul', { id: 'promote-preview' }, changes.map((r) => h('li', {}, r.y ? `overwrite ${b}${r.name} (v${r.y.Version} → v${r.y.Version + 1})` : `create ${b}${r.name} (${r.x.Type})`))),
        changes.length === 0 ? null : h('button', { type: 'button', id: 'promote', onclick: async (ev) => {
          ev.target.disabled = true;
          try {
            for (const r of changes) await json('ssm', 'PutParameter', { Name: b + r.name, Value: r.x.Value, Type: r.x.Type, Overwrite: true });
            out.append(h('p', { role: 'status' }, `Promoted ${changes.length} parameters.`));
          } catch (e) {
            out.append(errorPanel(e));
          }
        } }, `Promote ${changes.length} change${changes.length === 1 ? '' : 's'}`));
    } catch (e) {
      clear(out, errorPanel(e));
    }
  } }, left, h('span', {}, ' against '), right, h('button', { type: 'submit', id: 'compare' }, 'Compare')), out);
}
