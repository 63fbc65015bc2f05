/* global document, getComputedStyle, Node */
// Runs in the page (page.evaluate): every visible text against the background it
// sits on, by WCAG 2's contrast formula. Returns the texts below AA: 4.5:1, or
// 3:1 for large text (24 px, or 18.66 px bold). Disabled controls are exempt.
(() => {
  const parse = (value) => {
    const match = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(value);
    return match ? { r: +match[1], g: +match[2], b: +match[3], a: match[4] === undefined ? 1 : +match[4] } : null;
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const luminance = ({ r, g, b }) => {
    const channel = (value) => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const ratio = (a, b) => {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  };
  const backgroundOf = (element) => {
    const layers = [];
    for (let node = element; node; node = node.parentElement) {
      const color = parse(getComputedStyle(node).backgroundColor);
      if (color && color.a > 0) {
        layers.push(color);
        if (color.a >= 1) break;
      }
    }
    let result = { r: 255, g: 255, b: 255, a: 1 };
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const faded = (element) => {
    for (let node = element; node; node = node.parentElement) {
      if (parseFloat(getComputedStyle(node).opacity) < 0.99) return true;
    }
    return false;
  };

  const dialog = document.querySelector('dialog[open]');
  const scope = dialog ?? document.body;
  const failures = [];
  let checked = 0;
  for (const element of scope.querySelectorAll('*')) {
    const text = [...element.childNodes]
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .map((node) => node.textContent.trim())
      .join(' ')
      .trim();
    const isField = element.matches('input:not([type=checkbox]):not([type=radio]), textarea, select');
    if (!text && !isField) continue;
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || element.closest(':disabled, [aria-hidden="true"]') || faded(element)) continue;
    const foreground = parse(style.color);
    if (!foreground) continue;
    const background = backgroundOf(element);
    const value = ratio(over(foreground, background), background);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    checked += 1;
    if (value < (large ? 3 : 4.5)) failures.push(`${value.toFixed(2)}:1 "${(text || element.value || element.getAttribute('placeholder') || '').slice(0, 40)}" (${style.color} on rgb(${Math.round(background.r)}, ${Math.round(background.g)}, ${Math.round(background.b)}))`);
  }
  return { checked, failures };
})();
