// The page's views, each built from the master's /master/state (Mesos 1.12's shape:
// src/master/http.cpp and src/common/http.cpp) and, for a framework's tasks, from the last
// status of each task as the operator API's GET_TASKS gives it (the state endpoints carry no
// status message or reason). Everything goes through Dom, never through innerHTML.
var Views = (function () {
  'use strict';
  var h = Dom.h;
  var TERMINAL = ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED',
    'TASK_GONE', 'TASK_GONE_BY_OPERATOR'];
  // States whose reason and message say what went wrong.
  var EXPLAINED = ['TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE',
    'TASK_GONE_BY_OPERATOR', 'TASK_UNREACHABLE'];

  function num(x) { return typeof x === 'number' && isFinite(x) ? x : 0; }

  function megabytes(mb) {
    mb = num(mb);
    if (mb >= 1024 * 1024) { return (mb / 1024 / 1024).toFixed(1) + ' TB'; }
    if (mb >= 1024) { return (mb / 1024).toFixed(1) + ' GB'; }
    return mb.toFixed(0) + ' MB';
  }

  function cpus(x) { return String(Math.round(num(x) * 100) / 100); }

  // Resources as Mesos prints them: {"cpus":2.0,"mem":640.0,"disk":0.0,"ports":"[31000-32000]"}.
  function resources(r) {
    r = r || {};
    return 'cpus ' + cpus(r.cpus) + ', mem ' + megabytes(r.mem) + ', disk ' + megabytes(r.disk);
  }

  function time(seconds) {
    if (!seconds) { return ''; }
    return new Date(seconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  }

  function duration(seconds) {
    seconds = Math.max(0, Math.floor(num(seconds)));
    var d = Math.floor(seconds / 86400), hr = Math.floor(seconds % 86400 / 3600);
    var m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
    return (d ? d + 'd ' : '') + (d || hr ? hr + 'h ' : '') + (d || hr || m ? m + 'm ' : '') + s + 's';
  }

  function sum(items, pick) {
    var out = {cpus: 0, mem: 0, disk: 0};
    (items || []).forEach(function (i) {
      var r = pick(i) || {};
      out.cpus += num(r.cpus); out.mem += num(r.mem); out.disk += num(r.disk);
    });
    return out;
  }

  // "slave(1)@127.0.0.1:5051" -> "5051"
  function agentPort(agent) {
    var pid = agent.pid || '';
    return pid.substring(pid.lastIndexOf(':') + 1) || String(agent.port || '');
  }

  function agentsById(state) {
    var out = {};
    (state.slaves || []).forEach(function (a) { out[a.id] = a; });
    return out;
  }

  function frameworks(state) {
    return (state.frameworks || []).concat(state.completed_frameworks || []);
  }

  function overview(state, now) {
    var slaves = state.slaves || [];
    var total = sum(slaves, function (a) { return a.resources; });
    var used = sum(slaves, function (a) { return a.used_resources; });
    var active = 0, completed = 0;
    (state.frameworks || []).forEach(function (f) {
      active += (f.tasks || []).length;
      completed += (f.completed_tasks || []).length;
    });
    function row(name, t, u) {
      return [h('th', {}, [name]), h('td', {class: 'num'}, [t]), h('td', {class: 'num'}, [u])];
    }
    return [
      h('h2', {}, ['Master']),
      h('dl', {class: 'facts', id: 'master-facts'}, [
        h('dt', {}, ['ID']), h('dd', {id: 'master-id'}, [state.id]),
        h('dt', {}, ['Version']), h('dd', {id: 'master-version'}, [state.version]),
        h('dt', {}, ['Address']), h('dd', {}, [(state.hostname || '') + ':' + (state.pid || '').split(':').pop()]),
        h('dt', {}, ['Started']), h('dd', {}, [time(state.start_time)]),
        h('dt', {}, ['Uptime']), h('dd', {id: 'master-uptime'}, [state.start_time ? duration(now - state.start_time) : '']),
        h('dt', {}, ['Agents']), h('dd', {id: 'agent-count'}, [String(slaves.length)]),
        h('dt', {}, ['Frameworks']), h('dd', {id: 'framework-count'}, [String((state.frameworks || []).length)]),
        h('dt', {}, ['Tasks']), h('dd', {}, [active + ' active, ' + completed + ' completed'])
      ]),
      h('h2', {}, ['Resources']),
      Dom.table('cluster-resources', ['', 'Total', 'Used'], [
        row('CPUs', cpus(total.cpus), cpus(used.cpus)),
        row('Memory', megabytes(total.mem), megabytes(used.mem)),
        row('Disk', megabytes(total.disk), megabytes(used.disk))
      ], function (cells) { return cells; })
    ];
  }

  function agents(state) {
    return [
      h('h2', {}, ['Agents']),
      Dom.table('agents', ['ID', 'Host', 'Resources', 'Used', 'Registered', 'Active'], state.slaves || [], function (a) {
        return h('tr', {'data-agent-id': a.id}, [
          h('td', {}, [a.id]),
          h('td', {}, [a.hostname + ':' + agentPort(a)]),
          h('td', {}, [resources(a.resources)]),
          h('td', {}, [resources(a.used_resources)]),
          h('td', {}, [time(a.registered_time)]),
          h('td', {}, [String(a.active !== false)])
        ]);
      }, 'no agents registered')
    ];
  }

  function countStates(tasks, states) {
    var n = 0;
    (tasks || []).forEach(function (t) { if (states.indexOf(t.state) >= 0) { n++; } });
    return n;
  }

  function frameworkList(state) {
    var row = function (f) {
      return h('tr', {'data-framework-id': f.id}, [
        h('td', {}, [Dom.link(['frameworks', f.id], f.id)]),
        h('td', {}, [f.name]),
        h('td', {}, [f.user]),
        h('td', {}, [String(!!f.active)]),
        h('td', {}, [resources(f.used_resources || f.resources)]),
        h('td', {class: 'num'}, [String((f.tasks || []).length)]),
        h('td', {class: 'num'}, [String(countStates(f.tasks, ['TASK_RUNNING']))]),
        h('td', {class: 'num'}, [String(countStates(f.completed_tasks, ['TASK_FINISHED']))]),
        h('td', {class: 'num'}, [String(countStates(f.completed_tasks, ['TASK_FAILED', 'TASK_ERROR']))]),
        h('td', {class: 'num'}, [String(countStates(f.completed_tasks, ['TASK_KILLED']))]),
        h('td', {class: 'num'}, [String(countStates(f.completed_tasks, ['TASK_LOST', 'TASK_DROPPED', 'TASK_GONE',
          'TASK_GONE_BY_OPERATOR']))])
      ]);
    };
    var headers = ['ID', 'Name', 'User', 'Active', 'Resources used', 'Active tasks', 'Running', 'Finished', 'Failed',
      'Killed', 'Lost'];
    return [
      h('h2', {}, ['Active frameworks']),
      Dom.table('frameworks', headers, state.frameworks || [], row, 'no active frameworks'),
      h('h2', {}, ['Completed frameworks']),
      Dom.table('completed-frameworks', headers, state.completed_frameworks || [], row, 'none')
    ];
  }

  // statuses: {"<framework id>/<task id>": last TaskStatus from GET_TASKS}, or null when unknown.
  function taskTable(id, tasks, agents, statuses, emptyText) {
    return Dom.table(id, ['ID', 'Name', 'State', 'Reason', 'Message', 'Agent', 'Updated', 'Sandbox'], tasks, function (t) {
      var list = t.statuses || [];
      var last = statuses ? statuses[t.framework_id + '/' + t.id] : null;
      var explained = EXPLAINED.indexOf(t.state) >= 0 && last && last.state === t.state;
      var agent = agents[t.slave_id];
      var executorId = t.executor_id || t.id; // a command task's executor has the task's id, as in Mesos
      var sandbox = agent
        ? [Dom.link(['sandbox', t.slave_id, t.framework_id, executorId, 'stdout'], 'stdout', {class: 'stdout'}), ' ',
          Dom.link(['sandbox', t.slave_id, t.framework_id, executorId, 'stderr'], 'stderr', {class: 'stderr'})]
        : ['agent gone'];
      return h('tr', {'data-task-id': t.id}, [
        h('td', {class: 'task-id'}, [t.id]),
        h('td', {class: 'task-name'}, [t.name]),
        h('td', {class: 'task-state state-' + t.state}, [t.state]),
        h('td', {class: 'task-reason reason'}, [explained && last.reason ? last.reason : '']),
        h('td', {class: 'task-message message'}, [explained && last.message ? last.message : '']),
        h('td', {}, [agent ? agent.hostname + ':' + agentPort(agent) : t.slave_id]),
        h('td', {}, [list.length ? time(list[list.length - 1].timestamp) : '']),
        h('td', {class: 'sandbox'}, sandbox)
      ]);
    }, emptyText);
  }

  function framework(state, id, statuses) {
    var f = frameworks(state).filter(function (x) { return x.id === id; })[0];
    if (!f) {
      return [h('p', {class: 'empty'}, ['No framework ' + id + ' on this master.'])];
    }
    var agents = agentsById(state);
    var active = (f.tasks || []).concat(f.unreachable_tasks || []);
    return [
      h('h2', {}, ['Framework ', h('span', {id: 'framework-name'}, [f.name])]),
      h('dl', {class: 'facts'}, [
        h('dt', {}, ['ID']), h('dd', {}, [f.id]),
        h('dt', {}, ['User']), h('dd', {}, [f.user]),
        h('dt', {}, ['Active']), h('dd', {}, [String(!!f.active)]),
        h('dt', {}, ['Registered']), h('dd', {}, [time(f.registered_time)]),
        h('dt', {}, ['Resources used']), h('dd', {}, [resources(f.used_resources || f.resources)])
      ]),
      statuses ? null : h('p', {class: 'empty'}, ['Reasons and messages unavailable: the operator API did not answer.']),
      h('h2', {}, ['Active tasks']),
      taskTable('active-tasks', active, agents, statuses, 'no active tasks'),
      h('h2', {}, ['Completed tasks']),
      taskTable('completed-tasks', f.completed_tasks || [], agents, statuses, 'no completed tasks')
    ];
  }

  return {overview: overview, agents: agents, frameworks: frameworkList, framework: framework,
    agentPort: agentPort, agentsById: agentsById};
})();
