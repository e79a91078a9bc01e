// A small helper for building elements without innerHTML (so text is never parsed as HTML).
import { phoneForReading } from './format.js';

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// The same for SVG (charts drawn in the page): text children become text nodes, never markup.
export function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Replaces `container`'s children, skipping the null/false placeholders of optional parts
// (replaceChildren itself would show them as the text "null").
export function fill(container, ...children) {
  container.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

// A phone number to read and to tap: "0113 496 0012", dialling the stored international form.
export function phoneLink(number, attributes = {}) {
  return number ? el('a', { ...attributes, href: `tel:${number}` }, phoneForReading(number)) : null;
}
