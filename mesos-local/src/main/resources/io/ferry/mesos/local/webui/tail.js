// The tail view of a sandbox file (stdout, stderr), like Mesos's pailer: finds the executor's
// sandbox `directory` in the agent's /slave(1)/state, asks the agent's /files/read for the size
// (offset=-1), shows the last PAGE bytes, then polls for what is appended. The agent is on
// another port, so both are read with jsonp. The text goes into the page as a text node only.
var Tail = (function () {
  'use strict';
  var h = Dom.h;
  var PAGE = 50 * 1024;          // what is shown at first, and read per request
  var KEEP = 1024 * 1024;        // characters kept in the view; older ones are dropped
  var POLL_MS = 1000;
  var TIMEOUT_MS = 10000;
  var encoder = new TextEncoder();

  function find(list, id) {
    return (list || []).filter(function (x) { return x.id === id; })[0];
  }

  // The executor's sandbox directory from the agent's state (Mesos 1.12: frameworks[].executors[]
  // .directory, also in completed_frameworks and completed_executors).
  function sandboxDirectory(agentState, frameworkId, executorId) {
    var f = find(agentState.frameworks, frameworkId) || find(agentState.completed_frameworks, frameworkId);
    if (!f) {
      throw new Error('framework ' + frameworkId + ' is not known to this agent');
    }
    var e = find(f.executors, executorId) || find(f.completed_executors, executorId);
    if (!e || !e.directory) {
      throw new Error('executor ' + executorId + ' of framework ' + frameworkId + ' is not known to this agent');
    }
    return e.directory;
  }

  // start(view, state, {agent, framework, executor, file}) -> {stop()}: renders into view.
  function start(view, state, p) {
    var stopped = false;
    var timer = null;
    var status = h('span', {id: 'tail-status'}, ['finding the sandbox\u2026']);
    var pathText = h('span', {class: 'path', id: 'tail-path'}, []);
    var data = h('pre', {class: 'tail', id: 'tail-data'}, []);
    view.replaceChildren(
      h('div', {class: 'tail-bar'}, [
        Dom.link(['frameworks', p.framework], '\u2190 framework'),
        h('strong', {}, [p.file + ' of ' + p.executor]),
        pathText, status
      ]),
      data);

    var agent = Views.agentsById(state)[p.agent];
    if (!agent) {
      status.textContent = 'agent ' + p.agent + ' is not registered with this master';
      return {stop: function () {}};
    }
    var pid = agent.pid || '';
    var base = '//' + agent.hostname + ':' + Views.agentPort(agent);
    var processId = pid.indexOf('@') > 0 ? pid.substring(0, pid.indexOf('@')) : 'slave(1)';
    var path = null;
    var end = 0;

    function later(fn, ms) {
      if (!stopped) {
        timer = setTimeout(fn, ms);
      }
    }

    function fail(what, error) {
      if (stopped) { return; }
      status.textContent = what + ': ' + error.message + ' (retrying)';
      status.className = 'error';
    }

    function read(offset, length) {
      var params = {path: path, offset: offset};
      if (length !== undefined) { params.length = length; }
      return Jsonp.get(base + '/files/read', params, TIMEOUT_MS);
    }

    function show(text) {
      var atBottom = data.scrollTop + data.clientHeight >= data.scrollHeight - 4;
      data.appendChild(document.createTextNode(text));
      if (data.textContent.length > KEEP) {
        data.textContent = data.textContent.slice(-KEEP);
      }
      if (atBottom) {
        data.scrollTop = data.scrollHeight;
      }
    }

    function locate() {
      Jsonp.get(base + '/' + processId + '/state', {}, TIMEOUT_MS).then(function (agentState) {
        if (stopped) { return; }
        path = sandboxDirectory(agentState, p.framework, p.executor) + '/' + p.file;
        pathText.textContent = path;
        return read(-1).then(function (size) {
          end = Math.max(0, size.offset - PAGE);
          tail();
        });
      }).catch(function (e) { fail('cannot find the sandbox', e); later(locate, 2000); });
    }

    function tail() {
      if (stopped) { return; }
      read(end, PAGE).then(function (chunk) {
        if (stopped) { return; }
        status.textContent = 'following';
        status.className = '';
        var text = chunk.data || '';
        if (text.length) {
          show(text);
        }
        // Offsets are bytes; the answer's data is text.
        end = chunk.offset + encoder.encode(text).length;
        later(tail, text.length && encoder.encode(text).length >= PAGE ? 0 : POLL_MS);
      }).catch(function (e) { fail('cannot read ' + path, e); later(tail, 2000); });
    }

    locate();
    return {stop: function () { stopped = true; clearTimeout(timer); }};
  }

  return {start: start, sandboxDirectory: sandboxDirectory};
})();
