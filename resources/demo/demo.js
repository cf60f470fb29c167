'use strict';
// Connects with the official client, subscribes to one room and renders what arrives.
(function () {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  for (const key of ['nsp', 'room', 'token']) {
    if (params.has(key)) $(key).value = params.get(key);
  }
  const MAX_LOG = 200;
  let socket = null;

  function setStatus(state, text) {
    $('status').dataset.state = state;
    $('status').textContent = text;
  }

  function log(event, args) {
    const item = document.createElement('li');
    const name = document.createElement('span');
    name.className = 'event';
    name.textContent = event;
    item.dataset.event = event;
    item.append(new Date().toLocaleTimeString() + ' ', name, ' ' + args.map((a) => JSON.stringify(a)).join(' '));
    $('log').prepend(item);
    while ($('log').children.length > MAX_LOG) $('log').lastElementChild.remove();
  }

  function showProgress(kind, payload) {
    if (!payload || typeof payload !== 'object') return;
    const id = String(payload.id ?? kind);
    let percent = Number(payload.percent);
    if (!Number.isFinite(percent) && Number(payload.total) > 0) percent = (100 * Number(payload.loaded)) / Number(payload.total);
    if (!Number.isFinite(percent)) return;
    percent = Math.max(0, Math.min(100, percent));
    let row = document.querySelector(`.operation[data-id="${CSS.escape(id)}"]`);
    if (!row) {
      row = document.createElement('div');
      row.className = 'operation';
      row.dataset.id = id;
      row.innerHTML = '<div class="caption"><span class="label"></span><span class="percent"></span></div><progress max="100"></progress>';
      $('operations').append(row);
    }
    row.dataset.kind = kind;
    row.querySelector('.label').textContent = `${payload.label ?? id} (${kind})`;
    row.querySelector('.percent').textContent = `${Math.round(percent)} %`;
    row.querySelector('progress').value = percent;
  }

  function showExample(room) {
    const nsp = $('nsp').value || '/';
    const body = { namespace: nsp, rooms: [room], event: 'operation-progress', args: [{ id: 'build-42', percent: 40, label: 'Compiling' }] };
    $('example').textContent = 'Publish from a backend:\n\ncurl -X POST ' + location.origin + '/api/v1/emit \\\n' +
      '  -H "Authorization: Bearer $PLUGBOARD_API_KEY" -H "Content-Type: application/json" \\\n' +
      "  -d '" + JSON.stringify(body) + "'";
  }

  function connect() {
    if (socket) socket.disconnect();
    const nsp = $('nsp').value || '/';
    const room = $('room').value;
    const token = $('token').value;
    showExample(room);
    setStatus('connecting', 'Connecting…');
    socket = io(nsp, { auth: token ? { token } : {} });
    socket.on('connect', () => {
      setStatus('connected', `Connected as ${socket.id}; subscribing to ${room}…`);
      socket.timeout(5000).emit('subscribe', room, (err, answer) => {
        if (err) setStatus('error', `No answer to subscribe: ${err.message}`);
        else if (!answer || !answer.ok) setStatus('error', `Refused: ${answer && answer.error}`);
        else setStatus('subscribed', `Subscribed to ${room} as ${socket.id}`);
      });
    });
    socket.on('connect_error', (err) => setStatus('error', `Cannot connect: ${err.message}`));
    socket.on('disconnect', (reason) => setStatus('idle', `Disconnected: ${reason}`));
    socket.on('operation-progress', (payload) => showProgress('operation', payload));
    socket.on('upload-progress', (payload) => showProgress('upload', payload));
    socket.onAny((event, ...args) => log(event, args));
  }

  $('settings').addEventListener('submit', (e) => { e.preventDefault(); connect(); });
  connect();
})();
