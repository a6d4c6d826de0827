// The console's pages: every read and every action goes through the JSON API (docs/console.md).
'use strict';

const csrf = () => document.querySelector('meta[name=csrf-token]').content;
const $ = (id) => document.getElementById(id);

async function api(method, url, body) {
  const options = {method, headers: {'X-CSRF-Token': csrf(), 'Accept': 'application/json'}, credentials: 'same-origin'};
  if (body instanceof FormData) {
    options.body = body;
  } else if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch(url, options);
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json() : await response.blob();
  if (!response.ok) {
    const error = new Error(data && data.error ? data.error : response.status + ' ' + response.statusText);
    error.data = data;
    error.status = response.status;
    throw error;
  }
  return data;
}

// DOM from data, never from HTML strings: text is always text
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name.startsWith('on')) node.addEventListener(name.substring(2), value);
    else if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function table(columns, rows, options = {}) {
  if (!rows.length) return el('p', {class: 'empty'}, options.empty || 'none');
  return el('table', {id: options.id},
    el('thead', {}, el('tr', {}, columns.map(c => el('th', {}, c.title)))),
    el('tbody', {}, rows.map(row => el('tr', {'data-id': options.key ? options.key(row) : null},
      columns.map(c => el('td', {class: c.class}, c.value(row)))))));
}

function pairs(object) {
  return table([{title: 'name', value: r => r[0]}, {title: 'value', value: r => r[1] === null ? '-' : r[1]}],
    Object.entries(object || {}), {empty: 'nothing counted yet'});
}

const show = (id, ...nodes) => $(id).replaceChildren(...nodes);
const status = (id, text, error) => { const n = $(id); n.textContent = text; n.classList.toggle('error', !!error); };
const day = (iso) => iso ? iso.substring(0, 10) : '-';

function certificateRows(list, extra = []) {
  return table([
    {title: 'kind', value: c => c.kind},
    {title: 'subject', value: c => c.subject},
    {title: 'addresses', value: c => (c.addresses || []).join(', ')},
    {title: 'issuer', value: c => c.issuer},
    {title: 'valid to', value: c => day(c.notAfter)},
    {title: 'days left', value: c => c.daysLeft, class: 'num'},
    {title: 'revocation', value: c => c.revocation},
    {title: 'source', value: c => c.source},
    {title: 'SHA-256', value: c => el('code', {}, c.fingerprint.substring(0, 16) + '…')},
    ...extra], list, {key: c => c.fingerprint});
}

// one spool entry (GET /api/spool/{id} or /api/quarantine/{id}): envelope, schedule, attributes, header fields
function entryDetail(d, prefix, reasonTitle) {
  $(prefix + '-id').textContent = d.mail.id;
  show(prefix + '-envelope', pairs({'area': d.mail.area, 'sender': d.mail.sender,
    'recipients': d.mail.recipients.join(', '), 'received': d.mail.received,
    'client': d.client === null ? null : d.client + ' (HELO ' + d.helo + ')', [reasonTitle]: d.mail.reason,
    'next attempt': d.mail.nextAttempt, 'last reply': d.mail.lastReply, ...d.attributes}));
  show(prefix + '-headers', table([{title: 'field', value: h => h.name}, {title: 'value', value: h => h.value}], d.headers));
}

function download(blob, name) {
  const link = el('a', {href: URL.createObjectURL(blob), download: name});
  document.body.append(link);
  link.click();
  link.remove();
}

const pages = {
  async login() {
    const done = (s) => { window.location = s.role === 'admin' ? '/' : '/me'; };
    $('login-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        done(await api('POST', '/api/login', {name: $('login-name').value, password: $('login-password').value}));
      } catch (e) { status('login-error', e.message, true); }
    });
    $('certificate-submit').addEventListener('click', async () => {
      try { done(await api('POST', '/api/login/certificate')); } catch (e) { status('login-error', e.message, true); }
    });
    const session = await api('GET', '/api/session');
    document.querySelector('meta[name=csrf-token]').content = session.csrfToken;
    if (session.certificateLogin && session.clientCertificate) {
      $('client-subject').textContent = session.clientCertificate;
      $('certificate-login').hidden = false;
    }
  },

  async overview() {
    const o = await api('GET', '/api/overview');
    show('mail-tiles', ...Object.entries(o.mail).map(([name, value]) =>
      el('div', {class: 'tile'}, el('b', {}, value), el('span', {}, name))));
    show('spool', pairs(o.spool));
    show('verdicts', pairs(o.verdicts));
    show('smime', pairs(o.smime));
    show('decisions', pairs(o.policyDecisions));
    show('expiring', certificateRows(o.expiring));
    $('reload').addEventListener('click', async () => {
      try { $('reload-result').textContent = (await api('POST', '/api/reload')).message; }
      catch (e) { $('reload-result').textContent = 'refused: ' + e.message; }
    });
  },

  async quarantine() {
    let current = null;
    const load = async () => {
      const held = await api('GET', '/api/quarantine');
      show('quarantine-list', table([
        {title: 'queue id', value: m => el('a', {href: '#' + m.id, onclick: (e) => { e.preventDefault(); open(m.id); }}, m.id)},
        {title: 'received', value: m => m.received},
        {title: 'sender', value: m => m.sender},
        {title: 'recipients', value: m => m.recipients.join(', ')},
        {title: 'why it is held', value: m => m.reason},
        {title: 'bytes', value: m => m.size, class: 'num'}], held, {id: 'quarantine-table', key: m => m.id, empty: 'The quarantine is empty.'}));
    };
    const open = async (id) => {
      entryDetail(await api('GET', '/api/quarantine/' + encodeURIComponent(id)), 'detail', 'why it is held');
      current = id;
      $('quarantine-detail').hidden = false;
    };
    const act = async (action) => {
      const reason = $('action-reason').value.trim();
      if (!reason) { status('quarantine-status', 'Give a reason first.', true); return; }
      try {
        const r = action === 'release'
          ? await api('POST', '/api/quarantine/' + encodeURIComponent(current) + '/release', {reason})
          : await api('DELETE', '/api/quarantine/' + encodeURIComponent(current), {reason});
        status('quarantine-status', r.message);
        $('quarantine-detail').hidden = true;
        $('action-reason').value = '';
        await load();
      } catch (e) { status('quarantine-status', e.message, true); }
    };
    $('release').addEventListener('click', () => act('release'));
    $('delete').addEventListener('click', () => act('delete'));
    await load();
  },

  async queue() {
    let current = null;
    const load = async () => {
      const query = new URLSearchParams();
      for (const [name, id] of [['area', 'search-area'], ['address', 'search-address'], ['id', 'search-id'],
        ['olderThan', 'search-older'], ['newerThan', 'search-newer']]) {
        if ($(id).value.trim()) query.set(name, $(id).value.trim());
      }
      const entries = await api('GET', '/api/spool?' + query);
      show('queue-list', table([
        {title: 'area', value: m => m.area},
        {title: 'queue id', value: m => el('a', {href: '#' + m.id, onclick: (e) => { e.preventDefault(); open(m.id); }}, m.id)},
        {title: 'received', value: m => m.received || '-'},
        {title: 'sender', value: m => m.sender === null ? '(envelope unreadable)' : m.sender},
        {title: 'recipients', value: m => m.recipients.join(', ')},
        {title: 'next attempt', value: m => m.nextAttempt || '-'},
        {title: 'last reply / reason', value: m => m.lastReply || m.reason},
        {title: 'bytes', value: m => m.size, class: 'num'}], entries, {id: 'queue-table', key: m => m.id, empty: 'No entries.'}));
    };
    const open = async (id) => {
      const d = await api('GET', '/api/spool/' + encodeURIComponent(id));
      current = id;
      entryDetail(d, 'queue-detail', 'why it is there');
      $('queue-release').hidden = d.mail.area !== 'quarantine';
      $('queue-detail').hidden = false;
    };
    const act = async (action) => {
      const reason = $('queue-reason').value.trim();
      const url = '/api/spool/' + encodeURIComponent(current);
      try {
        const r = action === 'delete' ? await api('DELETE', url, {reason}) : await api('POST', url + '/' + action, {reason});
        status('queue-status', r.message);
        $('queue-detail').hidden = true;
        $('queue-reason').value = '';
        await load();
      } catch (e) { status('queue-status', e.message, true); }
    };
    for (const action of ['requeue', 'release', 'bounce', 'delete']) {
      $('queue-' + action).addEventListener('click', () => act(action));
    }
    $('queue-search').addEventListener('submit', async (event) => {
      event.preventDefault();
      try { status('queue-status', ''); await load(); } catch (e) { status('queue-status', e.message, true); }
    });
    await load();
  },

  async certificates() {
    const load = async () => {
      const data = await api('GET', '/api/certificates');
      show('certificate-list', certificateRows(data.certificates, [{title: '', value: c =>
        el('button', {type: 'button', class: 'danger small', onclick: () => remove(c)}, 'Remove')}]));
      show('crl-list', table([{title: 'issuer', value: c => c.issuer}, {title: 'this update', value: c => day(c.thisUpdate)},
        {title: 'next update', value: c => day(c.nextUpdate)}, {title: 'revoked entries', value: c => c.revokedEntries}], data.crls));
    };
    const remove = async (c) => {
      if (!window.confirm('Remove ' + c.subject + '?')) return;
      try { status('certificates-status', (await api('DELETE', '/api/certificates/' + c.fingerprint)).removed.join('; ')); await load(); }
      catch (e) { status('certificates-status', e.message, true); }
    };
    $('import-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        const r = await api('POST', '/api/certificates/import', new FormData($('import-form')));
        $('import-password').value = '';
        show('import-result', el('p', {class: 'status', id: 'import-summary'}, r.file + ': ' + r.format + ', imported ' + r.imported.length
          + ' certificate(s)' + (r.keysImported ? ' (' + r.keysImported + ' with key)' : '') + ', refused ' + r.refused.length
          + ', ' + r.crlsImported + ' CRL(s)'),
          ...r.refused.map(x => el('p', {class: 'error'}, x.certificate.subject + ': ' + x.reason)),
          ...r.notes.map(n => el('p', {class: 'hint'}, n)));
        await load();
      } catch (e) { show('import-result', el('p', {class: 'error', id: 'import-summary'}, e.message)); }
    });
    $('verify-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const target = $('verify-target').value.trim();
      const body = {purpose: $('verify-purpose').value};
      if (target.includes('@')) body.address = target; else body.fingerprint = target;
      try {
        const verdicts = await api('POST', '/api/certificates/verify', body);
        show('verify-result', ...verdicts.map(v => el('div', {class: 'verdict ' + (v.valid ? 'ok' : 'bad')},
          el('b', {class: 'verdict-result'}, v.valid ? 'VALID' : 'NOT VALID'), ' ', v.certificate.subject,
          el('ul', {}, v.failures.map(f => el('li', {}, f)), v.warnings.map(w => el('li', {class: 'hint'}, 'warning ' + w))),
          v.path.length ? el('p', {class: 'hint'}, 'path: ' + v.path.join(' → ')) : null)));
      } catch (e) { show('verify-result', el('p', {class: 'error'}, e.message)); }
    });
    $('lookup-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        const r = await api('GET', '/api/certificates/lookup?address=' + encodeURIComponent($('lookup-address').value.trim()));
        show('lookup-result', el('h3', {}, 'Signing key'), r.signingKey ? certificateRows([r.signingKey]) : el('p', {}, 'none'),
          el('h3', {}, 'Decryption keys'), certificateRows(r.decryptionKeys),
          el('h3', {}, 'Published certificates'), certificateRows(r.published));
      } catch (e) { show('lookup-result', el('p', {class: 'error'}, e.message)); }
    });
    await load();
  },

  async policy() {
    const effective = async (address, role) => {
      const p = await api('GET', '/api/policy?role=' + role + (address ? '&address=' + encodeURIComponent(address) : ''));
      $('policy-summary').textContent = p.summary;
      show('effective-result', el('h2', {}, 'Settings of ' + (address || 'an address no entry names') + ' (' + p.role + ')'),
        table([{title: 'setting', value: s => s.name}, {title: 'value', value: s => s.value},
          {title: 'level', value: s => s.level}, {title: 'from', value: s => s.origin}], p.settings));
    };
    $('explain-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      try { $('explain-result').textContent = (await api('POST', '/api/policy/explain', {from: $('explain-from').value, to: $('explain-to').value})).text; }
      catch (e) { $('explain-result').textContent = e.message; }
    });
    $('effective-form').addEventListener('submit', (event) => {
      event.preventDefault();
      effective($('effective-address').value.trim(), $('effective-role').value);
    });
    await effective('', 'sending');
    await editor('policy');
  },

  async pipeline() {
    const p = await api('GET', '/api/pipeline');
    $('pipeline-file').textContent = p.file;
    show('processors', ...p.processors.map(proc => el('section', {class: 'processor'},
      el('h2', {}, 'processor ', el('code', {}, proc.name)),
      table([{title: '#', value: m => m.index}, {title: 'matcher', value: m => el('code', {}, m.matcher)},
        {title: 'mailet', value: m => el('code', {}, m.mailet.replace(/^.*\./, ''))},
        {title: 'parameters', value: m => Object.entries(m.parameters).map(([k, v]) => k + '=' + v).join(', ')},
        {title: 'line', value: m => m.line, class: 'num'}, {title: 'mails', value: m => m.count, class: 'num'},
        {title: 'mean ms', value: m => m.meanMillis, class: 'num'}, {title: 'p99 ms', value: m => m.p99Millis, class: 'num'},
        {title: 'exceptions', value: m => m.exceptions, class: 'num'}], proc.mailets))));
    await editor('pipeline');
  },

  async audit() {
    const entries = await api('GET', '/api/audit?limit=200');
    show('audit-list', table(['time', 'user', 'role', 'client', 'action', 'target', 'outcome', 'detail']
      .map(k => ({title: k, value: e => e[k]})), entries, {empty: 'Nothing changed yet.'}));
  },

  async me() {
    const me = await api('GET', '/api/me');
    show('me-signing', me.signing ? certificateRows([me.signing]) : el('p', {}, 'The gateway holds no signing key for ' + me.address + '.'));
    show('me-decryption', certificateRows(me.decryption));
    $('pkcs12-form').hidden = !me.pkcs12Download;
    $('pkcs12-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        download(await api('POST', '/api/me/pkcs12', {password: $('pkcs12-password').value}), me.address + '.p12');
        status('pkcs12-status', 'Downloaded.');
      } catch (e) { status('pkcs12-status', e.message, true); }
      $('pkcs12-password').value = '';
    });
  },
};

// The editor of policy.yaml / mailetcontainer.xml: validate as a reload would, then apply (reloaded, rolled back
// when refused); a refusal is shown at its line.
async function editor(kind) {
  const box = document.querySelector('[data-editor="' + kind + '"]');
  const file = await api('GET', '/api/config/' + kind);
  const text = el('textarea', {id: kind + '-text', spellcheck: 'false', rows: 24}, file.text);
  const gutter = el('pre', {class: 'gutter', 'aria-hidden': 'true'});
  const result = el('p', {class: 'status', id: kind + '-result', role: 'status'});
  const numbers = (bad) => gutter.replaceChildren(...text.value.split('\n').map((_, i) =>
    el('span', {class: i + 1 === bad ? 'bad-line' : null}, (i + 1) + '\n')));
  const refused = (e) => {
    status(kind + '-result', e.message, true);
    if (e.data && e.data.line) {
      numbers(e.data.line);
      const offset = text.value.split('\n').slice(0, e.data.line - 1).join('\n').length + (e.data.line > 1 ? 1 : 0);
      text.focus();
      text.setSelectionRange(offset, offset + (text.value.split('\n')[e.data.line - 1] || '').length);
    }
  };
  text.addEventListener('input', () => numbers());
  text.addEventListener('scroll', () => { gutter.scrollTop = text.scrollTop; });
  box.replaceChildren(el('h2', {}, 'Edit ', el('code', {}, file.file)),
    el('p', {class: 'hint'}, 'Validate checks the text exactly as a reload would; Apply writes the file, reloads, and puts the old file back if the reload is refused.'),
    el('div', {class: 'editor'}, gutter, text),
    el('button', {type: 'button', id: kind + '-validate', onclick: async () => {
      try { await api('POST', '/api/config/' + kind + '/validate', {text: text.value}); numbers(); status(kind + '-result', 'valid: a reload would take it'); }
      catch (e) { refused(e); } }}, 'Validate'), ' ',
    el('button', {type: 'button', id: kind + '-apply', onclick: async () => {
      try { const r = await api('PUT', '/api/config/' + kind, {text: text.value}); numbers(); status(kind + '-result', 'applied: ' + r.message); }
      catch (e) { refused(e); } }}, 'Apply'),
    result);
  numbers();
}

document.addEventListener('DOMContentLoaded', () => {
  const logout = $('logout');
  if (logout) logout.addEventListener('click', async () => { await api('POST', '/api/logout'); window.location = '/login'; });
  const page = pages[document.body.dataset.page];
  // body[data-ready] tells a person's tools (and the browser tests) that the page is wired and loaded
  if (page) page().catch(e => document.querySelector('main').prepend(el('p', {class: 'error'}, e.message)))
    .finally(() => { document.body.dataset.ready = 'true'; });
});
