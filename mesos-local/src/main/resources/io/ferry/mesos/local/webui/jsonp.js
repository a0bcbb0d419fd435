// Reads a Mesos JSON endpoint on another origin (an agent's port) with the endpoint's
// `jsonp=<callback>` parameter and a script tag, as Mesos's own web UI does: the agent answers
// `callback(<json>);`. Nothing else crosses origins, and no endpoint needs CORS headers.
var Jsonp = (function () {
  'use strict';
  var counter = 0;

  // get('//host:port/slave(1)/state', {}, 10000) -> Promise of the parsed JSON.
  function get(url, params, timeoutMs) {
    return new Promise(function (resolve, reject) {
      var name = 'ferryJsonp' + (++counter) + '_' + Date.now();
      var query = Object.keys(params || {}).map(function (k) {
        return encodeURIComponent(k) + '=' + encodeURIComponent(String(params[k]));
      });
      query.push('jsonp=' + name);
      var script = document.createElement('script');
      var timer = setTimeout(function () { finish(new Error('no answer from ' + url + ' in ' + timeoutMs + ' ms')); }, timeoutMs);

      function finish(error, value) {
        clearTimeout(timer);
        // Keep a no-op so a late answer does not throw "callback is not defined".
        window[name] = function () {};
        if (script.parentNode) {
          script.parentNode.removeChild(script);
        }
        if (error) {
          reject(error);
        } else {
          resolve(value);
        }
      }

      window[name] = function (data) { finish(null, data); };
      script.onerror = function () { finish(new Error('could not read ' + url + ' (agent down, or an error answer)')); };
      script.src = url + (url.indexOf('?') < 0 ? '?' : '&') + query.join('&');
      document.head.appendChild(script);
    });
  }

  return {get: get};
})();
