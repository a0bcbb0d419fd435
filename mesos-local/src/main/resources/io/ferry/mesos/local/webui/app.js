// The page's loop: reads the master's /master/state every REFRESH_MS (and, on a framework's
// page, the last status of each task from the operator API's GET_TASKS), then redraws the
// current view in one synchronous swap, so the scroll position and the route (in the URL's
// hash) survive every refresh. The tail view polls the agent on its own and is not redrawn.
(function () {
  'use strict';
  var REFRESH_MS = 2500;
  var view = document.getElementById('view');
  var statusBar = document.getElementById('status');
  var state = null;
  var statuses = null;
  var tail = null;           // the running tail view, if the route is a sandbox file
  var tailRoute = null;

  // '#/frameworks/abc' -> ['frameworks', 'abc']
  function route() {
    var hash = location.hash.replace(/^#\/?/, '');
    return hash ? hash.split('/').map(decodeURIComponent) : [];
  }

  function setStatus(text, error) {
    statusBar.textContent = text;
    statusBar.className = error ? 'status error' : 'status';
  }

  function getJson(response) {
    if (!response.ok) {
      throw new Error(response.url + ' answered ' + response.status);
    }
    return response.json();
  }

  function readState() {
    return fetch('/master/state', {cache: 'no-store'}).then(getJson);
  }

  // {"<framework id>/<task id>": last status} from the operator API (src/master/http.cpp getTasks).
  function readStatuses() {
    return fetch('/api/v1', {method: 'POST', cache: 'no-store',
      headers: {'Content-Type': 'application/json', 'Accept': 'application/json'},
      body: JSON.stringify({type: 'GET_TASKS'})}).then(getJson).then(function (answer) {
      var out = {};
      var lists = answer.get_tasks || {};
      ['tasks', 'unreachable_tasks', 'completed_tasks', 'orphan_tasks'].forEach(function (k) {
        (lists[k] || []).forEach(function (t) {
          var s = t.statuses || [];
          if (s.length && t.framework_id && t.task_id) {
            out[t.framework_id.value + '/' + t.task_id.value] = s[s.length - 1];
          }
        });
      });
      return out;
    }).catch(function () { return null; });
  }

  function markNav(r) {
    ['overview', 'agents', 'frameworks'].forEach(function (name) {
      var current = (r[0] || 'overview') === name || (name === 'frameworks' && r[0] === 'sandbox');
      document.getElementById('nav-' + name).className = current ? 'current' : '';
    });
  }

  function render() {
    var r = route();
    markNav(r);
    var key = r.join('/');
    if (r[0] !== 'sandbox' || key !== tailRoute) {
      if (tail) { tail.stop(); tail = null; tailRoute = null; }
    }
    if (!state) {
      return;
    }
    if (r[0] === 'sandbox') {
      if (!tail) {
        tailRoute = key;
        tail = Tail.start(view, state, {agent: r[1], framework: r[2], executor: r[3], file: r[4]});
      }
      return;
    }
    var nodes;
    if (r[0] === 'agents') {
      nodes = Views.agents(state);
    } else if (r[0] === 'frameworks' && r[1]) {
      nodes = Views.framework(state, r[1], statuses);
    } else if (r[0] === 'frameworks') {
      nodes = Views.frameworks(state);
    } else {
      nodes = Views.overview(state, Date.now() / 1000);
    }
    view.replaceChildren.apply(view, nodes.filter(function (n) { return n; }));
  }

  function refresh() {
    var r = route();
    var wantStatuses = r[0] === 'frameworks' && r[1];
    Promise.all([readState(), wantStatuses ? readStatuses() : Promise.resolve(statuses)]).then(function (got) {
      state = got[0];
      statuses = got[1];
      setStatus('updated ' + new Date().toLocaleTimeString(), false);
      try {
        render();
      } catch (e) {
        setStatus('cannot show this view: ' + e.message, true);
      }
    }, function (e) {
      setStatus('cannot read the master\'s state: ' + e.message + ' (retrying)', true);
    }).then(function () {
      setTimeout(refresh, REFRESH_MS);
    });
  }

  window.addEventListener('hashchange', function () {
    var r = route();
    if (r[0] === 'frameworks' && r[1] && !statuses) {
      readStatuses().then(function (s) { statuses = s; render(); });
    }
    render();
  });
  refresh();
})();
