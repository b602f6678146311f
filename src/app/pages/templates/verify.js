// Progressive enhancement for /verify: checks a dropped or chosen file, or pasted JSON, through
// POST /api/v1/verify and shows the report in place. Without this script the form posts to the
// server, which renders the same report. Loaded as a file: the page's CSP allows no inline script.
(function () {
  'use strict';
  var form = document.querySelector('form.verify-form');
  if (!form || !window.fetch) return;
  var fileInput = document.getElementById('credential-file');
  var textArea = document.getElementById('credential-json');
  var emailInput = document.getElementById('recipient-email');
  var zone = document.getElementById('drop-zone');
  var result = document.getElementById('verify-result');
  var labels = { format: 'Format', structure: 'Structure', proof: 'Signature',
                 issuer_key: 'Issuer key', validity: 'Validity period', status: 'Revocation status',
                 recipient: 'Recipient' };
  var headlines = { verified: 'Verified: this credential is authentic and valid.',
                    failed: 'Not verified: at least one check failed.',
                    incomplete: 'Incomplete: the signature type is not supported, so authenticity is unknown.' };
  var dropped = null;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function typeOf(file) {
    var name = (file.name || '').toLowerCase();
    if (file.type === 'image/png' || /\.png$/.test(name)) return 'image/png';
    if (file.type === 'image/svg+xml' || /\.svg$/.test(name)) return 'image/svg+xml';
    return 'application/json';
  }

  function showError(message) {
    result.textContent = '';
    result.appendChild(el('p', { 'class': 'status status-invalid', role: 'alert' }, message));
  }

  function showReport(report) {
    result.textContent = '';
    var section = el('section', { 'class': 'report', 'aria-labelledby': 'report-title' });
    var verdict = report.verdict || 'failed';
    section.appendChild(el('h2', { id: 'report-title', 'class': 'status status-' + verdict },
                           headlines[verdict] || verdict));
    var table = el('table', { 'class': 'checks' });
    table.appendChild(el('caption', {}, 'Each check on its own'));
    var head = el('thead');
    var hr = el('tr');
    ['Check', 'Result', 'Details'].forEach(function (h) { hr.appendChild(el('th', { scope: 'col' }, h)); });
    head.appendChild(hr);
    table.appendChild(head);
    var body = el('tbody');
    (report.checks || []).forEach(function (check) {
      var row = el('tr', { 'class': 'check-' + check.outcome });
      row.appendChild(el('th', { scope: 'row' }, labels[check.id] || check.id));
      var cell = el('td');
      cell.appendChild(el('span', { 'class': 'outcome outcome-' + check.outcome }, check.outcome));
      row.appendChild(cell);
      row.appendChild(el('td', {}, check.message));
      body.appendChild(row);
    });
    table.appendChild(body);
    section.appendChild(table);
    result.appendChild(section);
    section.querySelector('h2').setAttribute('tabindex', '-1');
    section.querySelector('h2').focus();
  }

  function send(body, type) {
    var url = form.getAttribute('data-api');
    if (emailInput && emailInput.value) url += '?recipient_email=' + encodeURIComponent(emailInput.value);
    // No cookies: verification needs no account, and a signed-in session would need a CSRF token.
    return fetch(url, { method: 'POST', body: body, credentials: 'omit',
                        headers: { 'Content-Type': type, 'Accept': 'application/json' } })
      .then(function (response) {
        return response.json().then(function (json) {
          if (!response.ok) throw new Error(json.detail || ('the server answered ' + response.status));
          return json;
        });
      })
      .then(showReport, function (error) { showError('Could not verify: ' + error.message); });
  }

  form.addEventListener('submit', function (event) {
    var file = dropped || (fileInput.files && fileInput.files[0]);
    if (file) {
      event.preventDefault();
      send(file, typeOf(file));
    } else if (textArea.value.trim()) {
      event.preventDefault();
      send(textArea.value, 'application/json');
    }
  });

  zone.addEventListener('dragover', function (event) {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', function () { zone.classList.remove('dragging'); });
  zone.addEventListener('drop', function (event) {
    event.preventDefault();
    zone.classList.remove('dragging');
    var file = event.dataTransfer && event.dataTransfer.files && event.dataTransfer.files[0];
    if (!file) return;
    dropped = file;
    zone.querySelector('.help').textContent = 'Selected: ' + file.name;
    send(file, typeOf(file));
  });
  fileInput.addEventListener('change', function () { dropped = null; });
})();
