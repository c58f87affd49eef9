/* hyper.js: the browser runtime of microdot.hyper (docs/hyper.md).
 *
 * Elements with data-action call an action of the page's HyperView: a click
 * (buttons, links...) or a form submit sends POST <page URL> with the header
 * X-Action, a JSON object of arguments (data-args, or the form's fields) and
 * the X-CSRF-Token header (the csrf_token cookie). The answer is an event
 * stream; each event is applied as soon as it arrives.
 *
 * This file is the readable source: tools/build_hyper_js.py minifies it into
 * microdot_src/microdot/hyper.min.js.gz, which the framework serves. Keep it
 * small: the test suite asserts that the minified, gzipped file stays under
 * 3 KB. */
(() => {
  const d = document
  const loaded = {}
  const signals = {}

  const fire = (el, name, detail) => el.dispatchEvent(
    new CustomEvent(name, { detail, bubbles: true, cancelable: true }))

  const all = sel => [...d.querySelectorAll(sel)]

  // where events about el go: the document once el has left the page
  const at = el => el.isConnected ? el : d

  const csrf = () => (d.cookie.match(/(^|; )csrf_token=([^;]*)/) || [])[2] || ''

  // the default toast: a line of text at the bottom right, for 4 s
  const toast = p => {
    if (!fire(d, 'hyper:toast', p)) return // a listener shows it itself
    let box = d.getElementById('hyper-toasts')
    if (!box) {
      box = d.createElement('div')
      box.id = 'hyper-toasts'
      box.style.cssText = 'position:fixed;right:1em;bottom:1em;z-index:9999'
      d.body.append(box)
    }
    const t = d.createElement('div')
    t.className = 'hyper-toast ' + (p.type || 'info')
    t.setAttribute('role', 'status')
    t.style.cssText = 'margin-top:.5em;padding:.6em 1em;border-radius:4px;color:#fff;background:' +
      (p.type == 'error' ? '#b00020' : p.type == 'success' ? '#1b5e20' : '#333')
    t.textContent = p.message
    box.append(t)
    setTimeout(() => t.remove(), p.timeout || 4000)
  }

  // RFC 7386 JSON merge patch of o by p
  const merge = (o, p) => {
    for (const k in p) {
      const v = p[k]
      if (v === null) delete o[k]
      else if (typeof v == 'object' && !Array.isArray(v) && o[k] && typeof o[k] == 'object') merge(o[k], v)
      else o[k] = v
    }
    return o
  }

  const swap = (data, el) => {
    const mode = data.swap || el.dataset.swap || 'inner'
    const sel = data.target || el.dataset.target
    const html = data.content
    const targets = sel ? all(sel) : [el]
    // keep the focus (and the caret) on the element of the same id
    const a = d.activeElement
    const id = a && a.id
    const s = a && a.selectionStart
    const e = a && a.selectionEnd
    for (const t of targets) {
      if (mode == 'delete') t.remove()
      else if (mode == 'inner') t.innerHTML = html
      else if (mode == 'outer') t.outerHTML = html
      else if (mode != 'none') {
        t.insertAdjacentHTML({ append: 'beforeend', prepend: 'afterbegin', before: 'beforebegin', after: 'afterend' }[mode], html)
      }
    }
    const n = data.focus ? d.querySelector(data.focus) : id && d.getElementById(id)
    if (n && n != d.activeElement) {
      n.focus()
      if (!data.focus && s != null) try { n.setSelectionRange(s, e) } catch (x) {}
    }
  }

  // apply one operation; el is the element that called the action
  const apply = (op, data, el) => {
    const A = window.Alpine
    if (op == 'html') {
      const f = () => swap(data, el)
      if (data.transition && d.startViewTransition) return d.startViewTransition(f).updateCallbackDone
      f()
    } else if (op == 'event') {
      fire(data.target && d.querySelector(data.target) || d, data.name, data.payload)
    } else if (op == 'toast') {
      toast(data.payload)
    } else if (op == 'error') {
      if (fire(at(el), 'hyper:error', data)) toast({ type: 'error', message: data.message })
    } else if (op == 'redirect') {
      location.assign(data.url)
    } else if (op == 'history') {
      if (data.push_url) history.pushState({}, '', data.push_url)
      else history.replaceState({}, '', data.replace_url)
    } else if (op == 'loadjs') {
      if (!loaded[data.src]) {
        const s = d.createElement('script')
        s.type = 'module'
        s.src = data.src
        d.head.append(s)
        // later operations may need what the module defines: wait for it
        return loaded[data.src] = new Promise(r => { s.onload = s.onerror = r })
      }
    } else if (op == 'signals') {
      const v = data.values
      merge(signals, v)
      for (const k in v) {
        if (A && k[0] == '$') {
          const name = k.slice(1)
          const store = A.store(name)
          if (store && typeof v[k] == 'object' && v[k]) merge(store, v[k])
          else A.store(name, v[k])
        } else if (A) {
          const c = el.closest('[x-data]')
          if (c) merge(A.$data(c), { [k]: v[k] })
        }
        for (const t of all('[data-signal="' + k + '"]')) {
          t[t.tagName == 'INPUT' ? 'value' : 'textContent'] = signals[k] ?? ''
        }
      }
      fire(at(el), 'hyper:signals', v)
    }
  }

  const call = async (name, args, el, method) => {
    el = el || d.body
    const h = { 'X-Action': name, 'X-CSRF-Token': csrf(), Accept: 'text/event-stream' }
    if (el.dataset.target) h['X-Target'] = el.dataset.target
    let url = new URL(el.dataset.url || el.getAttribute('action') || location.href, location.href)
    let init = { method: 'POST', headers: h, body: JSON.stringify(args || {}) }
    if (method == 'get') {
      for (const k in args) url.searchParams.set(k, args[k])
      url.searchParams.set('_action', name)
      init = { headers: h }
    } else h['Content-Type'] = 'application/json'
    el.setAttribute('aria-busy', 'true')
    try {
      const r = await fetch(url, init)
      const type = r.headers.get('Content-Type') || ''
      if (!type.startsWith('text/event-stream')) {
        if (r.redirected) return location.assign(r.url)
        const text = await r.text()
        if (!r.ok) apply('error', { status: r.status, message: text }, el)
        else if (type.startsWith('text/html')) apply('html', { content: text }, el)
        return
      }
      const reader = r.body.getReader()
      const dec = new TextDecoder()
      let buf = ''
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        buf += dec.decode(value, { stream: true })
        let i
        while ((i = buf.indexOf('\n\n')) >= 0) {
          let op = 'message'
          let data = ''
          for (const line of buf.slice(0, i).split('\n')) {
            if (line.startsWith('event: ')) op = line.slice(7)
            else if (line.startsWith('data: ')) data += line.slice(6)
          }
          buf = buf.slice(i + 2)
          if (op == 'end') return
          if (data) await apply(op, JSON.parse(data), el)
        }
      }
    } catch (x) {
      apply('error', { status: 0, message: x.message }, el)
    } finally {
      el.removeAttribute('aria-busy')
    }
  }

  d.addEventListener('click', e => {
    const el = e.target.closest('[data-action]')
    // forms and their submit buttons go through the submit event
    if (!el || el.tagName == 'FORM' || el.form && el.type == 'submit') return
    e.preventDefault()
    call(el.dataset.action, JSON.parse(el.dataset.args || '{}'), el, el.dataset.method)
  })

  d.addEventListener('submit', e => {
    const f = e.target
    const s = e.submitter
    const name = s && s.dataset.action || f.dataset.action || f.elements._action && f.elements._action.value
    if (!name) return
    e.preventDefault()
    const args = Object.fromEntries(new FormData(f, s))
    delete args._action
    delete args.csrf_token
    call(name, args, f, (f.getAttribute('method') || '').toLowerCase())
  })

  window.hyper = { call, apply, signals }
})()
