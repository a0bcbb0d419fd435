// Builds DOM nodes from data without ever parsing it as markup: every string (task names,
// messages, ids: anything a framework or an agent supplied) becomes a text node, and attributes
// are set with setAttribute, so a name like <img src=x onerror=...> shows as those characters.
var Dom = (function () {
  'use strict';

  function append(el, child) {
    if (child === null || child === undefined || child === false) {
      return;
    }
    if (Array.isArray(child)) {
      child.forEach(function (c) { append(el, c); });
    } else if (child instanceof Node) {
      el.appendChild(child);
    } else {
      el.appendChild(document.createTextNode(String(child)));
    }
  }

  // h('td', {class: 'num'}, ['1.5']): an element with attributes and children.
  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] !== null && attrs[k] !== undefined) {
        el.setAttribute(k, String(attrs[k]));
      }
    });
    append(el, children);
    return el;
  }

  // A link inside the page: only "#/..." targets are built, from encoded parts.
  function link(parts, text, attrs) {
    var href = '#/' + parts.map(function (p) { return encodeURIComponent(String(p)); }).join('/');
    return h('a', Object.assign({href: href}, attrs || {}), [text]);
  }

  // A table with a header row and one row per item (row() returns a <tr> or an array of cells).
  function table(id, headers, items, row, emptyText) {
    var body = items.length
      ? items.map(function (item) { var r = row(item); return r instanceof Node ? r : h('tr', {}, r); })
      : [h('tr', {}, [h('td', {colspan: headers.length, class: 'empty'}, [emptyText || 'none'])])];
    return h('table', {id: id}, [
      h('thead', {}, [h('tr', {}, headers.map(function (t) { return h('th', {}, [t]); }))]),
      h('tbody', {}, body)
    ]);
  }

  return {h: h, link: link, table: table};
})();
