// Building the page without HTML strings: every value is set as text or as a property, never
// parsed as markup, so a parameter's name, value, tag or label can contain any HTML and is shown
// as the characters it is.

/** h('button', {class: 'x', onclick: fn, 'aria-label': '...'}, 'text', childNode, [more]) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }

  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const fmtDate = (d) => {
  if (d === undefined || d === null || d === '') return '—';
  const date = typeof d === 'number' ? new Date(d * 1000) : new Date(d);
  return isNaN(date) ? String(d) : date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
};

/** A message that an error shows: "denied" panels say so plainly, with AWS's message. */
export function errorPanel(e) {
  const denied = e && e.denied;
  return h('div', { class: denied ? 'panel denied' : 'panel error', role: 'alert' },
    h('strong', {}, denied ? 'Access denied' : 'Error'), ' ', h('span', { class: 'code' }, e.code || ''), h('p', {}, e.message || String(e)));
}

/** Runs fn(value) after the user stops typing for a moment. */
export function debounce(fn, ms = 200) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

export const badge = (text, kind = '') => h('span', { class: `badge ${kind}` }, text);

/** A table from rows: columns is [{title, cell(row)}]. */
export function table(caption, columns, rows, onRow) {
  return h('table', {},
    h('caption', { class: 'sr-only' }, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c.title)))),
    h('tbody', {}, rows.map((r) => {
      const tr = h('tr', {}, columns.map((c) => h('td', {}, c.cell(r))));
      if (onRow) {
        tr.tabIndex = 0;
        tr.classList.add('clickable');
        tr.addEventListener('click', () => onRow(r));
        tr.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); onRow(r); } });
      }

      return tr;
    })));
}
