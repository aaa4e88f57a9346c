// Building the page from data without ever parsing it as HTML: every text goes in as text, so a
// product called "<script>" is shown, never run.

/** An element: h('a', { href: '#/' }, 'Home'). Attributes starting with "on" are event listeners. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces what the main area shows, and moves the keyboard focus there (for screen readers too). */
export function show(...children) {
  const main = document.getElementById('main');
  main.replaceChildren();
  append(main, children);
  main.focus({ preventScroll: true });
}

let fields = 0;

/**
 * A labelled form field: the label names the input, so it is read out and clickable. Each field gets
 * an id of its own, also where two forms on one page ask for the same thing (a product's name).
 */
export function field(label, input, hint) {
  fields += 1;
  const id = input.id || `field-${fields}`;
  input.id = id;
  const hintId = hint ? `${id}-hint` : undefined;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('small', { id: hintId }, hint) : null);
}

/**
 * A table (or what holds one) in a region of its own that scrolls sideways when the screen is narrower
 * than the table (a phone), so that the page itself never does. The region is named and takes the
 * keyboard focus: it can be scrolled with the arrow keys, and a screen reader says what it holds
 * (WCAG 2.1.1, axe's scrollable-region-focusable).
 */
export function scrolling(name, content) {
  return h('div', { class: 'scroll', role: 'region', 'aria-label': name, tabindex: 0 }, content);
}

/** Money as the shop shows it: "24.90 EUR". */
export function money(amount, currency) {
  return `${Number(amount).toFixed(2)} ${currency}`;
}

/** A date and time in the reader's own locale. */
export function when(instant) {
  return new Date(instant).toLocaleString();
}
